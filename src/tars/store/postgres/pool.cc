#include "tars/store/postgres/pool.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace tars::store::postgres {
namespace {

core::Status unavailable(const std::string& what) {
  return core::io_error(fmt::format("postgresql: database unavailable: {}", what));
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

const std::string& PooledConnection::statement(const std::string& sql) {
  const std::string name = fmt::format("tars_{:016x}", std::hash<std::string>{}(sql));
  auto [it, inserted] = prepared.insert(name);
  if (inserted) {
    try {
      connection->prepare(name, sql);
    } catch (...) {
      prepared.erase(it);
      throw;
    }
  }
  return *it;
}

core::Status Pool::run(const std::function<void(PooledConnection&)>& work) {
  std::string last_error;
  for (int attempt = 0; attempt <= options_.reconnect_attempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100 << (attempt - 1)));
    auto connection = acquire();
    if (!connection.ok()) {
      last_error = connection.status().message();
      continue;
    }
    try {
      work(**connection);
      release(std::move(*connection));
      return {};
    } catch (const pqxx::in_doubt_error& error) {
      release(nullptr);
      return core::io_error(fmt::format(
          "postgresql: the connection broke while committing; the change may or may not have "
          "been applied: {}",
          first_line(error.what())));
    } catch (const pqxx::broken_connection& error) {
      release(nullptr);  // replaced on the next acquire
      last_error = first_line(error.what());
    } catch (const pqxx::sql_error& error) {
      release(std::move(*connection));
      return core::io_error(
          fmt::format("postgresql: {} (SQLSTATE {})", first_line(error.what()), error.sqlstate()));
    } catch (const std::exception& error) {
      release(std::move(*connection));
      return core::io_error(fmt::format("postgresql: {}", first_line(error.what())));
    }
  }
  return unavailable(last_error);
}

core::Expected<std::unique_ptr<PooledConnection>> Pool::acquire() {
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->connection->is_open()) return connection;
      --open_;  // closed by the server while idle: open a new one below
    }
    ++open_;
  }
  auto connection = connect();
  if (!connection.ok()) release(nullptr);
  return connection;
}

void Pool::release(std::unique_ptr<PooledConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (connection) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  available_.notify_one();
}

core::Expected<std::unique_ptr<PooledConnection>> Pool::connect() {
  try {
    auto connection = std::make_unique<PooledConnection>();
    connection->connection = std::make_unique<pqxx::connection>(options_.url);
    pqxx::nontransaction setup(*connection->connection);
    // Custom plans always: a generic plan of the list query cannot know its LIMIT and OFFSET
    // and chooses a sequential scan and sort over the whole table.
    setup.exec(fmt::format(
        "SET statement_timeout = {}; SET TimeZone = 'UTC'; SET plan_cache_mode = force_custom_plan",
        options_.query_timeout_ms));
    return connection;
  } catch (const std::exception& error) {
    return unavailable(first_line(error.what()));
  }
}

TextParams::TextParams(const SqlParams& params) {
  texts_.reserve(params.size());
  for (const auto& param : params) {
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            texts_.emplace_back();
          } else if constexpr (std::is_same_v<T, std::string>) {
            texts_.push_back(value);
          } else {
            texts_.push_back(fmt::format("{}", value));  // shortest text that round-trips
          }
        },
        param);
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    pointers_.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr
                                                                          : texts_[i].c_str());
  }
}

pqxx::result exec(pqxx::transaction_base& transaction, PooledConnection& connection,
                  const std::string& sql, const SqlParams& params) {
  const TextParams text(params);
  return transaction.exec_prepared(connection.statement(sql),
                                   pqxx::prepare::make_dynamic_params(text.pointers()));
}

std::int64_t ResultRow::get_int(int column) const {
  const char* text = row_[column].c_str();
  if (text[0] == 't' || text[0] == 'f') return text[0] == 't' ? 1 : 0;  // BOOLEAN
  return row_[column].as<std::int64_t>();
}

}  // namespace tars::store::postgres
