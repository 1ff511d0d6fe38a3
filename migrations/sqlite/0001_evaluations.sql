-- Evaluations and their episodes. Times are microseconds since the Unix epoch (UTC).
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  agent_type TEXT NOT NULL,
  environment TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  num_episodes INTEGER NOT NULL CHECK (num_episodes >= 0),
  seed INTEGER NOT NULL,
  policy_mode TEXT NOT NULL CHECK (policy_mode IN ('deterministic', 'stochastic')),
  checkpoint_hash TEXT NOT NULL DEFAULT '',
  hyperparameters TEXT NOT NULL DEFAULT '{}',
  mean_reward REAL,
  std_reward REAL,
  min_reward REAL,
  max_reward REAL,
  success_rate REAL,
  mean_steps REAL,
  mean_loss REAL,
  loss_trend TEXT,
  action_entropy REAL,
  reward_variance REAL,
  regression_detected INTEGER,
  regression_score REAL,
  regression_reason TEXT,
  should_rollback INTEGER,
  failed_checks TEXT,
  baseline_comparison TEXT NOT NULL DEFAULT 'null',
  duration_seconds REAL,
  error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  completed_at INTEGER,
  action_counts TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE evaluation_episodes (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  episode_num INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  total_reward REAL NOT NULL,
  steps INTEGER NOT NULL,
  success INTEGER NOT NULL,
  PRIMARY KEY (evaluation_id, episode_num)
) WITHOUT ROWID;

-- The list query is ordered by created_at DESC, id DESC; each index ends with both.
CREATE INDEX evaluations_created ON evaluations (created_at DESC, id DESC);
CREATE INDEX evaluations_agent_created ON evaluations (agent_id, created_at DESC, id DESC);
CREATE INDEX evaluations_finished_created ON evaluations (status, created_at DESC, id DESC)
  WHERE status IN ('completed', 'failed');
CREATE INDEX evaluations_type_env_created
  ON evaluations (agent_type, environment, created_at DESC, id DESC);
