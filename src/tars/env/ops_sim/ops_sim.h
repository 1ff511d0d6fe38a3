// ops_sim: a seeded discrete-time simulator of a replicated service that four agents operate
// (issue 6). One step is OpsSimConfig::step_seconds (default 5 min) of service: 4 tenant groups
// send load with a daily cycle, bursts and noise; the policy agent admits and sheds, the ethical
// agent splits capacity between the groups (weighted fair sharing), the resource agent sets a
// replica target that takes effect after a delay and costs money, the consensus agent tunes the
// write path's timeout and quorum. Replicas fail and are repaired. Randomness comes only from
// the NumPy-compatible generator seeded by reset(seed). The model, every observation feature and
// every reward formula are documented in docs/ops_sim.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/ops_sim/ops_sim_config.h"
#include "tars/env/ops_sim/ops_sim_spec.h"

namespace tars::env {

// ---------------------------------------------------------------------------------------------
// Model constants (units in the names or comments)
// ---------------------------------------------------------------------------------------------

inline constexpr double kOpsServiceSecondsPerWork = 0.04;  // worker time of one work unit (s)
inline constexpr double kOpsNetworkSeconds = 0.005;        // fixed network + routing latency (s)
// Service times stretch with utilisation ρ (shared caches, memory bandwidth, GC): τ·(1 + k·ρ²).
inline constexpr double kOpsInterference = 1.0;
inline constexpr double kOpsMaxQueueUtilisation = 0.99;  // ρ is clamped here in queueing formulas
inline constexpr double kOpsLatencyCapSeconds = 60.0;    // reported latencies are capped here (s)
inline constexpr double kOpsBurstMinExtra = 1.0;  // a burst adds U(min, max) × the daily load
inline constexpr double kOpsBurstMaxExtra = 3.0;
// Consensus (writes): follower ack = base RTT + fan-out + Exp(mean = replication lag).
inline constexpr double kOpsConsensusBaseRttSeconds = 0.002;   // (s)
inline constexpr double kOpsConsensusFanoutSeconds = 0.0005;   // per other replica (s)
inline constexpr double kOpsReplicationLagSeconds = 0.005;     // lag at zero load (s)
inline constexpr double kOpsReplicationLagLoadFactor = 3.0;    // lag × (1 + k·ρ / (1 − ρ))
inline constexpr double kOpsConsensusMaxUtilisation = 0.95;    // ρ clamp for the lag
inline constexpr double kOpsLeaderStallBase = 0.01;            // P(leader stalls a round)
inline constexpr double kOpsLeaderStallLoad = 0.1;             // ... + k·ρ²
inline constexpr double kOpsMembershipOverheadSeconds = 0.01;  // quorum-of-healthy extra (s)
inline constexpr int kOpsConsensusAttempts = 3;                // a write fails after 3 rounds
// Rewards (docs/ops_sim.md, "Rewards").
inline constexpr double kOpsPolicyViolationPenalty = 1.0;       // per late or failed request
inline constexpr double kOpsConsensusLatencyRefSeconds = 0.25;  // latency that costs 1 (s)
inline constexpr double kOpsFairnessSharpness = 4.0;            // ethical: 1 − k·(1 − J)
inline constexpr double kOpsEthicalDropPenalty = 0.5;           // per dropped fraction of arrivals
inline constexpr double kOpsResourceCostWeight = 0.5;           // × replicas / max_replicas
inline constexpr double kOpsResourceSloWeight = 0.5;            // × bad fraction of admitted work
// Observation normalisation: unbounded x ≥ 0 becomes x / (x + ref), in [0, 1).
inline constexpr double kOpsObsLatencyRefSeconds = 0.5;
inline constexpr double kOpsObsConsensusRefSeconds = 0.25;
inline constexpr double kOpsObsLagRefSeconds = 0.05;
inline constexpr double kOpsObsBacklogRefSeconds = 1.0;
inline constexpr double kOpsObsTrendGain = 4.0;  // trend features: clamp(k·Δ, −1, 1)

// ---------------------------------------------------------------------------------------------
// Metrics of one step (rates are averages over the step, per second of simulated time)
// ---------------------------------------------------------------------------------------------

struct OpsSimGroupMetrics {
  double weight = 0.0;          // fairness weight in force
  double arrivals = 0.0;        // arriving requests (req/s)
  double admitted = 0.0;        // admitted by the policy (req/s)
  double rejected = 0.0;        // refused by the policy (req/s)
  double shed = 0.0;            // dropped from the queue by the shedding threshold (req/s)
  double served = 0.0;          // completed (req/s), = goodput + slo_violations + errors
  double goodput = 0.0;         // completed within the group's SLO (req/s)
  double slo_violations = 0.0;  // completed, but slower than the SLO (req/s)
  double errors = 0.0;          // writes whose consensus failed kOpsConsensusAttempts times (req/s)
  double backlog = 0.0;         // requests queued at the end of the step (requests)
  double served_work = 0.0;     // work served (work units/s)
  double goodput_ratio = 0.0;   // goodput / arrivals, in [0, 1]
  double latency_p50 = 0.0;     // response-time percentiles (s)
  double latency_p95 = 0.0;
  double latency_p99 = 0.0;
};

struct OpsSimMetrics {
  int step = 0;              // steps since reset (0: the warm-up step reset() simulates)
  double time_of_day = 0.0;  // fraction of the day at the start of the step, in [0, 1)
  double latency_p50 = 0.0;  // served-weighted mean of the groups' percentiles (s)
  double latency_p95 = 0.0;
  double latency_p99 = 0.0;
  double arrivals = 0.0;            // (req/s)
  double admitted = 0.0;            // (req/s)
  double rejected = 0.0;            // refused by admission control (req/s)
  double shed = 0.0;                // dropped by the shedding threshold (req/s)
  double dropped = 0.0;             // rejected + shed (req/s)
  double throughput = 0.0;          // completed requests (req/s)
  double goodput = 0.0;             // completed within SLO (req/s)
  double slo_violations = 0.0;      // completed late (req/s)
  double errors = 0.0;              // failed writes (req/s)
  double slo_violation_rate = 0.0;  // slo_violations / throughput
  double error_rate = 0.0;          // (errors + shed) / admitted
  double goodput_ratio = 0.0;       // goodput / arrivals
  double drop_fraction = 0.0;       // dropped / arrivals
  double queue_length = 0.0;        // requests queued at the end of the step (requests)
  double backlog_seconds = 0.0;     // queued work / capacity (s)
  double consensus_latency = 0.0;   // expected commit time of a write incl. retries (s)
  double consensus_success = 0.0;   // probability that a consensus round commits
  double write_failure_rate = 0.0;  // probability that all kOpsConsensusAttempts rounds fail
  double replication_lag = 0.0;     // mean follower ack delay beyond the RTT (s)
  double leader_stall = 0.0;        // probability that the leader stalls a round
  double timeout_seconds = 0.0;     // consensus timeout in force (s)
  int quorum_size = 0;              // acks a write needs (leader included)
  int healthy_nodes = 0;            // healthy replicas
  int failed_nodes = 0;             // provisioned replicas under repair
  int new_failures = 0;             // replicas that failed during this step
  int replicas_current = 0;         // provisioned replicas (healthy + failed)
  int replicas_target = 0;          // newest target requested by the resource agent
  int replicas_next = 0;            // target that takes effect at the next step
  double capacity = 0.0;            // healthy replicas × workers / service time (work units/s)
  double offered_work = 0.0;        // arriving work (work units/s)
  double utilisation = 0.0;         // served work / capacity, in [0, 1]
  double cost = 0.0;                // price of this step's replicas ($)
  double cost_rate = 0.0;           // the same per hour ($/h)
  double fairness_index = 0.0;      // Jain's index over the groups' goodput ratios, [0.25, 1]
  double max_burst = 0.0;           // largest extra load multiplier of a burst (×)
  std::array<OpsSimGroupMetrics, kOpsNumGroups> groups{};
};

// Result of step(); observations are read through OpsSim::observation(agent).
struct OpsSimStep {
  std::array<double, kOpsNumAgents> rewards{};  // indexed by OpsAgent, each in [-1, 1]
  bool terminated = false;                      // never: the service does not end
  bool truncated = false;                       // episode_length steps have run
};

// Everything that carries over between steps.
struct OpsSimState {
  int step = 0;                                    // steps since reset
  int day_offset = 0;                              // step of the day at reset
  std::array<double, kOpsNumGroups> burst{};       // extra load multiplier per group (≥ 0)
  std::array<double, kOpsNumGroups> backlog{};     // queued requests per group (requests)
  int replicas = 0;                                // provisioned replicas
  int healthy = 0;                                 // healthy replicas (<= replicas)
  std::array<int, kOpsMaxReplicas> repair_left{};  // steps until failed replica i is back;
                                                   // entries [0, replicas − healthy) are used
  std::array<int, kOpsMaxScalingDelay> pending{};  // ring of targets not yet applied
  int pending_head = 0;                            // oldest entry of the ring
  int latest_target = 0;                           // newest target requested (replicas)
  int new_failures = 0;                            // replicas that failed in the last step
  double utilisation = 0.0;                        // last step's utilisation (drives the lag)
  OpsSimAction settings;                           // the last applied joint action
};

class OpsSim {
 public:
  // Validates the configuration (errors name the field).
  static core::Expected<OpsSim> create(const OpsSimConfig& config = {});

