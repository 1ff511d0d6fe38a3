// Statement labels of tars_db_query_duration_seconds: verb and first table, bounded.
#include <gtest/gtest.h>

#include "tars/store/timed_sql_engine.h"

namespace tars::store {
namespace {

TEST(QueryLabel, VerbAndFirstTable) {
  EXPECT_EQ(query_label("SELECT COUNT(*) FROM audit_log WHERE actor = $1"), "select audit_log");
  EXPECT_EQ(query_label("  insert INTO evaluations (a) VALUES (?) RETURNING id"),
            "insert evaluations");
  EXPECT_EQ(query_label("UPDATE baselines SET rank = rank + 1"), "update baselines");
  EXPECT_EQ(query_label("DELETE FROM revoked_tokens WHERE expires_at < ?"),
            "delete revoked_tokens");
  // The deferred join's outer query: the table its subquery reads.
  EXPECT_EQ(query_label("SELECT e.* FROM (SELECT id FROM evaluations LIMIT 5) AS page JOIN "
                        "evaluations e USING (id)"),
            "select evaluations");
  // A column named like a keyword is not taken for one.
  EXPECT_EQ(query_label("SELECT from_agent FROM transfers"), "select transfers");
}

TEST(QueryLabel, EverythingElseIsOther) {
  EXPECT_EQ(query_label("SELECT 1"), "other");
  EXPECT_EQ(query_label("CREATE TABLE t (id INTEGER)"), "other");
  EXPECT_EQ(query_label("BEGIN; UPDATE"), "other");
  EXPECT_EQ(query_label(""), "other");
}

}  // namespace
}  // namespace tars::store
