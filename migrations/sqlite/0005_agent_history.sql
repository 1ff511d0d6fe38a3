-- The orchestrator's per-agent statistics, one row per agent and episode. ts is microseconds
-- since the Unix epoch (UTC); metrics is a JSON object (losses, epsilon, entropy, KL, ...).
CREATE TABLE agent_episodes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL CHECK (agent_id <> ''),
  episode INTEGER NOT NULL CHECK (episode >= 0),
  steps INTEGER NOT NULL CHECK (steps >= 0),
  reward REAL NOT NULL,
  reward_mean_10 REAL NOT NULL,
  reward_mean_100 REAL NOT NULL,
  metrics TEXT NOT NULL DEFAULT '{}' CHECK (json_type(metrics) = 'object'),
  ts INTEGER NOT NULL
);
-- The history query: one agent, newest episode first.
CREATE INDEX agent_episodes_agent_episode ON agent_episodes (agent_id, episode DESC, id DESC);
