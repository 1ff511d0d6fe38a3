#include "tars/env/ops_sim/ops_sim.h"

#include <algorithm>
#include <cmath>

#include "tars/env/ops_sim/ops_sim_math.h"

namespace tars::env {

namespace {

using ops_detail::ratio;

constexpr double kTwoPi = 6.283185307179586;
constexpr double kLn2 = 0.6931471805599453;   // -ln(1 - 0.50)
constexpr double kLn20 = 2.995732273553991;   // -ln(1 - 0.95)
constexpr double kLn100 = 4.605170185988092;  // -ln(1 - 0.99)
constexpr double kSecondsPerHour = 3600.0;

// 1 / k for k = 0..kOpsMaxReplicas (entry 0 unused) and the harmonic numbers H_k = sum 1/i.
struct Reciprocals {
  std::array<double, kOpsMaxReplicas + 1> inverse{};
  std::array<double, kOpsMaxReplicas + 1> harmonic{};
  constexpr Reciprocals() {
    for (int k = 1; k <= kOpsMaxReplicas; ++k) {
      inverse[k] = 1.0 / k;
      harmonic[k] = harmonic[k - 1] + inverse[k];
    }
  }
};
constexpr Reciprocals kReciprocals;

// P(Binomial(n, p) >= k), n <= kOpsMaxReplicas.
double binomial_tail(int n, double p, int k) {
  if (k <= 0) return 1.0;
  if (k > n || p <= 0.0) return 0.0;
  if (p >= 1.0) return 1.0;
  const double odds = p / (1.0 - p);
  double pmf = std::pow(1.0 - p, n);
  double below = pmf;  // P(X < k) = sum_{j < k} pmf(j)
  for (int j = 0; j + 1 < k; ++j) {
    pmf *= (n - j) * kReciprocals.inverse[j + 1] * odds;
    below += pmf;
  }
  return std::clamp(1.0 - below, 0.0, 1.0);
}

// Probability that a response with fixed part `fixed` and an exponential part of mean `mean`
// exceeds `slo`.
inline double late_probability(double slo, double fixed, double mean) {
  const double slack = slo - fixed;
  if (slack <= 0.0) return 1.0;
  return mean > 0.0 ? std::exp(-slack / mean) : 0.0;
}

// Generalised processor sharing: capacity split by weight, a group never gets more than its
// demand, and what a satisfied group leaves is shared among the others by weight (water-filling).
std::array<double, kOpsNumGroups> weighted_fair_share(
    const std::array<double, kOpsNumGroups>& demand, const std::array<double, kOpsNumGroups>& w,
    double capacity) {
  std::array<double, kOpsNumGroups> alloc{};
  std::array<bool, kOpsNumGroups> open{};
  for (int g = 0; g < kOpsNumGroups; ++g) open[g] = demand[g] > 0.0;
  double remaining = capacity;
  for (int round = 0; round <= kOpsNumGroups; ++round) {
    double weight_sum = 0.0;
    for (int g = 0; g < kOpsNumGroups; ++g) weight_sum += open[g] ? w[g] : 0.0;
    if (weight_sum <= 0.0 || remaining <= 0.0) break;
    const double level = remaining / weight_sum;
    bool satisfied_any = false;
    for (int g = 0; g < kOpsNumGroups; ++g) {
      if (open[g] && demand[g] <= level * w[g]) {
        alloc[g] = demand[g];
        remaining -= demand[g];
        open[g] = false;
        satisfied_any = true;
      }
    }
    if (!satisfied_any) {
      for (int g = 0; g < kOpsNumGroups; ++g) {
        if (open[g]) alloc[g] = level * w[g];
      }
      break;
    }
  }
  return alloc;
}

}  // namespace

core::Expected<OpsSim> OpsSim::create(const OpsSimConfig& config) {
  if (core::Status status = validate_ops_config(config); !status.ok()) return status;
  return OpsSim(config);
}

OpsSim::OpsSim(const OpsSimConfig& config)
    : config_(config), daily_(static_cast<std::size_t>(config.steps_per_day)) {
  for (int s = 0; s < config_.steps_per_day; ++s) {
    const double phase = static_cast<double>(s) / config_.steps_per_day;
    auto& row = daily_[static_cast<std::size_t>(s)];
    for (int g = 0; g < kOpsNumGroups; ++g) {
      // Peak at noon + the group's shift, trough twelve hours later.
      row[g] =
          1.0 + config_.daily_amplitude * std::sin(kTwoPi * (phase - 0.25 - kOpsGroupPeakShift[g]));
    }
    row[kOpsNumGroups] = std::sin(kTwoPi * phase);
    row[kOpsNumGroups + 1] = std::cos(kTwoPi * phase);
  }
  for (int h = 0; h <= kOpsMaxReplicas; ++h) {
    no_failure_[h] = std::pow(1.0 - config_.node_failure_probability, h);
  }
}

int OpsSim::replicas_for(float resource_action) const {
  const double span = config_.max_replicas - config_.min_replicas;
  const double a = std::clamp(static_cast<double>(resource_action), 0.0, 1.0);
  return config_.min_replicas + static_cast<int>(std::lround(a * span));
}

std::span<const float> OpsSim::observation(OpsAgent agent) const {
  switch (agent) {
    case OpsAgent::kPolicy:
      return policy_obs_;
    case OpsAgent::kConsensus:
      return consensus_obs_;
    case OpsAgent::kEthical:
      return ethical_obs_;
    case OpsAgent::kResource:
      return resource_obs_;
  }
  return {};
}

void OpsSim::reset(std::uint64_t seed) {
  rng_.emplace(seed);
  state_ = OpsSimState{};
  if (config_.random_start_time) {
    state_.day_offset = static_cast<int>(rng_->integers(0, config_.steps_per_day));
  }
  state_.replicas = config_.initial_replicas;
  state_.healthy = config_.initial_replicas;
  state_.latest_target = config_.initial_replicas;
  state_.pending.fill(config_.initial_replicas);
  OpsSimAction warm_up;
  const int span = config_.max_replicas - config_.min_replicas;
  warm_up.resource = span > 0
                         ? static_cast<float>(config_.initial_replicas - config_.min_replicas) /
                               static_cast<float>(span)
                         : 0.0f;
  simulate(warm_up, -1);
  metrics_.step = 0;
  previous_ = metrics_;
  write_observations();
  needs_reset_ = false;
}

core::Expected<OpsSimStep> OpsSim::step(const OpsSimAction& action) {
  if (needs_reset_) {
    return core::failed_precondition(
        rng_ ? "ops_sim: the episode was truncated; call reset() before step()"
             : "ops_sim: step() before the first reset()");
  }
  if (core::Status status = validate_ops_action(action); !status.ok()) return status;

  // The resource agent's target joins the scaling pipeline; the one chosen scaling_delay steps
  // ago takes effect now.
  const int target = replicas_for(action.resource);
  state_.latest_target = target;
  int effective = target;
  if (config_.scaling_delay > 0) {
    effective = state_.pending[state_.pending_head];
    state_.pending[state_.pending_head] = target;
    state_.pending_head = (state_.pending_head + 1) % config_.scaling_delay;
  }
  apply_replicas(effective);
  repair_and_fail();

  previous_ = metrics_;
  simulate(action, state_.step);
  ++state_.step;
  metrics_.step = state_.step;
  write_observations();

  OpsSimStep result;
  result.rewards = rewards();
  result.truncated = state_.step >= config_.episode_length;
  needs_reset_ = result.truncated;
  return result;
}

void OpsSim::apply_replicas(int target) {
  if (target >= state_.replicas) {
    // Scale-up: the new replicas booted during the scaling delay and join healthy.
    state_.healthy += target - state_.replicas;
    state_.replicas = target;
    return;
  }
  // Scale-down removes failed replicas first (longest repair first), then healthy ones.
  int remove = state_.replicas - target;
  int failed = state_.replicas - state_.healthy;
  while (remove > 0 && failed > 0) {
    auto first = state_.repair_left.begin();
    auto longest = std::max_element(first, first + failed);
    *longest = state_.repair_left[failed - 1];
    --failed;
    --remove;
  }
  state_.healthy -= remove;
  state_.replicas = target;
}

void OpsSim::repair_and_fail() {
  int failed = state_.replicas - state_.healthy;
  for (int i = 0; i < failed;) {
    if (--state_.repair_left[i] <= 0) {
      state_.repair_left[i] = state_.repair_left[failed - 1];
      --failed;
      ++state_.healthy;
    } else {
      ++i;
    }
  }
  // Failures among the healthy replicas: Binomial(healthy, p) by inversion of one uniform.
  int failures = 0;
  const double p = config_.node_failure_probability;
  const int healthy = state_.healthy;
  if (p > 0.0 && healthy > 0) {
    if (p >= 1.0) {
      failures = healthy;
    } else {
      const double u = rng_->random();
      const double odds = p / (1.0 - p);
      double pmf = no_failure_[healthy];
      double cdf = pmf;
      while (u >= cdf && failures < healthy) {
        pmf *= static_cast<double>(healthy - failures) / (failures + 1) * odds;
        ++failures;
        cdf += pmf;
      }
    }
  }
  for (int i = 0; i < failures; ++i) state_.repair_left[failed++] = config_.repair_steps;
  state_.healthy -= failures;
  state_.new_failures = failures;
}

void OpsSim::simulate(const OpsSimAction& action, int step_index) {
  const OpsSimConfig& c = config_;
  OpsSimState& s = state_;
  OpsSimMetrics& m = metrics_;
  m = OpsSimMetrics{};
  s.settings = action;
  core::Generator& rng = *rng_;
  const double dt = c.step_seconds;

  const int day_step =
      ((s.day_offset + step_index) % c.steps_per_day + c.steps_per_day) % c.steps_per_day;
  day_step_ = day_step;
  const auto& daily = daily_[static_cast<std::size_t>(day_step)];
  m.time_of_day = static_cast<double>(day_step) / c.steps_per_day;

  // --- Arrivals: base × daily cycle × (1 + burst) × noise (requests in this step).
  std::array<double, kOpsNumGroups> arrivals{};
  for (int g = 0; g < kOpsNumGroups; ++g) {
    if (c.burst_probability > 0.0 && rng.random() < c.burst_probability) {
      s.burst[g] += rng.uniform(kOpsBurstMinExtra, kOpsBurstMaxExtra);
    }
    const double noise =
        c.arrival_noise > 0.0 ? std::max(0.0, 1.0 + c.arrival_noise * rng.standard_normal()) : 1.0;
    arrivals[g] = c.load_scale * kOpsGroupBaseRate[g] * daily[g] * (1.0 + s.burst[g]) * noise * dt;
    m.max_burst = std::max(m.max_burst, s.burst[g]);
    s.burst[g] *= c.burst_decay;
  }

  // --- Capacity of the healthy replicas (work units/s).
  const double workers = static_cast<double>(s.healthy) * c.workers_per_replica;
  const double capacity = workers / kOpsServiceSecondsPerWork;

  // --- Admission control (policy agent). Under a utilisation cap, the admitted work is split
  // between the groups by the fairness weights (weighted fair token buckets).
  const OpsPolicySetting& policy = kOpsPolicySettings[action.policy];
  const auto& weights = kOpsFairnessWeights[action.ethical];
  std::array<double, kOpsNumGroups> admitted{};
  std::array<double, kOpsNumGroups> admissible_work{};
  double admissible_total = 0.0;
  for (int g = 0; g < kOpsNumGroups; ++g) {
    admitted[g] = policy.admit_fraction * arrivals[g];
    admissible_work[g] = admitted[g] * kOpsGroupWork[g] / dt;
    admissible_total += admissible_work[g];
  }
  if (policy.utilisation_cap > 0.0 && admissible_total > policy.utilisation_cap * capacity) {
    const std::array<double, kOpsNumGroups> allowed =
        weighted_fair_share(admissible_work, weights, policy.utilisation_cap * capacity);
    for (int g = 0; g < kOpsNumGroups; ++g) admitted[g] = allowed[g] * dt / kOpsGroupWork[g];
  }

  // --- Weighted fair sharing of capacity (ethical agent).
  std::array<double, kOpsNumGroups> demand{};
  for (int g = 0; g < kOpsNumGroups; ++g) {
    demand[g] = (s.backlog[g] + admitted[g]) * kOpsGroupWork[g] / dt;
  }
  const std::array<double, kOpsNumGroups> served_work =
      weighted_fair_share(demand, weights, capacity);
  double served_work_total = 0.0;
  for (double w : served_work) served_work_total += w;
  const double idle = std::max(0.0, capacity - served_work_total);
  const double utilisation = capacity > 0.0 ? std::min(1.0, served_work_total / capacity) : 0.0;

  // --- Consensus for writes (consensus agent), driven by the last step's load.
  const OpsConsensusSetting& consensus = kOpsConsensusSettings[action.consensus];
  const double timeout = consensus.timeout_seconds;
  const double load = std::min(s.utilisation, kOpsConsensusMaxUtilisation);
  const double lag =
      kOpsReplicationLagSeconds * (1.0 + kOpsReplicationLagLoadFactor * load / (1.0 - load));
  const double stall = kOpsLeaderStallBase + kOpsLeaderStallLoad * load * load;
  const bool healthy_quorum = consensus.quorum == OpsQuorum::kMajorityOfHealthy;
  const int members = healthy_quorum ? s.healthy : s.replicas;
  const int quorum = members / 2 + 1;
  const double overhead = healthy_quorum ? kOpsMembershipOverheadSeconds : 0.0;
  const double fixed_rtt = kOpsConsensusBaseRttSeconds +
                           kOpsConsensusFanoutSeconds * std::max(0, s.replicas - 1) + overhead;
  const int followers = s.healthy - 1;
  const int acks_needed = quorum - 1;
  double round_success = 0.0;
  double commit = timeout;
  if (s.healthy > 0 && acks_needed <= followers) {
    const double ack_in_time =
        timeout > fixed_rtt ? 1.0 - std::exp(-(timeout - fixed_rtt) / lag) : 0.0;
    round_success = (1.0 - stall) * binomial_tail(followers, ack_in_time, acks_needed);
    // Expected acks_needed-th fastest of `followers` exponential acks:
    // lag · sum_{i < acks_needed} 1 / (followers − i).
    const double order =
        kReciprocals.harmonic[followers] - kReciprocals.harmonic[followers - acks_needed];
    commit = std::min(timeout, fixed_rtt + lag * order);
  }
  const double round_failure = 1.0 - round_success;
  const double consensus_latency =
      commit + timeout * (round_failure + round_failure * round_failure);
  const double write_failure = round_failure * round_failure * round_failure;

  // --- Queues, shedding, latency and SLOs per group.
  const double stretch = 1.0 + kOpsInterference * utilisation * utilisation;
  const double fw = c.write_fraction;
  double lat_weight = 0.0;
  for (int g = 0; g < kOpsNumGroups; ++g) {
    OpsSimGroupMetrics& gm = m.groups[g];
    const double work = kOpsGroupWork[g];
    const double rate = served_work[g] + weights[g] * idle;  // service rate available (work/s)
    const double served = served_work[g] * dt / work;
    const double left = std::max(0.0, s.backlog[g] + admitted[g] - served);
    const double queue_limit = policy.shed_seconds * rate / work;
    const double queue_start = s.backlog[g];
    const double queue_end = std::min(left, queue_limit);
    s.backlog[g] = queue_end;

    double p_read_late = 1.0;
    double p_write_late = 1.0;
    double shift = kOpsLatencyCapSeconds;
    double mean = 0.0;
    if (rate > 0.0) {
      const double tau = work * kOpsServiceSecondsPerWork * stretch;
      const double rho = std::min(served_work[g] / rate, kOpsMaxQueueUtilisation);
      const double servers = std::max(1.0, workers * rate / capacity);
      // Sakasegawa's M/M/c approximation of the mean wait in queue.
      const double wait = rho > 0.0 ? tau * std::pow(rho, std::sqrt(2.0 * (servers + 1.0)) - 1.0) /
                                          (servers * (1.0 - rho))
                                    : 0.0;
      mean = tau + wait;
      const double backlog_wait =
          queue_end > 0.0 ? 0.5 * (queue_start + queue_end) * work / rate : 0.0;
      const double fixed = kOpsNetworkSeconds + backlog_wait;
      p_read_late = late_probability(kOpsGroupSloSeconds[g], fixed, mean);
      p_write_late = late_probability(kOpsGroupSloSeconds[g], fixed + consensus_latency, mean);
      shift = fixed + fw * consensus_latency;
    }
    gm.weight = weights[g];
    gm.arrivals = arrivals[g] / dt;
    gm.admitted = admitted[g] / dt;
    gm.rejected = (arrivals[g] - admitted[g]) / dt;
    gm.shed = (left - queue_end) / dt;
    gm.served = served / dt;
    gm.goodput = gm.served * ((1.0 - fw) * (1.0 - p_read_late) +
                              fw * (1.0 - write_failure) * (1.0 - p_write_late));
    gm.errors = gm.served * fw * write_failure;
    gm.slo_violations = std::max(0.0, gm.served - gm.goodput - gm.errors);
    gm.backlog = queue_end;
    gm.served_work = served_work[g];
    gm.goodput_ratio = gm.arrivals > 0.0 ? gm.goodput / gm.arrivals : 1.0;
    gm.latency_p50 = std::min(kOpsLatencyCapSeconds, shift + mean * kLn2);
    gm.latency_p95 = std::min(kOpsLatencyCapSeconds, shift + mean * kLn20);
    gm.latency_p99 = std::min(kOpsLatencyCapSeconds, shift + mean * kLn100);

    m.arrivals += gm.arrivals;
    m.admitted += gm.admitted;
    m.rejected += gm.rejected;
    m.shed += gm.shed;
    m.throughput += gm.served;
    m.goodput += gm.goodput;
    m.slo_violations += gm.slo_violations;
    m.errors += gm.errors;
    m.queue_length += queue_end;
    m.backlog_seconds += queue_end * work;
    m.offered_work += arrivals[g] * work / dt;
    // Percentiles are weighted by served requests (by arrivals when nothing was served).
    lat_weight += gm.served;
  }
  const bool by_served = lat_weight > 0.0;
  double weight_total = 0.0;
  for (const OpsSimGroupMetrics& gm : m.groups) {
    const double wgt = by_served ? gm.served : gm.arrivals + 1e-12;
    m.latency_p50 += wgt * gm.latency_p50;
    m.latency_p95 += wgt * gm.latency_p95;
    m.latency_p99 += wgt * gm.latency_p99;
    weight_total += wgt;
  }
  m.latency_p50 /= weight_total;
  m.latency_p95 /= weight_total;
  m.latency_p99 /= weight_total;

  m.dropped = m.rejected + m.shed;
  m.slo_violation_rate = ratio(m.slo_violations, m.throughput);
  m.error_rate = std::min(1.0, ratio(m.errors + m.shed, m.admitted));
  m.goodput_ratio = ratio(m.goodput, m.arrivals);
  m.drop_fraction = ratio(m.dropped, m.arrivals);
  m.backlog_seconds = capacity > 0.0 ? m.backlog_seconds / capacity
                                     : (m.backlog_seconds > 0.0 ? kOpsLatencyCapSeconds : 0.0);

  m.consensus_latency = consensus_latency;
  m.consensus_success = round_success;
  m.write_failure_rate = write_failure;
  m.replication_lag = lag;
  m.leader_stall = stall;
  m.timeout_seconds = timeout;
  m.quorum_size = quorum;

  m.healthy_nodes = s.healthy;
  m.failed_nodes = s.replicas - s.healthy;
  m.new_failures = s.new_failures;
  m.replicas_current = s.replicas;
  m.replicas_target = s.latest_target;
  m.replicas_next = c.scaling_delay > 0 ? s.pending[s.pending_head] : s.latest_target;
  m.capacity = capacity;
  m.utilisation = utilisation;
  s.utilisation = utilisation;
  m.cost_rate = s.replicas * c.cost_per_replica_hour;
  m.cost = m.cost_rate * dt / kSecondsPerHour;

  // Jain's fairness index over the goodput ratios (1 when every ratio is 0: equally served).
  double sum = 0.0;
  double sum_sq = 0.0;
  for (const OpsSimGroupMetrics& gm : m.groups) {
    sum += gm.goodput_ratio;
    sum_sq += gm.goodput_ratio * gm.goodput_ratio;
  }
  m.fairness_index = sum_sq > 0.0 ? sum * sum / (kOpsNumGroups * sum_sq) : 1.0;
}

std::array<double, kOpsNumAgents> OpsSim::rewards() const {
  const OpsSimMetrics& m = metrics_;
  std::array<double, kOpsNumAgents> r{};
  r[static_cast<int>(OpsAgent::kPolicy)] = std::clamp(
      ratio(m.goodput - kOpsPolicyViolationPenalty * (m.slo_violations + m.errors), m.arrivals),
      -1.0, 1.0);
  r[static_cast<int>(OpsAgent::kConsensus)] =
      m.consensus_success - std::min(1.0, m.consensus_latency / kOpsConsensusLatencyRefSeconds);
  r[static_cast<int>(OpsAgent::kEthical)] =
      std::clamp(1.0 - kOpsFairnessSharpness * (1.0 - m.fairness_index) -
                     kOpsEthicalDropPenalty * m.drop_fraction,
                 -1.0, 1.0);
  const double bad = std::min(1.0, ratio(m.slo_violations + m.errors + m.shed, m.admitted));
  r[static_cast<int>(OpsAgent::kResource)] =
      -kOpsResourceCostWeight * m.replicas_current / config_.max_replicas -
      kOpsResourceSloWeight * bad;
  return r;
}

}  // namespace tars::env
