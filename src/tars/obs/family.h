// A metric family: one name, help text, type and list of label names, and one series per
// combination of label values (`requests.with({"GET", "/api/v1/evaluations", "200"})`).
// Looking a series up takes a shared lock and creating one an exclusive lock; the returned
// handle stays valid as long as the registry and may be kept to skip the lookup.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tars/core/status.h"
#include "tars/obs/counter.h"
#include "tars/obs/gauge.h"
#include "tars/obs/histogram.h"

namespace tars::obs {

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge", "histogram": the word on the # TYPE line.
const char* metric_type_name(MetricType type);

// What a family is registered with.
struct MetricSpec {
  std::string name = {};                      // metric name, e.g. "http_requests_total"
  std::string help = {};                      // one sentence for the # HELP line
  std::vector<std::string> label_names = {};  // in the order with() takes the values
  // Field by field: registering an equal spec again returns the existing family.
  bool operator==(const MetricSpec&) const = default;
};

// What the registry knows of every family, whatever its type.
class FamilyBase {
 public:
  // A family of `type`; `upper_bounds` only for histograms, already validated like `spec`.
  FamilyBase(MetricType type, MetricSpec spec, std::vector<double> upper_bounds);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  // Counter, gauge or histogram.
  MetricType type() const { return type_; }
  // Name, help and label names as registered.
  const MetricSpec& spec() const { return spec_; }
  // Bucket upper bounds of a histogram family, without +Inf; empty for counters and gauges.
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // Appends # HELP, # TYPE and the samples of every series, sorted by label values; nothing when
  // the family has no series yet.
  virtual void render(std::string& out) const = 0;

 protected:
  // OK when `values` fits the label names: the right count, each valid UTF-8.
  core::Status check_label_values(std::span<const std::string_view> values) const;

 private:
  MetricType type_;
  MetricSpec spec_;
  std::vector<double> upper_bounds_;
};

// Orders label value lists lexicographically; transparent, so a lookup builds no strings.
struct LabelValuesLess {
  using is_transparent = void;  // enables find() with a span of string_views
  // True when `a` sorts before `b`.
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

// A family of Counter, Gauge or Histogram series (instantiated for those three only).
template <typename Series>
class Family final : public FamilyBase {
 public:
  // The type every family of this series type has.
  static constexpr MetricType kType = std::is_same_v<Series, Counter> ? MetricType::kCounter
                                      : std::is_same_v<Series, Gauge> ? MetricType::kGauge
                                                                      : MetricType::kHistogram;

  // A family without labels gets its single series at once, so it is exposed (as 0) from the start.
  Family(MetricSpec spec, std::vector<double> upper_bounds);

  // The series for `label_values` (one per label name, in order), created on first use; an
  // invalid_argument error for a wrong number of values or a value that is not UTF-8.
  core::Expected<Series*> with(std::initializer_list<std::string_view> label_values);
  // See FamilyBase::render().
  void render(std::string& out) const override;

 private:
  std::unique_ptr<Series> make_series() const;

  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Series>, LabelValuesLess> series_;
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

}  // namespace tars::obs
