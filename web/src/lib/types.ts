// Shapes of the API's JSON (see README "Server, API and live feed" and the orchestrator contract).
import type { Hyperparameter } from './transforms';

export interface AgentMetrics {
  loss?: number;
  epsilon?: number;
  entropy?: number;
  approx_kl?: number;
  clip_fraction?: number;
  explained_variance?: number;
  noise_sigma?: number;
  value_loss?: number;
  policy_loss?: number;
  actor_loss?: number;
  critic_loss?: number;
  [key: string]: number | undefined;
}

export interface Agent {
  id: string;
  role: string;
  algorithm: string;
  episode: number;
  steps: number;
  last_episode_reward: number;
  reward_mean_10: number;
  reward_mean_100: number;
  metrics: AgentMetrics;
  memory_bytes: number;
  hyperparameters?: Hyperparameter[];
}

export interface AgentHistoryEntry {
  episode: number;
  steps: number;
  reward: number;
  reward_mean_10: number;
  reward_mean_100: number;
  metrics: AgentMetrics;
  ts: string;
}

export interface Page {
  total: number;
  limit: number;
  offset: number;
  has_more: boolean;
}

export interface NashState {
  step?: number;
  players?: string[];
  method?: string;
  strategies?: number[][];
  candidates?: unknown[][];
  payoffs?: number[] | number[][];
  iterations?: number;
  converged?: boolean;
  exploitability?: number;
  convergence_time_seconds?: number;
}

export interface OrchestrationStep {
  step: number;
  episode: number;
  global_reward: number;
  rewards: Record<string, number>;
  actions: Record<string, unknown>;
  conflicts: Conflict[];
  nash?: NashState;
  pareto?: { hypervolume?: number; selected?: number };
}

export interface Conflict {
  step: number;
  episode: number;
  type: string;
  agents: string[];
  description: string;
  ts: string;
}

export interface GlobalMetrics {
  step: number;
  episode: number;
  steps_per_second: number;
  global_reward: { current: number; mean: number; trend: number | string };
  agent_rewards: Record<string, number>;
  conflict_rate: number;
  nash: { converged_fraction: number; mean_iterations: number; mean_exploitability: number };
}

export interface Pareto {
  objectives: string[];
  candidates: { payoffs: number[]; joint_action: unknown[]; on_frontier: boolean }[];
  selected: number;
  method: string;
  hypervolume: number;
  hypervolume_history: { step: number; value: number }[];
}

export interface FailedCheck {
  name: string;
  value: number;
  threshold: number;
  message: string;
}

export interface EvaluationMetricsJson {
  mean_reward: number;
  std_reward: number;
  min_reward: number;
  max_reward: number;
  success_rate: number;
  mean_steps: number;
  mean_loss: number | null;
  loss_trend: string | null;
  action_entropy: number;
  reward_variance: number;
}

export interface Evaluation {
  id: number;
  agent_id: string;
  agent_type: string;
  environment: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  num_episodes: number;
  seed: number;
  policy_mode: string;
  checkpoint_hash: string;
  hyperparameters: unknown;
  metrics: EvaluationMetricsJson | null;
  regression: {
    detected: boolean;
    regression_score: number;
    reason: string;
    should_rollback: boolean;
    failed_checks: FailedCheck[];
  } | null;
  baseline_comparison: Record<string, unknown> | null;
  duration_seconds: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  episodes?: { episode_num: number; seed: number; total_reward: number; steps: number; success: boolean }[];
}

export interface EvaluationUpdate {
  event: 'queued' | 'started' | 'progress' | 'completed' | 'failed' | 'cancelled';
  evaluation: Evaluation;
  episodes_finished?: number;
  promoted_baseline?: boolean;
}

export const AGENT_IDS = ['policy', 'consensus', 'ethical', 'resource'] as const;
