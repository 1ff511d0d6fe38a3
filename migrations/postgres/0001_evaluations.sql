-- Evaluations and their episodes.
CREATE TABLE evaluations (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id TEXT NOT NULL,
  agent_type TEXT NOT NULL,
  environment TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  num_episodes INTEGER NOT NULL CHECK (num_episodes >= 0),
  seed BIGINT NOT NULL,
  policy_mode TEXT NOT NULL CHECK (policy_mode IN ('deterministic', 'stochastic')),
  checkpoint_hash TEXT NOT NULL DEFAULT '',
  hyperparameters JSONB NOT NULL DEFAULT '{}',
  mean_reward DOUBLE PRECISION,
  std_reward DOUBLE PRECISION,
  min_reward DOUBLE PRECISION,
  max_reward DOUBLE PRECISION,
  success_rate DOUBLE PRECISION,
  mean_steps DOUBLE PRECISION,
  mean_loss DOUBLE PRECISION,
  loss_trend TEXT,
  action_entropy DOUBLE PRECISION,
  reward_variance DOUBLE PRECISION,
  regression_detected BOOLEAN,
  regression_score DOUBLE PRECISION,
  regression_reason TEXT,
  should_rollback BOOLEAN,
  failed_checks JSONB,
  baseline_comparison JSONB NOT NULL DEFAULT 'null',
  duration_seconds DOUBLE PRECISION,
  error TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMPTZ NOT NULL,
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  action_counts JSONB NOT NULL DEFAULT '[]'
);

CREATE TABLE evaluation_episodes (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  episode_num INTEGER NOT NULL,
  seed BIGINT NOT NULL,
  total_reward DOUBLE PRECISION NOT NULL,
  steps BIGINT NOT NULL,
  success BOOLEAN NOT NULL,
  PRIMARY KEY (evaluation_id, episode_num)
);

-- The list query is ordered by created_at DESC, id DESC; each index ends with both. Partial
-- index predicates must be immutable: a fixed status list, never NOW().
CREATE INDEX evaluations_created ON evaluations (created_at DESC, id DESC);
CREATE INDEX evaluations_agent_created ON evaluations (agent_id, created_at DESC, id DESC);
CREATE INDEX evaluations_finished_created ON evaluations (status, created_at DESC, id DESC)
  WHERE status IN ('completed', 'failed');
