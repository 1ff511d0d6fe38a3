// Typed configuration with a declared schema. Sources, highest precedence first:
// command-line flag > environment variable > YAML file > default.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tars/core/status.h"

namespace tars::core {

enum class ConfigType { kBool, kInt, kDouble, kString, kEnum };

// Where a value came from, lowest precedence first.
enum class ConfigSource { kDefault, kFile, kEnv, kFlag };

// "default", "file", "env", "flag".
const char* config_source_name(ConfigSource source);

// bool for kBool, int64 for kInt, double for kDouble, string for kString and kEnum.
using ConfigValue = std::variant<bool, std::int64_t, double, std::string>;

// One declared key. Build with bool_key(), int_key(), ... rather than by hand.
struct ConfigKey {
  std::string name;  // flat snake_case, e.g. "websocket_ping_interval"
  ConfigType type = ConfigType::kString;
  ConfigValue default_value;
  std::string description;           // one line, shown by `tars config show`
  std::string env_var;               // empty: the name upper-cased
  std::vector<std::string> allowed;  // kEnum only
  std::optional<double> min;         // kInt / kDouble only, inclusive
  std::optional<double> max;

  // The environment variable read for this key.
  std::string env_name() const;
  // The same key read from another environment variable, e.g. "TARS_DATABASE_URL".
  ConfigKey with_env(std::string env) const;
};

ConfigKey bool_key(std::string name, bool default_value, std::string description);
ConfigKey int_key(std::string name, std::int64_t default_value, std::string description,
                  std::optional<std::int64_t> min = std::nullopt,
                  std::optional<std::int64_t> max = std::nullopt);
ConfigKey double_key(std::string name, double default_value, std::string description,
                     std::optional<double> min = std::nullopt,
                     std::optional<double> max = std::nullopt);
ConfigKey string_key(std::string name, std::string default_value, std::string description);
ConfigKey enum_key(std::string name, std::vector<std::string> allowed, std::string default_value,
                   std::string description);

// The set of known keys. Each module contributes its keys; the app adds them all.
class ConfigSchema {
 public:
  // Fails on a malformed or duplicate name or environment variable, or a default that breaks
  // the key's own type, bounds or allowed values.
  Status add(ConfigKey key);
  Status add(const std::vector<ConfigKey>& keys);

  // nullptr when unknown.
  const ConfigKey* find(std::string_view name) const;
  // In the order they were added.
  const std::vector<ConfigKey>& keys() const { return keys_; }

 private:
  std::vector<ConfigKey> keys_;
};

struct ConfigInputs;

// Resolved values for every key of a schema. Asking for an unknown key, or with the getter of
// another type, is a programming error and aborts.
class Config {
 public:
  bool get_bool(std::string_view key) const;
  std::int64_t get_int(std::string_view key) const;
  double get_double(std::string_view key) const;
  // kString and kEnum keys.
  const std::string& get_string(std::string_view key) const;

  ConfigSource source(std::string_view key) const;
  // The value as text, e.g. "true", "30", "0.5", "info".
  std::string value_text(std::string_view key) const;
  bool contains(std::string_view key) const;
  const std::vector<ConfigKey>& keys() const { return keys_; }

 private:
  friend Expected<Config> load_config(const ConfigSchema& schema, const ConfigInputs& inputs);

  std::size_t index_of(std::string_view key) const;
  std::size_t index_of(std::string_view key, ConfigType expected) const;

  std::vector<ConfigKey> keys_;
  std::vector<ConfigValue> values_;    // parallel to keys_
  std::vector<ConfigSource> sources_;  // parallel to keys_
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv).
EnvLookup system_env();
// A fixed environment, for tests.
EnvLookup env_from_map(std::map<std::string, std::string> vars);

struct ConfigInputs {
  std::optional<std::string> file = {};           // YAML file given with --config
  EnvLookup env = {};                             // empty: the environment is not consulted
  std::map<std::string, std::string> flags = {};  // key name -> value as typed on the command line
};

// Resolves every key of the schema. Errors name the key and the source; an empty environment
// variable counts as unset.
Expected<Config> load_config(const ConfigSchema& schema, const ConfigInputs& inputs);

}  // namespace tars::core
