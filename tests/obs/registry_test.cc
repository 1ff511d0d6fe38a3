#include "tars/obs/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace tars::obs {
namespace {

using ::testing::HasSubstr;

TEST(RegistryTest, RendersCountersGaugesAndHistogramsExactly) {
  Registry registry;
  core::Expected<CounterFamily*> requests =
      registry.counter({.name = "http_requests_total",
                        .help = "HTTP requests served.",
                        .label_names = {"method", "route", "status"}});
  core::Expected<HistogramFamily*> duration =
      registry.histogram({.name = "http_request_duration_seconds",
                          .help = "HTTP request latency.",
                          .label_names = {"route"}},
                         {0.005, 0.05, 0.5});
  core::Expected<GaugeFamily*> connections =
      registry.gauge({.name = "tars_websocket_connections",
                      .help = "Open WebSocket connections.\nCounts \\ upgrades."});
  ASSERT_TRUE(requests.ok() && duration.ok() && connections.ok());

  core::Expected<Counter*> get = (*requests)->with({"GET", "/api/v1/evaluations", "200"});
  ASSERT_TRUE(get.ok());
  (*get)->inc(3);
  ASSERT_TRUE((*requests)->with({"POST", "/api/v1/evaluations", "201"}).ok());
  (*(*requests)->with({"POST", "/api/v1/evaluations", "201"}))->inc();
  (*(*requests)->with({"GET", "/a\"b\\c\nd", "404"}))->inc();
  core::Expected<Histogram*> latency = (*duration)->with({"/api/v1/evaluations"});
  ASSERT_TRUE(latency.ok());
  // Powers of two, so the sum is exact.
  for (const double seconds : {0.00390625, 0.03125, 0.03125, 2.0}) (*latency)->observe(seconds);
  (*(*connections)->with({}))->set(42);

  EXPECT_EQ(registry.render(), R"txt(# HELP http_request_duration_seconds HTTP request latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{route="/api/v1/evaluations",le="0.005"} 1
http_request_duration_seconds_bucket{route="/api/v1/evaluations",le="0.05"} 3
http_request_duration_seconds_bucket{route="/api/v1/evaluations",le="0.5"} 3
http_request_duration_seconds_bucket{route="/api/v1/evaluations",le="+Inf"} 4
http_request_duration_seconds_sum{route="/api/v1/evaluations"} 2.06640625
http_request_duration_seconds_count{route="/api/v1/evaluations"} 4
# HELP http_requests_total HTTP requests served.
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/a\"b\\c\nd",status="404"} 1
http_requests_total{method="GET",route="/api/v1/evaluations",status="200"} 3
http_requests_total{method="POST",route="/api/v1/evaluations",status="201"} 1
# HELP tars_websocket_connections Open WebSocket connections.\nCounts \\ upgrades.
# TYPE tars_websocket_connections gauge
tars_websocket_connections 42
)txt");
}

