#include "tars/env/kwargs.h"

#include <fmt/format.h>

namespace tars::env {

const KwargValue* KwargReader::find(std::string_view key) {
  auto it = kwargs_.find(key);
  if (it == kwargs_.end()) return nullptr;
  used_.insert(it->first);
  return &it->second;
}

void KwargReader::fail(std::string message) {
  if (error_.ok()) error_ = core::invalid_argument(std::move(message));
}

bool KwargReader::get_bool(std::string_view key, bool fallback) {
  const KwargValue* value = find(key);
  if (value == nullptr) return fallback;
  if (const bool* b = std::get_if<bool>(value)) return *b;
  fail(fmt::format("{}: kwarg '{}' must be true or false", env_id_, key));
  return fallback;
}

double KwargReader::get_number(std::string_view key, double fallback) {
  const KwargValue* value = find(key);
  if (value == nullptr) return fallback;
  if (const double* d = std::get_if<double>(value)) return *d;
  fail(fmt::format("{}: kwarg '{}' must be a number", env_id_, key));
  return fallback;
}

core::Status KwargReader::finish() const {
  if (!error_.ok()) return error_;
  for (const auto& [key, value] : kwargs_) {
    if (!used_.contains(key)) {
      return core::invalid_argument(fmt::format("{}: unknown kwarg '{}'", env_id_, key));
    }
  }
  return {};
}

}  // namespace tars::env
