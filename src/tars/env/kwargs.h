// Keyword arguments for making an environment (Gymnasium's `gym.make(id, **kwargs)`).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "tars/core/status.h"

namespace tars::env {

using KwargValue = std::variant<bool, double, std::string>;
using Kwargs = std::map<std::string, KwargValue, std::less<>>;

// Reads typed keyword arguments for one environment, remembering which keys were used, so that
// `finish()` can reject unknown keys and wrong types with a message naming the key.
class KwargReader {
 public:
  KwargReader(const Kwargs& kwargs, std::string env_id)
      : kwargs_(kwargs), env_id_(std::move(env_id)) {}

  bool get_bool(std::string_view key, bool fallback);
  double get_number(std::string_view key, double fallback);
  // ok, or the first wrong type / unknown key.
  core::Status finish() const;

 private:
  const KwargValue* find(std::string_view key);
  void fail(std::string message);

  const Kwargs& kwargs_;
  std::string env_id_;
  std::set<std::string, std::less<>> used_;
  core::Status error_;
};

}  // namespace tars::env
