#include "tars/store/timed_sql_engine.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <type_traits>

namespace tars::store {

namespace {

// The word of `sql` after position `from` (letters, digits, '_'), lower case.
std::string word_at(std::string_view sql, std::size_t from) {
  while (from < sql.size() && std::isspace(static_cast<unsigned char>(sql[from]))) ++from;
  std::string word;
  for (; from < sql.size(); ++from) {
    const auto c = static_cast<unsigned char>(sql[from]);
    if (!std::isalnum(c) && c != '_') break;
    word.push_back(static_cast<char>(std::tolower(c)));
  }
  return word;
}

// The word following the first standalone `keyword` (lower case), or "".
std::string word_after(const std::string& lower, std::string_view keyword) {
  for (std::size_t at = lower.find(keyword); at != std::string::npos;
       at = lower.find(keyword, at + 1)) {
    const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(lower[at - 1]));
    const std::size_t end = at + keyword.size();
    const bool ends = end < lower.size() && std::isspace(static_cast<unsigned char>(lower[end]));
    if (!starts || !ends) continue;
    // "FROM (SELECT ... FROM t)": the first table named, not the subquery.
    if (std::string word = word_at(lower, end); !word.empty()) return word;
  }
  return {};
}

class TimedSession final : public SqlSession {
 public:
  TimedSession(SqlSession& inner, const QueryObserver& observer)
      : inner_(inner), observer_(observer) {}

  core::Status execute(const std::string& sql, const SqlParams& params) override {
    return time(sql, [&] { return inner_.execute(sql, params); });
  }
  core::Status query(const std::string& sql, const SqlParams& params,
                     const RowCallback& on_row) override {
    return time(sql, [&] { return inner_.query(sql, params, on_row); });
  }
  core::Expected<std::int64_t> insert(const std::string& sql, const SqlParams& params) override {
    return time(sql, [&] { return inner_.insert(sql, params); });
  }
  core::Status execute_script(const std::string& sql) override {
    return time(sql, [&] { return inner_.execute_script(sql); });
  }

 private:
  template <typename Run>
  std::invoke_result_t<Run> time(const std::string& sql, Run run) {
    const auto started = std::chrono::steady_clock::now();
    auto result = run();
    observer_(query_label(sql),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return result;
  }

  SqlSession& inner_;
  const QueryObserver& observer_;
};

}  // namespace

std::string query_label(std::string_view sql) {
  std::string lower(sql);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string verb = word_at(lower, 0);
  std::string table;
  if (verb == "select" || verb == "delete") table = word_after(lower, "from");
  if (verb == "insert") table = word_after(lower, "into");
  if (verb == "update") table = word_at(lower, lower.find("update") + 6);
  if (table.empty()) return "other";
  return verb + " " + table;
}

SqlEngine::Work TimedSqlEngine::timed(const Work& work) const {
  if (!observer_) return work;
  return [this, &work](SqlSession& session) {
    TimedSession timed_session(session, observer_);
    return work(timed_session);
  };
}

core::Status TimedSqlEngine::transaction(const Work& work) {
  return inner_->transaction(timed(work));
}

core::Status TimedSqlEngine::read_transaction(const Work& work) {
  return inner_->read_transaction(timed(work));
}

core::Status TimedSqlEngine::without_transaction(const Work& work) {
  return inner_->without_transaction(timed(work));
}

}  // namespace tars::store
