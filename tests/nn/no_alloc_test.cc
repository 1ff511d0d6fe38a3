// After a warm-up call with the largest batch, the hot paths (forward, backward, predict with
// smaller batches, heads, losses, optimizer steps) must not touch the heap. Checked by counting
// malloc calls (glibc: this definition interposes the C library's, forwarding to __libc_malloc).
// Skipped under the sanitizers, which bring their own allocator.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <vector>

#include "tars/nn/adam.h"
#include "tars/nn/categorical.h"
#include "tars/nn/grad_clip.h"
#include "tars/nn/loss.h"
#include "tars/nn/mlp.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TARS_NN_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TARS_NN_COUNT_MALLOC 0
#endif
#endif
#if !defined(TARS_NN_COUNT_MALLOC) && defined(__GLIBC__)
#define TARS_NN_COUNT_MALLOC 1
#endif

#if TARS_NN_COUNT_MALLOC
namespace {
std::atomic<long> g_malloc_calls{0};
}  // namespace

extern "C" void* __libc_malloc(std::size_t size);  // NOLINT
extern "C" void* malloc(std::size_t size) {        // NOLINT
  g_malloc_calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
#endif

namespace tars::nn {
namespace {

TEST(NoAllocTest, HotPathsDoNotAllocateAfterWarmUp) {
#if !TARS_NN_COUNT_MALLOC
  GTEST_SKIP() << "malloc counting needs glibc and no sanitizer";
#else
  core::Generator generator(0);
  Mlp<float> policy({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, generator);
  Mlp<float> value({4, 64, 64, 1}, Activation::kTanh, Activation::kIdentity, generator);
  ParameterList<float> params = policy.parameters("pi.");
  append(params, value.parameters("vf."));
  Adam<float> adam(params, {.lr = 3e-4});
  Categorical<float> dist;
  const Eigen::MatrixXf obs = Eigen::MatrixXf::Random(4, 256);
  const Eigen::MatrixXf targets = Eigen::MatrixXf::Random(1, 256);
  Eigen::MatrixXf value_grad(1, 256);
  std::vector<std::int64_t> actions(256, 1);
  std::vector<float> weights(256, 0.01f);
  std::vector<float> log_prob(256);
  std::vector<std::int64_t> one_action(1);
  const Eigen::MatrixXf zero_grad = Eigen::MatrixXf::Zero(2, 8);

  auto train_step = [&] {
    adam.zero_grad();
    dist.forward(policy.forward(obs));
    dist.log_prob(actions, log_prob);
    policy.backward_parameters(dist.backward(actions, weights, 0.01f));
    const auto v = value.forward(obs);
    mse_loss<float>(v, targets, value_grad);
    value.backward_parameters(value_grad);
    clip_grad_norm<float>(params, 0.5f);
    adam.step();
  };
  auto act = [&](Index batch) {
    dist.forward(policy.predict(obs.leftCols(batch)));
    dist.sample(generator, std::span(one_action.data(), 1));
  };
  train_step();  // warm-up: buffers grow to the largest batch
  act(1);
  policy.forward(obs.leftCols(8));

  const long before = g_malloc_calls.load();
  for (int i = 0; i < 3; ++i) {
    train_step();
    act(1);
    policy.forward(obs.leftCols(8));  // smaller batches reuse the grown buffers
    policy.backward(zero_grad);
  }
  const long after = g_malloc_calls.load();
  EXPECT_EQ(after - before, 0) << "heap allocations in the hot loop";
#endif
}

}  // namespace
}  // namespace tars::nn
