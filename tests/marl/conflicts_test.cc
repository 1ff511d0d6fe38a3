// The conflict rules fire exactly when their documented conditions hold.
#include "tars/marl/conflicts.h"

#include <gtest/gtest.h>

namespace tars::marl {
namespace {

using env::OpsAgent;

constexpr ServiceContext kIdle{.utilisation = 0.3, .replica_fraction = 0.5};
constexpr ServiceContext kBusy{.utilisation = 0.9, .replica_fraction = 0.5};

env::OpsSimAction calm() {
  return {.policy = 7, .consensus = 1, .ethical = 1, .resource = 0.5f};  // the defaults
}

bool has(const Conflicts& conflicts, ConflictType type) {
  for (int i = 0; i < conflicts.count; ++i) {
    if (conflicts.items[static_cast<std::size_t>(i)].type == type) return true;
  }
  return false;
}

TEST(Conflicts, DefaultsConflictWithNothing) {
  EXPECT_EQ(detect_conflicts(calm(), kIdle).count, 0);
  EXPECT_EQ(detect_conflicts(calm(), kBusy).count, 0);
}

TEST(Conflicts, AggressiveAdmissionWithRestrictiveFairness) {
  env::OpsSimAction action = calm();
  action.ethical = 4;  // 70 % to interactive
  const Conflicts conflicts = detect_conflicts(action, kIdle);
  ASSERT_EQ(conflicts.count, 1);
  EXPECT_TRUE(has(conflicts, ConflictType::kAdmissionVsFairness));
  EXPECT_EQ(conflicts.involving(OpsAgent::kPolicy), 1);
  EXPECT_EQ(conflicts.involving(OpsAgent::kEthical), 1);
  EXPECT_EQ(conflicts.involving(OpsAgent::kResource), 0);
  action.policy = 4;  // capped admission: no longer aggressive
  EXPECT_FALSE(has(detect_conflicts(action, kIdle), ConflictType::kAdmissionVsFairness));
}

TEST(Conflicts, ScalingToTheMaximumWhileIdle) {
  env::OpsSimAction action = calm();
  action.resource = 1.0f;
  EXPECT_TRUE(has(detect_conflicts(action, kIdle), ConflictType::kScaleToMax));
  EXPECT_FALSE(has(detect_conflicts(action, kBusy), ConflictType::kScaleToMax));
  // Unknown utilisation (an external system that does not report it): the rule stays silent.
  EXPECT_FALSE(has(detect_conflicts(action, ServiceContext{}), ConflictType::kScaleToMax));
}

TEST(Conflicts, SheddingWhileScalingDown) {
  env::OpsSimAction action = calm();
  action.policy = 1;       // admit half
  action.resource = 0.2f;  // below the provisioned 0.5
  const Conflicts conflicts = detect_conflicts(action, kIdle);
  EXPECT_TRUE(has(conflicts, ConflictType::kShedVsScaleDown));
  EXPECT_EQ(conflicts.involving(OpsAgent::kResource), 1);
  action.resource = 0.6f;  // scaling up
  EXPECT_FALSE(has(detect_conflicts(action, kIdle), ConflictType::kShedVsScaleDown));
}

TEST(Conflicts, KeepingTheReplicaCountIsNoScaleDown) {
  // 17 of 30 replica steps provisioned; the same target as a float rounds just below 17 / 30.
  const ServiceContext context{
      .utilisation = 0.5, .replica_fraction = 17.0 / 30.0, .replica_step = 1.0 / 30.0};
  env::OpsSimAction action = calm();
  action.policy = 4;  // caps admission at 80 % of the capacity
  action.resource = static_cast<float>(17.0 / 30.0);
  ASSERT_LT(action.resource, context.replica_fraction);
  EXPECT_FALSE(has(detect_conflicts(action, context), ConflictType::kShedVsScaleDown));
  action.resource = static_cast<float>(16.6 / 30.0);  // still rounds to 17 replica steps
  EXPECT_FALSE(has(detect_conflicts(action, context), ConflictType::kShedVsScaleDown));
  action.resource = static_cast<float>(16.0 / 30.0);  // one replica fewer
  EXPECT_TRUE(has(detect_conflicts(action, context), ConflictType::kShedVsScaleDown));
}

TEST(Conflicts, AggressiveTimeoutUnderLoad) {
  env::OpsSimAction action = calm();
  action.consensus = 0;
  EXPECT_TRUE(has(detect_conflicts(action, kBusy), ConflictType::kTimeoutUnderLoad));
  EXPECT_FALSE(has(detect_conflicts(action, kIdle), ConflictType::kTimeoutUnderLoad));
  EXPECT_EQ(conflict_type_name(ConflictType::kTimeoutUnderLoad), "timeout_under_load");
}

TEST(Conflicts, SeveralRulesAtOnceAreCountedPerAgent) {
  const env::OpsSimAction action{.policy = 9, .consensus = 0, .ethical = 7, .resource = 1.0f};
  const ServiceContext busy_small{.utilisation = 0.95, .replica_fraction = 0.1};
  const Conflicts conflicts = detect_conflicts(action, busy_small);
  EXPECT_EQ(conflicts.count, 2);  // admission vs fairness, timeout under load
  EXPECT_EQ(conflicts.involving(OpsAgent::kPolicy), 2);
}

}  // namespace
}  // namespace tars::marl