  // Seeds the generator with `seed` (numpy.random.default_rng(seed)), draws the start time,
  // provisions initial_replicas healthy replicas, simulates one warm-up step with the default
  // joint action and writes the four observations.
  void reset(std::uint64_t seed);
  // Advances one step. Errors (nothing changes): step before reset or after truncation
  // (failed_precondition), an action out of range (invalid_argument naming the agent).
  core::Expected<OpsSimStep> step(const OpsSimAction& action);

  // The agent's observation after the last reset or step (preallocated; every value in [-1, 1]).
  std::span<const float> observation(OpsAgent agent) const;
  const OpsSimMetrics& metrics() const { return metrics_; }
  const OpsSimState& state() const { return state_; }
  const OpsSimConfig& config() const { return config_; }
  int elapsed_steps() const { return state_.step; }
  bool needs_reset() const { return needs_reset_; }
  // The replica count a resource action in [0, 1] asks for: min + round(a × (max − min)).
  int replicas_for(float resource_action) const;

 private:
  explicit OpsSim(const OpsSimConfig& config);

  void apply_replicas(int target);
  void repair_and_fail();
  // One step of load, service, consensus and latency with the given settings; fills metrics_.
  void simulate(const OpsSimAction& action, int step_index);
  std::array<double, kOpsNumAgents> rewards() const;
  void write_observations();

  OpsSimConfig config_;
  OpsSimState state_;
  OpsSimMetrics metrics_;
  OpsSimMetrics previous_;  // metrics of the step before (trend features)
  std::optional<core::Generator> rng_;
  bool needs_reset_ = true;
  int day_step_ = 0;  // step of the day of the last simulated step
  // Per step of the day: the groups' daily factors, then sin and cos of the time of day.
  std::vector<std::array<double, kOpsNumGroups + 2>> daily_;
  // (1 − p_fail)^h for h = 0..kOpsMaxReplicas: P(no failure among h healthy replicas).
  std::array<double, kOpsMaxReplicas + 1> no_failure_{};
  std::array<float, kOpsPolicyObsDim> policy_obs_{};
  std::array<float, kOpsConsensusObsDim> consensus_obs_{};
  std::array<float, kOpsEthicalObsDim> ethical_obs_{};
  std::array<float, kOpsResourceObsDim> resource_obs_{};
};

}  // namespace tars::env
