// StateWriter / StateReader: every kind of field round-trips exactly, and a reader assigns
// nothing unless every field it was asked for is valid.
#include "tars/rl/training_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace tars::rl {
namespace {

using ::testing::HasSubstr;

// The generator, mid-way through a buffered 32-bit draw, continues identically.
TEST(TrainingStateTest, GeneratorRoundTripsWithItsBufferedHalf) {
  core::Generator original(11);
  original.integers(0, 10);  // draws 32 bits, buffers the other half
  ASSERT_TRUE(original.bit_generator().has_uint32());
  StateWriter out;
  out.generator("rng", original);
  core::Generator restored(99);
  StateReader in(out.finish());
  in.generator("rng", restored);
  ASSERT_TRUE(in.apply().ok());
  for (int k = 0; k < 10; ++k) EXPECT_EQ(original.integers(0, 1000), restored.integers(0, 1000));
  EXPECT_EQ(original.standard_normal(), restored.standard_normal());
}

// Numbers (NaN as null), flags, windows, progress and nested scopes come back as written.
TEST(TrainingStateTest, FieldsRoundTrip) {
  RollingMean window(3);
  for (double value : {1.0, 2.0, 4.0, 8.0}) window.add(value);
  LearnProgress progress{.steps = 5,
                         .episodes = 2,
                         .recent_return_mean = 1.5,
                         .metrics = {{"loss", 0.25}, {"explained_variance", std::nan("")}}};
  StateWriter out;
  StateWriter inner = out.scope("inner");
  inner.integer("count", 7);
  inner.numbers("values", std::vector<double>{0.1, -2.5});
  out.flags("starts", std::vector<std::uint8_t>{1, 0});
  out.window("window", window);
  out.progress("progress", progress);
  const TrainingState state = out.finish();
  EXPECT_EQ(nlohmann::json::parse(state.json)["progress"]["metrics"]["explained_variance"],
            nullptr);

  std::int64_t count = 0;
  std::vector<double> values(2);
  std::vector<std::uint8_t> starts(2);
  RollingMean restored_window(3);
  LearnProgress restored_progress;
  StateReader in(state);
  StateReader restored_inner = in.scope("inner");
  restored_inner.integer("count", count);
  restored_inner.numbers("values", values);
  in.flags("starts", starts);
  in.window("window", restored_window);
  in.progress("progress", restored_progress);
  ASSERT_TRUE(in.apply().ok());
  EXPECT_EQ(count, 7);
  EXPECT_EQ(values, (std::vector<double>{0.1, -2.5}));
  EXPECT_EQ(starts, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_EQ(restored_window.values(), window.values());
  EXPECT_EQ(restored_window.mean(), window.mean());
  EXPECT_EQ(restored_progress.steps, 5);
  EXPECT_EQ(restored_progress.metrics.at("loss"), 0.25);
  EXPECT_TRUE(std::isnan(restored_progress.metrics.at("explained_variance")));
}

// RMSprop's moments (momentum and centered) and step count go to named tensors and back.
TEST(TrainingStateTest, OptimizerMomentsRoundTrip) {
  nn::Matrix<float> w = nn::Matrix<float>::Constant(2, 3, 1.0f);
  nn::Matrix<float> g = nn::Matrix<float>::Random(2, 3);
  const nn::RmspropOptions options{.lr = 0.1, .momentum = 0.9, .centered = true};
  nn::Rmsprop<float> original({{"w", nn::as_map(w), nn::as_map(g)}}, options);
  original.step();
  original.step();
  StateWriter out;
  out.optimizer("optimizer", original);
  const TrainingState state = out.finish();
  ASSERT_EQ(state.tensors.size(), 3u);
  EXPECT_EQ(state.tensors[0].name, "optimizer.w.square_avg");
  EXPECT_EQ(state.tensors[0].shape, (std::vector<std::int64_t>{2, 3}));

  nn::Matrix<float> w2 = w;
  nn::Matrix<float> g2 = g;
  nn::Rmsprop<float> restored({{"w", nn::as_map(w2), nn::as_map(g2)}},
                              {.lr = 0.5, .momentum = 0.9, .centered = true});
  StateReader in(state);
  in.optimizer("optimizer", restored);
  ASSERT_TRUE(in.apply().ok());
  EXPECT_EQ(restored.step_count(), 2);
  EXPECT_EQ(restored.lr(), 0.1);
  original.step();
  restored.step();
  EXPECT_EQ(w, w2);
}

// Every problem is named at once, and nothing is assigned.
TEST(TrainingStateTest, ReaderNamesEveryProblemAndAssignsNothing) {
  StateWriter out;
  out.integer("steps", 3);
  out.number("epsilon", 0.5);
  out.scope("noise").numbers("state", std::vector<double>{1, 2, 3});
  std::int64_t steps = -1;
  double epsilon = -1;
  std::vector<double> noise(2);
  bool flag = false;
  StateReader in(out.finish());
  in.integer("steps", steps);
  in.number("epsilon", epsilon);
  in.scope("noise").numbers("state", noise);
  in.flag("missing", flag);
  in.scope("absent").integer("inner", steps);
  const core::Status status = in.apply();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("'noise.state' has 3 values, expected 2"));
  EXPECT_THAT(status.message(), HasSubstr("missing 'missing'"));
  EXPECT_THAT(status.message(), HasSubstr("'absent' must be a JSON object"));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("absent.inner")));
  EXPECT_EQ(steps, -1);
  EXPECT_EQ(epsilon, -1);
}

}  // namespace
}  // namespace tars::rl
