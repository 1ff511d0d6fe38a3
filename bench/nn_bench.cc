// Network micro benchmarks for issue 3's targets on this machine:
// - a 4-64-64-2 MLP forward for 8 observations: ~2 us (libtorch 1.13: ~39 us);
// - policy act for one observation with a 64-64 network: <= 1 us (SB3's predict ~215 us, its bare
//   PyTorch forward ~31 us);
// - forward + backward + Adam step on 256 samples: ~0.3 ms target (libtorch: ~2.1 ms).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "tars/core/rng.h"
#include "tars/nn/adam.h"
#include "tars/nn/categorical.h"
#include "tars/nn/loss.h"
#include "tars/nn/mlp.h"

namespace {

using tars::core::Generator;
using tars::nn::Activation;
using tars::nn::Mlp;

Eigen::MatrixXf random_batch(Eigen::Index rows, Eigen::Index cols, Generator& generator) {
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    m.data()[i] = static_cast<float>(generator.standard_normal());
  }
  return m;
}

void label_target(benchmark::State& state, double target_us) {
  state.counters["target_us"] = target_us;
}

// Training-path forward (caches activations for backward) of 4-64-64-2 on 8 observations.
void mlp_forward_4_64_64_2_batch8(benchmark::State& state) {
  Generator generator(0);
  Mlp<float> mlp({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, generator);
  const Eigen::MatrixXf obs = random_batch(4, 8, generator);
  for (auto _ : state) {
    auto out = mlp.forward(obs);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  label_target(state, 2.0);
}
BENCHMARK(mlp_forward_4_64_64_2_batch8);

// Inference-path forward (no caching) of the same network.
void mlp_predict_4_64_64_2_batch8(benchmark::State& state) {
  Generator generator(0);
  Mlp<float> mlp({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, generator);
  const Eigen::MatrixXf obs = random_batch(4, 8, generator);
  for (auto _ : state) {
    auto out = mlp.predict(obs);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  label_target(state, 2.0);
}
BENCHMARK(mlp_predict_4_64_64_2_batch8);

// Policy act for one observation: 64-64 tanh network, categorical head, sample (stochastic) or
// argmax (deterministic). obs_dim / actions: CartPole 4 / 2, LunarLander 8 / 4.
void policy_act_one_observation(benchmark::State& state) {
  const auto obs_dim = state.range(0);
  const auto num_actions = state.range(1);
  const bool deterministic = state.range(2) != 0;
  Generator generator(0);
  Mlp<float> policy({obs_dim, 64, 64, num_actions}, Activation::kTanh, Activation::kIdentity,
                    generator);
  tars::nn::Categorical<float> dist;
  const Eigen::MatrixXf obs = random_batch(obs_dim, 1, generator);
  std::int64_t action = 0;
  for (auto _ : state) {
    dist.forward(policy.predict(obs));
    if (deterministic) {
      dist.argmax({&action, 1});
    } else {
      dist.sample(generator, {&action, 1});
    }
    benchmark::DoNotOptimize(action);
  }
  label_target(state, 1.0);
}
BENCHMARK(policy_act_one_observation)
    ->ArgNames({"obs", "actions", "deterministic"})
    ->Args({4, 2, 0})
    ->Args({4, 2, 1})
    ->Args({8, 4, 0});

// One supervised step on 256 samples: forward, MSE loss, backward, Adam.
void train_step_4_64_64_2_batch256(benchmark::State& state) {
  Generator generator(0);
  Mlp<float> mlp({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, generator);
  tars::nn::Adam<float> adam(mlp.parameters(), {.lr = 3e-4});
  const Eigen::MatrixXf obs = random_batch(4, 256, generator);
  const Eigen::MatrixXf target = random_batch(2, 256, generator);
  Eigen::MatrixXf grad(2, 256);
  float loss = 0;
  for (auto _ : state) {
    adam.zero_grad();
    loss = tars::nn::mse_loss<float>(mlp.forward(obs), target, grad);
    mlp.backward_parameters(grad);
    adam.step();
    benchmark::DoNotOptimize(loss);
  }
  label_target(state, 300.0);
}
BENCHMARK(train_step_4_64_64_2_batch256)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
