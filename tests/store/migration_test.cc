#include "tars/store/migration.h"

#include <gtest/gtest.h>

namespace tars::store {
namespace {

TEST(SplitStatements, SplitsAtLineEndingSemicolonsAndDropsComments) {
  const auto statements = split_statements(
      "-- header\nCREATE TABLE a (x TEXT DEFAULT ';');\n\n  -- note\nCREATE INDEX i\n  ON a "
      "(x);\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (x TEXT DEFAULT ';');\n");
  EXPECT_EQ(statements[1], "CREATE INDEX i\n  ON a (x);\n");
}

TEST(SplitStatements, KeepsATrailingStatementWithoutSemicolon) {
  const auto statements = split_statements("SELECT 1;\nSELECT 2\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[1], "SELECT 2\n");
}

TEST(Migrations, AreNumberedFromOneWithoutGaps) {
  for (const auto& migrations : {sqlite_migrations(), postgres_migrations()}) {
    ASSERT_FALSE(migrations.empty());
    for (std::size_t i = 0; i < migrations.size(); ++i) {
      EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1) << migrations[i].name;
      EXPECT_FALSE(migrations[i].sql.empty());
    }
  }
}

TEST(Migrations, OnlyConcurrentIndexBuildsRunOutsideATransaction) {
  for (const auto& migrations : {sqlite_migrations(), postgres_migrations()}) {
    for (const auto& migration : migrations) {
      const bool concurrent = migration.sql.find("CONCURRENTLY") != std::string::npos;
      EXPECT_EQ(migration.transactional(), !concurrent) << migration.name;
    }
  }
}

TEST(Migrations, NoPartialIndexDependsOnTheClock) {
  for (const auto& migration : postgres_migrations()) {
    for (const auto& statement : split_statements(migration.sql)) {
      if (statement.find(" WHERE ") == std::string::npos) continue;
      EXPECT_EQ(statement.find("NOW()"), std::string::npos) << statement;
      EXPECT_EQ(statement.find("CURRENT_TIMESTAMP"), std::string::npos) << statement;
    }
  }
}

TEST(Migrations, PendingAndInfosFollowTheAppliedSet) {
  const std::vector<Migration> all{{1, "0001_a", "x"}, {2, "0002_b", "y"}, {3, "0003_c", "z"}};
  const std::map<int, core::Timestamp> applied{{1, core::from_micros(5)},
                                               {3, core::from_micros(7)}};
  const auto pending = pending_migrations(all, applied);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].name, "0002_b");
  const auto infos = migration_infos(all, applied);
  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(infos[0].applied_at, core::from_micros(5));
  EXPECT_FALSE(infos[1].applied_at.has_value());
}

}  // namespace
}  // namespace tars::store