TEST(RegistryTest, DefaultBucketsSuitLatenciesInSeconds) {
  const std::vector<double> buckets = default_latency_buckets();
  ASSERT_FALSE(buckets.empty());
  EXPECT_EQ(buckets.front(), 0.0005);
  EXPECT_EQ(buckets.back(), 10.0);
  Registry registry;
  core::Expected<HistogramFamily*> family =
      registry.histogram({.name = "job_seconds", .help = "Job time."});
  ASSERT_TRUE(family.ok());
  EXPECT_EQ((*family)->upper_bounds(), buckets);
  const std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("job_seconds_bucket{le=\"0.0005\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("job_seconds_bucket{le=\"0.0025\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("job_seconds_bucket{le=\"10\"} 0\n"));
  EXPECT_THAT(
      text,
      HasSubstr("job_seconds_bucket{le=\"+Inf\"} 0\njob_seconds_sum 0\njob_seconds_count 0\n"));
}

TEST(RegistryTest, NewRegistriesAreIndependentAndEmpty) {
  Registry first;
  Registry second;
  ASSERT_TRUE(first.gauge({.name = "only_in_first", .help = "A gauge."}).ok());
  EXPECT_THAT(first.render(), HasSubstr("only_in_first 0\n"));
  EXPECT_EQ(second.render(), "");
}

TEST(RegistryTest, RegisteringTheSameFamilyAgainReturnsIt) {
  Registry registry;
  const MetricSpec spec = {.name = "jobs_total", .help = "Jobs run.", .label_names = {"kind"}};
  core::Expected<CounterFamily*> first = registry.counter(spec);
  core::Expected<CounterFamily*> second = registry.counter(spec);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  // A trailing +Inf bound is implied, so it does not make a histogram different.
  core::Expected<HistogramFamily*> with_inf = registry.histogram(
      {.name = "wait_seconds", .help = "Wait."}, {1.0, std::numeric_limits<double>::infinity()});
  core::Expected<HistogramFamily*> without_inf =
      registry.histogram({.name = "wait_seconds", .help = "Wait."}, {1.0});
  ASSERT_TRUE(with_inf.ok() && without_inf.ok());
  EXPECT_EQ(*with_inf, *without_inf);
}

TEST(RegistryTest, SameNameWithAnotherTypeOrLabelsIsAnError) {
  Registry registry;
  ASSERT_TRUE(registry.counter({.name = "jobs", .help = "Jobs.", .label_names = {"kind"}}).ok());
  const core::Expected<GaugeFamily*> gauge =
      registry.gauge({.name = "jobs", .help = "Jobs.", .label_names = {"kind"}});
  ASSERT_FALSE(gauge.ok());
  EXPECT_EQ(gauge.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(gauge.status().message(),
            "metric 'jobs' is already registered as a counter with labels [kind]; cannot register "
            "it as a gauge with labels [kind]");
  const core::Expected<CounterFamily*> relabelled =
      registry.counter({.name = "jobs", .help = "Jobs.", .label_names = {"kind", "queue"}});
  ASSERT_FALSE(relabelled.ok());
  EXPECT_THAT(relabelled.status().message(), HasSubstr("as a counter with labels [kind, queue]"));
  const core::Expected<CounterFamily*> rehelped =
      registry.counter({.name = "jobs", .help = "Other.", .label_names = {"kind"}});
  ASSERT_FALSE(rehelped.ok());
  EXPECT_EQ(rehelped.status().message(),
            "metric 'jobs' is already registered with help 'Jobs.', not 'Other.'");
}

TEST(RegistryTest, SameHistogramWithOtherBucketsIsAnError) {
  Registry registry;
  ASSERT_TRUE(registry.histogram({.name = "step_seconds", .help = "Step."}, {0.1, 1}).ok());
  const core::Expected<HistogramFamily*> other =
      registry.histogram({.name = "step_seconds", .help = "Step."}, {0.1, 2});
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(),
              HasSubstr("as a histogram with labels [] and buckets [0.1, 1]; cannot register it "
                        "as a histogram with labels [] and buckets [0.1, 2]"));
}

TEST(RegistryTest, SampleNamesMayNotClash) {
  Registry registry;
  ASSERT_TRUE(registry.histogram({.name = "rpc_seconds", .help = "RPC time."}).ok());
  const core::Expected<CounterFamily*> count =
      registry.counter({.name = "rpc_seconds_count", .help = "RPCs."});
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().message(),
            "metric 'rpc_seconds_count' would write samples named 'rpc_seconds_count', as metric "
            "'rpc_seconds' already does");
  ASSERT_TRUE(registry.gauge({.name = "queue_sum", .help = "Sum."}).ok());
  const core::Expected<HistogramFamily*> queue =
      registry.histogram({.name = "queue", .help = "Queue."});
  ASSERT_FALSE(queue.ok());
  EXPECT_THAT(queue.status().message(), HasSubstr("samples named 'queue_sum'"));
}

