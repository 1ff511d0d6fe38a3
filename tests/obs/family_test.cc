#include "tars/obs/family.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace tars::obs {
namespace {

using ::testing::HasSubstr;

MetricSpec requests_spec() {
  return {.name = "http_requests_total",
          .help = "HTTP requests served.",
          .label_names = {"method", "route", "status"}};
}

TEST(FamilyTest, WithReturnsOneSeriesPerLabelValues) {
  CounterFamily family(requests_spec(), {});
  const core::Expected<Counter*> get = family.with({"GET", "/api/v1/evaluations", "200"});
  const core::Expected<Counter*> again = family.with({"GET", "/api/v1/evaluations", "200"});
  const core::Expected<Counter*> post = family.with({"POST", "/api/v1/evaluations", "200"});
  ASSERT_TRUE(get.ok() && again.ok() && post.ok());
  EXPECT_EQ(*get, *again);
  EXPECT_NE(*get, *post);
  (*get)->inc();
  EXPECT_EQ((*again)->value(), 1.0);
  EXPECT_EQ((*post)->value(), 0.0);
}

TEST(FamilyTest, WrongNumberOfLabelValuesIsAnError) {
  CounterFamily family(requests_spec(), {});
  const core::Expected<Counter*> series = family.with({"GET", "/"});
  ASSERT_FALSE(series.ok());
  EXPECT_EQ(series.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(series.status().message(),
            "metric 'http_requests_total' has 3 label(s) [method, route, status], got 2 value(s)");
}

TEST(FamilyTest, LabelValuesMustBeUtf8) {
  CounterFamily family(requests_spec(), {});
  const core::Expected<Counter*> series = family.with({"GET", "/caf\xe9", "200"});
  ASSERT_FALSE(series.ok());
  EXPECT_THAT(series.status().message(), HasSubstr("label 'route' is not valid UTF-8"));
}

TEST(FamilyTest, FamilyWithoutLabelsIsExposedFromTheStart) {
  GaugeFamily family({.name = "tars_websocket_connections", .help = "Open WebSocket connections."},
                     {});
  std::string out;
  family.render(out);
  EXPECT_EQ(out,
            "# HELP tars_websocket_connections Open WebSocket connections.\n"
            "# TYPE tars_websocket_connections gauge\n"
            "tars_websocket_connections 0\n");
  const core::Expected<Gauge*> series = family.with({});
  ASSERT_TRUE(series.ok());
  (*series)->set(3);
  out.clear();
  family.render(out);
  EXPECT_THAT(out, HasSubstr("\ntars_websocket_connections 3\n"));
}

TEST(FamilyTest, FamilyWithLabelsAndNoSeriesRendersNothing) {
  CounterFamily family(requests_spec(), {});
  std::string out;
  family.render(out);
  EXPECT_EQ(out, "");
}

TEST(FamilyTest, SeriesAreRenderedSortedByLabelValues) {
  GaugeFamily family({.name = "queue_depth", .help = "Jobs waiting.", .label_names = {"queue"}},
                     {});
  for (const char* queue : {"train", "eval", "tune"}) ASSERT_TRUE(family.with({queue}).ok());
  std::string out;
  family.render(out);
  EXPECT_EQ(out,
            "# HELP queue_depth Jobs waiting.\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth{queue=\"eval\"} 0\n"
            "queue_depth{queue=\"train\"} 0\n"
            "queue_depth{queue=\"tune\"} 0\n");
}

TEST(FamilyTest, ConcurrentLookupsShareOneSeries) {
  constexpr int kThreads = 8;
  constexpr int kRequests = 20000;
  CounterFamily family(requests_spec(), {});
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&family, t] {
      const std::string status = t % 2 == 0 ? "200" : "404";
      for (int i = 0; i < kRequests; ++i) {
        const core::Expected<Counter*> series = family.with({"GET", "/", status});
        if (series.ok()) (*series)->inc();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const core::Expected<Counter*> ok = family.with({"GET", "/", "200"});
  const core::Expected<Counter*> not_found = family.with({"GET", "/", "404"});
  ASSERT_TRUE(ok.ok() && not_found.ok());
  EXPECT_EQ((*ok)->value(), kThreads / 2 * kRequests);
  EXPECT_EQ((*not_found)->value(), kThreads / 2 * kRequests);
}

TEST(FamilyTest, HistogramSeriesUseTheFamilyBuckets) {
  HistogramFamily family(
      {.name = "tars_db_query_duration_seconds", .help = "Query time.", .label_names = {"query"}},
      {0.01, 0.1});
  const core::Expected<Histogram*> series = family.with({"list_evaluations"});
  ASSERT_TRUE(series.ok());
  (*series)->observe(0.05);
  EXPECT_EQ((*series)->upper_bounds().size(), 2U);
  EXPECT_EQ((*series)->snapshot().cumulative_counts, (std::vector<std::uint64_t>{0, 1, 1}));
  EXPECT_EQ(family.type(), MetricType::kHistogram);
  EXPECT_STREQ(metric_type_name(family.type()), "histogram");
}

}  // namespace
}  // namespace tars::obs
