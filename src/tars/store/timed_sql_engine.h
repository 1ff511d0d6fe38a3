// An SqlEngine that times every statement of the engine it wraps and reports it, labelled by
// verb and table ("select evaluations"), to an observer: tars_db_query_duration_seconds{query}.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tars/store/repository.h"
#include "tars/store/sql_engine.h"

namespace tars::store {

// The statement's verb and first table, lower case: "select evaluations", "insert audit_log",
// "update baselines", "delete revoked_tokens"; scripts and anything else "other". Bounded by the
// schema, so it can be a metric label.
std::string query_label(std::string_view sql);

class TimedSqlEngine final : public SqlEngine {
 public:
  explicit TimedSqlEngine(std::unique_ptr<SqlEngine> inner) : inner_(std::move(inner)) {}

  // Not synchronised: set it before the database is used from several threads.
  void set_observer(QueryObserver observer) { observer_ = std::move(observer); }

  Backend backend() const override { return inner_->backend(); }
  core::Status transaction(const Work& work) override;
  core::Status read_transaction(const Work& work) override;
  core::Status without_transaction(const Work& work) override;

 private:
  Work timed(const Work& work) const;

  std::unique_ptr<SqlEngine> inner_;
  QueryObserver observer_;
};

}  // namespace tars::store
