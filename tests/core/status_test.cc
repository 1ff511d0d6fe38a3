#include "tars/core/status.h"

#include <gtest/gtest.h>

namespace tars::core {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.to_string(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status status = not_found("no env 'Foo-v0'");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kNotFound);
  EXPECT_EQ(status.to_string(), "not_found: no env 'Foo-v0'");
}

TEST(ExpectedTest, HoldsValueOrError) {
  Expected<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  EXPECT_TRUE(value.status().ok());

  Expected<int> error = invalid_argument("bad");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.status().message(), "bad");
}

}  // namespace
}  // namespace tars::core
