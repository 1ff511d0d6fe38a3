#include "tars/rl/hyperparameters.h"

#include <gtest/gtest.h>

namespace tars::rl {
namespace {

std::vector<HyperparameterSpec> schema() {
  return {
      {.name = "learning_rate",
       .type = HyperparameterType::kSchedule,
       .default_value = "lin_0.001",
       .min = 1e-6,
       .max = 1.0,
       .reload = ReloadClass::kHot,
       .description = "Adam step size"},
      {.name = "n_epochs",
       .type = HyperparameterType::kInteger,
       .default_value = "10",
       .min = 1,
       .max = 100,
       .reload = ReloadClass::kWarm,
       .description = "epochs K"},
      {.name = "gamma",
       .type = HyperparameterType::kNumber,
       .default_value = "0.99",
       .min = 0,
       .max = 1,
       .reload = ReloadClass::kHot,
       .description = "discount"},
      {.name = "normalize_advantage",
       .type = HyperparameterType::kBool,
       .default_value = "true",
       .reload = ReloadClass::kHot,
       .description = "advantage normalisation"},
      {.name = "activation",
       .type = HyperparameterType::kChoice,
       .default_value = "tanh",
       .choices = {"tanh", "relu"},
       .reload = ReloadClass::kCold,
       .description = "hidden units"},
  };
}

Hyperparameters make() {
  auto made = Hyperparameters::from_schema(schema());
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return *made;
}

TEST(HyperparametersTest, DefaultsAreParsed) {
  const Hyperparameters h = make();
  EXPECT_EQ(h.integer("n_epochs"), 10);
  EXPECT_DOUBLE_EQ(h.number("gamma"), 0.99);
  EXPECT_TRUE(h.flag("normalize_advantage"));
  EXPECT_EQ(h.choice("activation"), "tanh");
  const auto lr = h.schedule("learning_rate");
  EXPECT_EQ(lr.kind(), nn::Schedule::Kind::kLinear);
  EXPECT_DOUBLE_EQ(lr.value(1.0), 0.001);
  EXPECT_DOUBLE_EQ(lr.value(0.25), 0.00025);
  EXPECT_EQ(h.text("learning_rate"), "lin_0.001");
}

TEST(HyperparametersTest, SetValidatesAndCanonicalises) {
  Hyperparameters h = make();
  ASSERT_TRUE(h.set("n_epochs", "1e1").ok());  // RL Zoo writes counts as floats
  EXPECT_EQ(h.integer("n_epochs"), 10);
  ASSERT_TRUE(h.set("learning_rate", "3e-4").ok());
  EXPECT_EQ(h.schedule("learning_rate").kind(), nn::Schedule::Kind::kConstant);
  EXPECT_DOUBLE_EQ(h.schedule("learning_rate").value(0.1), 3e-4);
  ASSERT_TRUE(h.set_all({{"gamma", "0.9"}, {"activation", "relu"}}).ok());
  EXPECT_DOUBLE_EQ(h.number("gamma"), 0.9);
  EXPECT_EQ(h.choice("activation"), "relu");
}

TEST(HyperparametersTest, BadValuesNameTheKeyAndKeepTheOldValue) {
  Hyperparameters h = make();
  core::Status status = h.set("gamma", "1.5");
  EXPECT_EQ(status.code(), core::ErrorCode::kOutOfRange);
  EXPECT_NE(status.message().find("'gamma' must be in [0, 1], got 1.5"), std::string::npos)
      << status.message();
  EXPECT_DOUBLE_EQ(h.number("gamma"), 0.99);

  status = h.set("n_epochs", "2.5");
  EXPECT_NE(status.message().find("'n_epochs' must be an integer"), std::string::npos);
  status = h.set("normalize_advantage", "maybe");
  EXPECT_NE(status.message().find("true or false"), std::string::npos);
  status = h.set("activation", "gelu");
  EXPECT_NE(status.message().find("one of tanh, relu"), std::string::npos) << status.message();
  status = h.set("learning_rate", "lin_fast");
  EXPECT_NE(status.message().find("'learning_rate'"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("lin_fast"), std::string::npos) << status.message();
  status = h.set("learning_rate", "nan");
  EXPECT_FALSE(status.ok());
  status = h.set("lerning_rate", "0.1");
  EXPECT_NE(status.message().find("unknown hyperparameter 'lerning_rate'"), std::string::npos);
}

TEST(HyperparametersTest, SchemaErrorsAreReported) {
  auto duplicate = schema();
  duplicate.push_back(duplicate.front());
  EXPECT_NE(Hyperparameters::from_schema(duplicate).status().message().find("declared twice"),
            std::string::npos);
  auto bad_default = schema();
  bad_default[2].default_value = "2";
  EXPECT_NE(Hyperparameters::from_schema(bad_default).status().message().find("bad default"),
            std::string::npos);
}

TEST(HyperparametersTest, ParsesAssignments) {
  auto assignment = parse_assignment("learning_rate=lin_0.01");
  ASSERT_TRUE(assignment.ok());
  EXPECT_EQ(assignment->first, "learning_rate");
  EXPECT_EQ(assignment->second, "lin_0.01");
  EXPECT_FALSE(parse_assignment("=3").ok());
  EXPECT_FALSE(parse_assignment("gamma").ok());
}

}  // namespace
}  // namespace tars::rl
