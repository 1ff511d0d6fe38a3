#include "tars/obs/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "tars/obs/names.h"
#include "tars/obs/process_collector.h"

namespace tars::obs {
namespace {

// The names of the sample lines a family writes.
std::vector<std::string> sample_names(const std::string& name, MetricType type) {
  if (type != MetricType::kHistogram) return {name};
  return {name + "_bucket", name + "_sum", name + "_count"};
}

// "counter with labels [method, route]", "histogram with labels [] and buckets [0.1, 1]".
std::string describe(MetricType type, const MetricSpec& spec,
                     const std::vector<double>& upper_bounds) {
  std::string text =
      fmt::format("{} with labels [{}]", metric_type_name(type), fmt::join(spec.label_names, ", "));
  if (type == MetricType::kHistogram) {
    text += fmt::format(" and buckets [{}]", fmt::join(upper_bounds, ", "));
  }
  return text;
}

// OK when Prometheus accepts the name, help text and label names of a family of this type.
core::Status check_spec(const MetricSpec& spec, MetricType type) {
  if (core::Status status = check_metric_name(spec.name); !status.ok()) return status;
  if (spec.help.empty() || !is_valid_utf8(spec.help)) {
    return core::invalid_argument(
        fmt::format("metric '{}': help must be non-empty UTF-8 text", spec.name));
  }
  std::set<std::string_view> seen;
  for (const std::string& label : spec.label_names) {
    if (core::Status status = check_label_name(label); !status.ok()) {
      return core::invalid_argument(fmt::format("metric '{}': {}", spec.name, status.message()));
    }
    if (!seen.insert(label).second) {
      return core::invalid_argument(
          fmt::format("metric '{}': label '{}' is declared twice", spec.name, label));
    }
    if (type == MetricType::kHistogram && label == "le") {
      return core::invalid_argument(fmt::format(
          "metric '{}': label 'le' is reserved for the buckets of a histogram", spec.name));
    }
  }
  return {};
}

// The bounds without a trailing +Inf, or an error when they are not finite and strictly
// increasing.
core::Expected<std::vector<double>> check_upper_bounds(const std::string& name,
                                                       std::vector<double> bounds) {
  if (!bounds.empty() && bounds.back() == std::numeric_limits<double>::infinity()) {
    bounds.pop_back();
  }
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      return core::invalid_argument(
          fmt::format("metric '{}': bucket bound {} is not finite (only a last +Inf is allowed)",
                      name, bounds[i]));
    }
    if (i > 0 && bounds[i] <= bounds[i - 1]) {
      return core::invalid_argument(
          fmt::format("metric '{}': bucket bounds must be strictly increasing, got {} after {}",
                      name, bounds[i], bounds[i - 1]));
    }
  }
  return bounds;
}

}  // namespace

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

core::Expected<CounterFamily*> Registry::counter(MetricSpec spec) {
  return add<Counter>(std::move(spec), {});
}

core::Expected<GaugeFamily*> Registry::gauge(MetricSpec spec) {
  return add<Gauge>(std::move(spec), {});
}

core::Expected<HistogramFamily*> Registry::histogram(MetricSpec spec,
                                                     std::vector<double> upper_bounds) {
  core::Expected<std::vector<double>> bounds =
      check_upper_bounds(spec.name, std::move(upper_bounds));
  if (!bounds) return bounds.status();
  return add<Histogram>(std::move(spec), std::move(*bounds));
}

template <typename Series>
core::Expected<Family<Series>*> Registry::add(MetricSpec spec, std::vector<double> upper_bounds) {
  constexpr MetricType kType = Family<Series>::kType;
  if (core::Status status = check_spec(spec, kType); !status.ok()) return status;
  const std::lock_guard lock(mutex_);
  if (const auto found = families_.find(spec.name); found != families_.end()) {
    FamilyBase& existing = *found->second;
    if (existing.type() == kType && existing.spec() == spec &&
        existing.upper_bounds() == upper_bounds) {
      return static_cast<Family<Series>*>(&existing);
    }
    const std::string had = describe(existing.type(), existing.spec(), existing.upper_bounds());
    const std::string wanted = describe(kType, spec, upper_bounds);
    if (had == wanted) {
      return core::failed_precondition(
          fmt::format("metric '{}' is already registered with help '{}', not '{}'", spec.name,
                      existing.spec().help, spec.help));
    }
    return core::failed_precondition(
        fmt::format("metric '{}' is already registered as a {}; cannot register it as a {}",
                    spec.name, had, wanted));
  }
  const std::vector<std::string> names = sample_names(spec.name, kType);
  for (const auto& [other, family] : families_) {
    for (const std::string& taken : sample_names(other, family->type())) {
      if (std::find(names.begin(), names.end(), taken) != names.end()) {
        return core::failed_precondition(
            fmt::format("metric '{}' would write samples named '{}', as metric '{}' already does",
                        spec.name, taken, other));
      }
    }
  }
  auto family = std::make_unique<Family<Series>>(std::move(spec), std::move(upper_bounds));
  Family<Series>* const result = family.get();
  families_.emplace(result->spec().name, std::move(family));
  return result;
}

void Registry::add_collector(std::function<void()> collector) {
  const std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::render() {
  std::vector<std::function<void()>> collectors;
  {
    const std::lock_guard lock(mutex_);
    collectors = collectors_;
  }
  // Called without the lock, so a collector may register families.
  for (const std::function<void()>& collect : collectors) collect();
  std::string out;
  const std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

Registry& default_registry() {
  static Registry* const registry = [] {
    auto* created = new Registry();
    // Cannot fail: the registry is empty.
    [[maybe_unused]] const core::Status status = register_process_metrics(*created);
    assert(status.ok());
    return created;
  }();
  return *registry;
}

}  // namespace tars::obs
