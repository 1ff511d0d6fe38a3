// Configuration of ops_sim: time scale, replica range, scaling delay, prices, load and failures.
// Every field names its unit; validate_ops_config() rejects bad values naming the field.
#pragma once

#include "tars/core/status.h"

namespace tars::env {

// Hard limits that size the simulator's fixed buffers.
inline constexpr int kOpsMaxReplicas = 64;         // upper bound of max_replicas
inline constexpr int kOpsMaxScalingDelay = 64;     // upper bound of scaling_delay (steps)
inline constexpr int kOpsMaxStepsPerDay = 100000;  // upper bound of steps_per_day

struct OpsSimConfig {
  int episode_length = 200;       // steps until truncation (200 × 5 min = 16 h 40 min)
  double step_seconds = 300.0;    // simulated time of one step (s)
  int steps_per_day = 288;        // period of the daily load cycle (steps; 288 × 300 s = 24 h)
  bool random_start_time = true;  // start each episode at a random step of the day
  int min_replicas = 2;           // replica target 0.0 (replicas)
  int max_replicas = 32;          // replica target 1.0 (replicas), <= kOpsMaxReplicas
  int initial_replicas = 16;      // provisioned, healthy replicas at reset (replicas)
  int scaling_delay = 2;          // steps between choosing a replica target and its effect
  int workers_per_replica = 4;    // concurrent workers per replica (servers of the queue)
  double cost_per_replica_hour = 0.5;  // price of one provisioned replica, healthy or not ($/h)
  double load_scale = 1.0;             // multiplies every group's base arrival rate (×)
  double daily_amplitude = 0.5;        // relative amplitude of the daily sinusoid, in [0, 1)
  double burst_probability = 0.01;     // chance per group and step that a burst starts
  double burst_decay = 0.8;            // per-step factor on a burst's extra load, in [0, 1)
  double arrival_noise = 0.05;         // relative standard deviation of per-step arrivals (×)
  double node_failure_probability = 0.003;  // chance per healthy replica and step that it fails
  int repair_steps = 6;         // steps a failed replica stays down (6 × 5 min = 30 min)
  double write_fraction = 0.3;  // share of requests that need a consensus round, [0, 1]
};

// Ok, or an invalid_argument error naming the first bad field and its allowed range.
core::Status validate_ops_config(const OpsSimConfig& config);

}  // namespace tars::env
