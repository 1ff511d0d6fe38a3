// A registry of metric families and its rendering in the Prometheus text format. Components
// register their families once (registering an identical family again returns the existing one)
// and keep the series handles; the /metrics handler calls render().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/obs/family.h"

namespace tars::obs {

// Histogram bucket upper bounds for latencies in seconds: 0.5 ms to 10 s.
std::vector<double> default_latency_buckets();

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registers a counter family, or returns the one registered with the same spec. Errors:
  // invalid_argument for a name, label name or help text Prometheus would not accept;
  // failed_precondition when the name is taken by a different family or a sample name would
  // clash with another family's.
  core::Expected<CounterFamily*> counter(MetricSpec spec);
  // Registers a gauge family; the same rules as counter().
  core::Expected<GaugeFamily*> gauge(MetricSpec spec);
  // Registers a histogram family whose series count observations below each of `upper_bounds`
  // (finite, strictly increasing; a trailing +Inf is implied and may be given); the same rules as
  // counter(), and "le" is not allowed as a label name.
  core::Expected<HistogramFamily*> histogram(
      MetricSpec spec, std::vector<double> upper_bounds = default_latency_buckets());

  // Adds a function called at the start of every render() to refresh values kept elsewhere (the
  // process's memory, a pool's size). Overlapping scrapes call it concurrently.
  void add_collector(std::function<void()> collector);
  // Runs the collectors, then returns every family with series in the text format (kContentType),
  // families sorted by name and series by label values.
  std::string render();

 private:
  template <typename Series>
  core::Expected<Family<Series>*> add(MetricSpec spec, std::vector<double> upper_bounds);

  std::mutex mutex_;  // guards families_ and collectors_
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
  std::vector<std::function<void()>> collectors_;
};

// The process-wide registry, created with the process metrics on first use and never destroyed
// (handles stay valid during static destruction).
Registry& default_registry();

}  // namespace tars::obs
