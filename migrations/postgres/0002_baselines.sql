-- The best known metrics per (agent_type, environment); rank 1 is the current baseline.
CREATE TABLE baselines (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_type TEXT NOT NULL,
  environment TEXT NOT NULL,
  mean_reward DOUBLE PRECISION NOT NULL,
  std_reward DOUBLE PRECISION NOT NULL,
  min_reward DOUBLE PRECISION NOT NULL,
  max_reward DOUBLE PRECISION NOT NULL,
  success_rate DOUBLE PRECISION NOT NULL,
  mean_steps DOUBLE PRECISION NOT NULL,
  mean_loss DOUBLE PRECISION,
  loss_trend TEXT NOT NULL,
  action_entropy DOUBLE PRECISION NOT NULL,
  reward_variance DOUBLE PRECISION NOT NULL,
  hyperparameters JSONB NOT NULL DEFAULT '{}',
  version INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  evaluation_id BIGINT REFERENCES evaluations (id),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  -- Deferred so that shifting every rank down by one in a single UPDATE is allowed.
  CONSTRAINT baselines_rank_unique UNIQUE (agent_type, environment, rank)
    DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT baselines_version_unique UNIQUE (agent_type, environment, version)
);
