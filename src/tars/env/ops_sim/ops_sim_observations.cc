// OpsSim's observation encoding: the 32 / 16 / 24 / 20 features of docs/ops_sim.md, written
// into the preallocated buffers after every reset and step.
#include <cstddef>

#include "tars/env/ops_sim/ops_sim.h"  // OpsSim::write_observations
#include "tars/env/ops_sim/ops_sim_math.h"

namespace tars::env {

using ops_detail::feature;
using ops_detail::ratio;
using ops_detail::squash;

void OpsSim::write_observations() {
  const OpsSimConfig& c = config_;
  const OpsSimMetrics& m = metrics_;
  const OpsSimMetrics& prev = previous_;
  const auto& daily = daily_[static_cast<std::size_t>(day_step_)];
  const double tod_sin = daily[kOpsNumGroups];
  const double tod_cos = daily[kOpsNumGroups + 1];
  const double max_capacity =
      static_cast<double>(c.max_replicas) * c.workers_per_replica / kOpsServiceSecondsPerWork;
  const double replicas = std::max(1, m.replicas_current);
  const double load = m.capacity > 0.0 ? squash(m.offered_work / m.capacity, 1.0)
                                       : (m.offered_work > 0.0 ? 1.0 : 0.0);
  const double prev_load = prev.capacity > 0.0 ? squash(prev.offered_work / prev.capacity, 1.0)
                                               : (prev.offered_work > 0.0 ? 1.0 : 0.0);
  const double load_trend = kOpsObsTrendGain * (m.offered_work - prev.offered_work) / max_capacity;
  const double p50 = squash(m.latency_p50, kOpsObsLatencyRefSeconds);
  const double p95 = squash(m.latency_p95, kOpsObsLatencyRefSeconds);
  const double p99 = squash(m.latency_p99, kOpsObsLatencyRefSeconds);
  const double backlog = squash(m.backlog_seconds, kOpsObsBacklogRefSeconds);
  const double consensus_latency = squash(m.consensus_latency, kOpsObsConsensusRefSeconds);
  const double burst = squash(m.max_burst, 1.0);
  const double shed_fraction = ratio(m.shed, m.arrivals);
  const OpsPolicySetting& policy = kOpsPolicySettings[state_.settings.policy];
  const OpsConsensusSetting& consensus = kOpsConsensusSettings[state_.settings.consensus];
  const double max_timeout = kOpsConsensusSettings[2].timeout_seconds;

  float* o = policy_obs_.data();
  o[0] = feature(tod_sin);
  o[1] = feature(tod_cos);
  o[2] = feature(load);
  o[3] = feature(m.offered_work / max_capacity);
  for (int g = 0; g < kOpsNumGroups; ++g) {
    o[4 + g] = feature(squash(m.groups[g].arrivals / (c.load_scale * kOpsGroupBaseRate[g]), 1.0));
  }
  o[8] = feature(ratio(m.admitted, m.arrivals));
  o[9] = feature(ratio(m.rejected, m.arrivals));
  o[10] = feature(shed_fraction);
  o[11] = feature(ratio(m.throughput, m.arrivals));
  o[12] = feature(m.goodput_ratio);
  o[13] = feature(m.slo_violation_rate);
  o[14] = feature(m.error_rate);
  o[15] = feature(p50);
  o[16] = feature(p95);
  o[17] = feature(p99);
  o[18] = feature(backlog);
  o[19] = feature(m.utilisation);
  o[20] = feature(m.healthy_nodes / replicas);
  o[21] = feature(static_cast<double>(m.replicas_current) / c.max_replicas);
  o[22] = feature(static_cast<double>(m.replicas_target) / c.max_replicas);
  o[23] = feature(m.consensus_success);
  o[24] = feature(consensus_latency);
  o[25] = feature(burst);
  o[26] = feature(policy.admit_fraction);
  o[27] = feature(policy.utilisation_cap > 0.0 ? policy.utilisation_cap : 1.0);
  o[28] = feature(squash(policy.shed_seconds, 1.0));
  o[29] = feature(m.fairness_index);
  o[30] = feature(kOpsObsTrendGain * (load - prev_load));
  o[31] = feature(static_cast<double>(state_.step) / c.episode_length);

  o = consensus_obs_.data();
  o[0] = feature(m.consensus_success);
  o[1] = feature(consensus_latency);
  o[2] = feature(m.write_failure_rate);
  o[3] = feature(squash(m.replication_lag, kOpsObsLagRefSeconds));
  o[4] = feature(m.leader_stall);
  o[5] = feature(m.healthy_nodes / replicas);
  o[6] = feature(static_cast<double>(m.replicas_current) / c.max_replicas);
  o[7] = feature(m.failed_nodes / replicas);
  o[8] = feature(squash(m.new_failures, 1.0));
  const int majority = m.replicas_current / 2 + 1;  // classic quorum of the provisioned replicas
  o[9] = feature((m.healthy_nodes - majority) / replicas);
  o[10] = feature(m.utilisation);
  o[11] = feature(consensus.timeout_seconds / max_timeout);
  o[12] = feature(consensus.quorum == OpsQuorum::kMajorityOfHealthy ? 1.0 : 0.0);
  o[13] = feature(p95);
  o[14] = feature(m.error_rate);
  o[15] = feature(load);

  o = ethical_obs_.data();
  for (int g = 0; g < kOpsNumGroups; ++g) {
    const OpsSimGroupMetrics& gm = m.groups[g];
    float* f = o + static_cast<std::ptrdiff_t>(5 * g);
    f[0] = feature(ratio(gm.arrivals, m.arrivals));
    f[1] = feature(gm.goodput_ratio);
    f[2] = feature(squash(gm.latency_p95, kOpsObsLatencyRefSeconds));
    f[3] = feature(ratio(gm.rejected + gm.shed, gm.arrivals));
    f[4] = feature(ratio(gm.served_work, m.capacity));
  }
  o[20] = feature(m.fairness_index);
  o[21] = feature(m.utilisation);
  o[22] = feature(m.drop_fraction);
  o[23] = feature(load);

  o = resource_obs_.data();
  o[0] = feature(tod_sin);
  o[1] = feature(tod_cos);
  o[2] = feature(static_cast<double>(m.replicas_current) / c.max_replicas);
  o[3] = feature(static_cast<double>(m.healthy_nodes) / c.max_replicas);
  o[4] = feature(static_cast<double>(m.replicas_target) / c.max_replicas);
  o[5] = feature(static_cast<double>(m.replicas_next) / c.max_replicas);
  o[6] = feature(m.utilisation);
  o[7] = feature(load);
  o[8] = feature(m.offered_work / max_capacity);
  o[9] = feature(p50);
  o[10] = feature(p95);
  o[11] = feature(p99);
  o[12] = feature(m.slo_violation_rate);
  o[13] = feature(backlog);
  o[14] = feature(shed_fraction);
  o[15] = feature(m.error_rate);
  o[16] = feature(load_trend);
  o[17] = feature(burst);
  o[18] = feature(m.failed_nodes / replicas);
  o[19] = feature(static_cast<double>(m.replicas_target - m.replicas_current) / c.max_replicas);
}

}  // namespace tars::env
