#include "tars/obs/family.h"

#include <fmt/format.h>

#include <limits>
#include <mutex>
#include <type_traits>
#include <utility>

#include "tars/obs/names.h"
#include "tars/obs/text_format.h"

namespace tars::obs {
namespace {

// Appends the one sample of a counter or gauge series.
template <typename Series>
void write_series(std::string& out, const std::string& name, std::vector<Label>& labels,
                  const Series& series) {
  write_sample(out, name, labels, format_value(series.value()));
}

// Appends the cumulative name_bucket samples (the le label after the others, +Inf last), then
// name_sum and name_count.
void write_series(std::string& out, const std::string& name, std::vector<Label>& labels,
                  const Histogram& histogram) {
  const Histogram::Snapshot snapshot = histogram.snapshot();
  const std::span<const double> bounds = histogram.upper_bounds();
  const std::string bucket_name = name + "_bucket";
  labels.push_back({.name = "le"});
  for (std::size_t i = 0; i < snapshot.cumulative_counts.size(); ++i) {
    const std::string le =
        format_value(i < bounds.size() ? bounds[i] : std::numeric_limits<double>::infinity());
    labels.back().value = le;
    write_sample(out, bucket_name, labels, std::to_string(snapshot.cumulative_counts[i]));
  }
  labels.pop_back();
  write_sample(out, name + "_sum", labels, format_value(snapshot.sum));
  write_sample(out, name + "_count", labels, std::to_string(snapshot.cumulative_counts.back()));
}

}  // namespace

const char* metric_type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "unknown";
}

FamilyBase::FamilyBase(MetricType type, MetricSpec spec, std::vector<double> upper_bounds)
    : type_(type), spec_(std::move(spec)), upper_bounds_(std::move(upper_bounds)) {}

core::Status FamilyBase::check_label_values(std::span<const std::string_view> values) const {
  const std::vector<std::string>& names = spec_.label_names;
  if (values.size() != names.size()) {
    return core::invalid_argument(fmt::format("metric '{}' has {} label(s) [{}], got {} value(s)",
                                              spec_.name, names.size(), fmt::join(names, ", "),
                                              values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!is_valid_utf8(values[i])) {
      return core::invalid_argument(fmt::format(
          "metric '{}': the value of label '{}' is not valid UTF-8", spec_.name, names[i]));
    }
  }
  return {};
}

template <typename Series>
Family<Series>::Family(MetricSpec spec, std::vector<double> upper_bounds)
    : FamilyBase(kType, std::move(spec), std::move(upper_bounds)) {
  if (this->spec().label_names.empty()) series_.emplace(std::vector<std::string>(), make_series());
}

template <typename Series>
core::Expected<Series*> Family<Series>::with(std::initializer_list<std::string_view> label_values) {
  const std::span<const std::string_view> values(label_values.begin(), label_values.size());
  {
    const std::shared_lock lock(mutex_);
    const auto found = series_.find(values);
    if (found != series_.end()) return found->second.get();
  }
  if (core::Status status = check_label_values(values); !status.ok()) return status;
  const std::unique_lock lock(mutex_);
  const auto [it, inserted] =
      series_.try_emplace(std::vector<std::string>(values.begin(), values.end()));
  if (inserted) it->second = make_series();
  return it->second.get();
}

template <typename Series>
void Family<Series>::render(std::string& out) const {
  const std::shared_lock lock(mutex_);
  if (series_.empty()) return;
  write_metadata(out, spec().name, spec().help, metric_type_name(type()));
  const std::vector<std::string>& names = spec().label_names;
  std::vector<Label> labels;
  for (const auto& [values, series] : series_) {
    labels.clear();
    for (std::size_t i = 0; i < names.size(); ++i) {
      labels.push_back({.name = names[i], .value = values[i]});
    }
    write_series(out, spec().name, labels, *series);
  }
}

template <typename Series>
std::unique_ptr<Series> Family<Series>::make_series() const {
  if constexpr (std::is_same_v<Series, Histogram>) {
    return std::make_unique<Histogram>(upper_bounds());
  } else {
    return std::make_unique<Series>();
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

}  // namespace tars::obs
