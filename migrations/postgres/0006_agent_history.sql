-- The orchestrator's per-agent statistics, one row per agent and episode; metrics is a JSON
-- object (losses, epsilon, entropy, KL, ...).
CREATE TABLE agent_episodes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id TEXT NOT NULL CHECK (agent_id <> ''),
  episode BIGINT NOT NULL CHECK (episode >= 0),
  steps BIGINT NOT NULL CHECK (steps >= 0),
  reward DOUBLE PRECISION NOT NULL,
  reward_mean_10 DOUBLE PRECISION NOT NULL,
  reward_mean_100 DOUBLE PRECISION NOT NULL,
  metrics JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metrics) = 'object'),
  ts TIMESTAMPTZ NOT NULL
);
-- The history query: one agent, newest episode first.
CREATE INDEX agent_episodes_agent_episode ON agent_episodes (agent_id, episode DESC, id DESC);
