-- The best known metrics per (agent_type, environment); rank 1 is the current baseline.
CREATE TABLE baselines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_type TEXT NOT NULL,
  environment TEXT NOT NULL,
  mean_reward REAL NOT NULL,
  std_reward REAL NOT NULL,
  min_reward REAL NOT NULL,
  max_reward REAL NOT NULL,
  success_rate REAL NOT NULL,
  mean_steps REAL NOT NULL,
  mean_loss REAL,
  loss_trend TEXT NOT NULL,
  action_entropy REAL NOT NULL,
  reward_variance REAL NOT NULL,
  hyperparameters TEXT NOT NULL DEFAULT '{}',
  version INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  evaluation_id INTEGER REFERENCES evaluations (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (agent_type, environment, rank),
  UNIQUE (agent_type, environment, version)
);
