#include <gtest/gtest.h>

#include "tars/http/middleware.h"

namespace tars::http {
namespace {

TEST(RedactTarget, HidesCredentialValuesOnly) {
  EXPECT_EQ(redact_target("/?token=abc"), "/?token=redacted");
  EXPECT_EQ(redact_target("/ws/live?x=1&access_token=s3cr3t&y=2"),
            "/ws/live?x=1&access_token=redacted&y=2");
  EXPECT_EQ(redact_target("/api/v1/evaluations?agent_id=a&limit=5"),
            "/api/v1/evaluations?agent_id=a&limit=5");
  EXPECT_EQ(redact_target("/health"), "/health");
  EXPECT_EQ(redact_target("/x?"), "/x?");
  EXPECT_EQ(redact_target("/x?tokens=1"), "/x?tokens=1");
}

}  // namespace
}  // namespace tars::http