TEST(RegistryTest, RejectsInvalidNamesAndHelp) {
  Registry registry;
  const auto message = [](const core::Status& status) {
    EXPECT_EQ(status.code(), core::ErrorCode::kInvalidArgument);
    return status.message();
  };
  EXPECT_THAT(message(registry.counter({.name = "http-requests", .help = "x"}).status()),
              HasSubstr("invalid metric name 'http-requests'"));
  EXPECT_EQ(message(registry.counter({.name = "a", .help = "x", .label_names = {"__x"}}).status()),
            "metric 'a': invalid label name '__x': names starting with '__' are reserved");
  EXPECT_EQ(message(registry.gauge({.name = "a", .help = "x", .label_names = {"9"}}).status()),
            "metric 'a': invalid label name '9': must match [a-zA-Z_][a-zA-Z0-9_]*");
  EXPECT_EQ(message(registry.gauge({.name = "a", .help = "x", .label_names = {"k", "k"}}).status()),
            "metric 'a': label 'k' is declared twice");
  EXPECT_EQ(message(registry.histogram({.name = "a", .help = "x", .label_names = {"le"}}).status()),
            "metric 'a': label 'le' is reserved for the buckets of a histogram");
  EXPECT_EQ(message(registry.counter({.name = "a", .help = ""}).status()),
            "metric 'a': help must be non-empty UTF-8 text");
  EXPECT_EQ(message(registry.counter({.name = "a", .help = "\xff"}).status()),
            "metric 'a': help must be non-empty UTF-8 text");
  // Nothing was registered, and "le" is an ordinary label outside histograms.
  EXPECT_EQ(registry.render(), "");
  EXPECT_TRUE(registry.counter({.name = "a", .help = "x", .label_names = {"le"}}).ok());
}

TEST(RegistryTest, RejectsInvalidBuckets) {
  Registry registry;
  const MetricSpec spec = {.name = "h", .help = "x"};
  EXPECT_EQ(registry.histogram(spec, {1.0, 0.5}).status().message(),
            "metric 'h': bucket bounds must be strictly increasing, got 0.5 after 1");
  EXPECT_EQ(registry.histogram(spec, {1.0, 1.0}).status().message(),
            "metric 'h': bucket bounds must be strictly increasing, got 1 after 1");
  EXPECT_THAT(
      registry.histogram(spec, {std::numeric_limits<double>::quiet_NaN()}).status().message(),
      HasSubstr("bucket bound nan is not finite"));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THAT(registry.histogram(spec, {1.0, inf, inf}).status().message(),
              HasSubstr("bucket bound inf is not finite (only a last +Inf is allowed)"));
  EXPECT_EQ(registry.histogram(spec, {-inf, 1.0}).status().code(),
            core::ErrorCode::kInvalidArgument);
}

TEST(RegistryTest, CollectorsRunBeforeEachRender) {
  Registry registry;
  core::Expected<GaugeFamily*> scrapes = registry.gauge({.name = "scrapes", .help = "Scrapes."});
  ASSERT_TRUE(scrapes.ok());
  Gauge* const gauge = *(*scrapes)->with({});
  registry.add_collector([gauge] { gauge->inc(); });
  EXPECT_THAT(registry.render(), HasSubstr("\nscrapes 1\n"));
  EXPECT_THAT(registry.render(), HasSubstr("\nscrapes 2\n"));
}

TEST(RegistryTest, CollectorsMayRegisterFamilies) {
  Registry registry;
  registry.add_collector([&registry] {
    core::Expected<GaugeFamily*> late = registry.gauge({.name = "late", .help = "Late."});
    if (late.ok()) (*(*late)->with({}))->set(7);
  });
  EXPECT_THAT(registry.render(), HasSubstr("\nlate 7\n"));
}

TEST(RegistryTest, RendersWhileOtherThreadsCount) {
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50000;
  Registry registry;
  core::Expected<CounterFamily*> family =
      registry.counter({.name = "events_total", .help = "Events.", .label_names = {"thread"}});
  ASSERT_TRUE(family.ok());
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([family = *family, t, &finished] {
      Counter* const counter = *family->with({std::to_string(t)});
      for (int i = 0; i < kIncrements; ++i) counter->inc();
      finished.fetch_add(1);
    });
  }
  // Scrapes run while the series are created and counted.
  while (finished.load() < kThreads) registry.render();
  for (std::thread& thread : threads) thread.join();
  const std::string text = registry.render();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_THAT(text, HasSubstr("events_total{thread=\"" + std::to_string(t) + "\"} 50000\n"));
  }
}

TEST(RegistryTest, DefaultRegistryIsOneInstanceWithProcessMetrics) {
  Registry& registry = default_registry();
  EXPECT_EQ(&registry, &default_registry());
  const std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_resident_memory_bytes gauge\n"));
}

}  // namespace
}  // namespace tars::obs
