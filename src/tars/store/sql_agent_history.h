// The agent history repository over a SqlEngine, for both backends; the SQL database owns it.
#pragma once

#include <memory>

#include "tars/store/agent_history.h"
#include "tars/store/sql_engine.h"

namespace tars::store {

// A repository that runs its statements on `engine`, which must outlive it.
std::unique_ptr<AgentHistoryRepository> make_sql_agent_history_repository(SqlEngine& engine);

}  // namespace tars::store
