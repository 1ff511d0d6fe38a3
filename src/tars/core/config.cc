#include "tars/core/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <system_error>

namespace tars::core {
namespace {

const char* type_name(ConfigType type) {
  constexpr const char* kNames[] = {"bool", "int", "double", "string", "enum"};
  return kNames[static_cast<int>(type)];
}

// The ConfigValue alternative that holds values of this type.
std::size_t variant_index(ConfigType type) {
  constexpr std::size_t kIndices[] = {0, 1, 2, 3, 3};
  return kIndices[static_cast<int>(type)];
}

[[noreturn]] void misuse(const std::string& message) {
  std::fprintf(stderr, "tars: config misuse: %s\n", message.c_str());
  std::abort();
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool matches(std::string_view text, bool upper) {
  if (text.empty()) return false;
  auto first_ok = [&](char c) {
    return upper ? (c >= 'A' && c <= 'Z') || c == '_' : c >= 'a' && c <= 'z';
  };
  auto rest_ok = [&](char c) {
    return (c >= '0' && c <= '9') || c == '_' ||
           (upper ? c >= 'A' && c <= 'Z' : c >= 'a' && c <= 'z');
  };
  return first_ok(text[0]) && std::all_of(text.begin() + 1, text.end(), rest_ok);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string format_bound(const ConfigKey& key, double bound) {
  if (key.type == ConfigType::kInt) return fmt::format("{}", static_cast<std::int64_t>(bound));
  return fmt::format("{}", bound);
}

std::string format_value(const ConfigValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else {
          return fmt::format("{}", v);
        }
      },
      value);
}

// Accepts a leading '+', which std::from_chars does not.
template <typename T>
bool parse_number(std::string_view text, T& out, bool& overflow) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  overflow = ec == std::errc::result_out_of_range;
  return ec == std::errc() && end == text.data() + text.size();
}

Status check_bounds(const ConfigKey& key, double value, const std::string& shown) {
  if ((!key.min || value >= *key.min) && (!key.max || value <= *key.max)) return {};
  std::string range = key.min && key.max
                          ? fmt::format("between {} and {}", format_bound(key, *key.min),
                                        format_bound(key, *key.max))
                      : key.min ? "at least " + format_bound(key, *key.min)
                                : "at most " + format_bound(key, *key.max);
  return out_of_range(fmt::format("must be {}, got {}", range, shown));
}

// Parses text as a value of the key's type and checks its bounds; the message has no prefix.
Expected<ConfigValue> parse_value(const ConfigKey& key, std::string_view text) {
  std::string quoted = fmt::format("'{}'", text);
  bool overflow = false;
  switch (key.type) {
    case ConfigType::kBool: {
      std::string lower = to_lower(text);
      if (lower == "true" || lower == "yes" || lower == "1") return ConfigValue(true);
      if (lower == "false" || lower == "no" || lower == "0") return ConfigValue(false);
      return invalid_argument("expected a boolean (true/false, yes/no, 1/0), got " + quoted);
    }
    case ConfigType::kInt: {
      std::int64_t value = 0;
      if (!parse_number(text, value, overflow)) {
        return invalid_argument(overflow ? "integer out of 64-bit range: " + quoted
                                         : "expected an integer, got " + quoted);
      }
      Status bounds = check_bounds(key, static_cast<double>(value), std::string(text));
      if (!bounds.ok()) return bounds;
      return ConfigValue(value);
    }
    case ConfigType::kDouble: {
      double value = 0;
      if (!parse_number(text, value, overflow) || !std::isfinite(value)) {
        return invalid_argument("expected a finite number, got " + quoted);
      }
      Status bounds = check_bounds(key, value, std::string(text));
      if (!bounds.ok()) return bounds;
      return ConfigValue(value);
    }
    case ConfigType::kString:
      return ConfigValue(std::string(text));
    case ConfigType::kEnum: {
      std::string lower = to_lower(text);
      for (const std::string& allowed : key.allowed) {
        if (to_lower(allowed) == lower) return ConfigValue(allowed);
      }
      return invalid_argument(fmt::format("expected one of {}, got {}", join(key.allowed), quoted));
    }
  }
  return invalid_argument("unsupported type");
}

Status prefixed(const Status& status, std::string_view prefix) {
  return {status.code(), fmt::format("{}: {}", prefix, status.message())};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'log_level'?)" for a near miss, else "".
std::string suggestion(const ConfigSchema& schema, std::string_view name) {
  const ConfigKey* best = nullptr;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const ConfigKey& key : schema.keys()) {
    std::size_t distance = edit_distance(name, key.name);
    if (distance < best_distance) {
      best = &key;
      best_distance = distance;
    }
  }
  return best ? fmt::format(" (did you mean '{}'?)", best->name) : "";
}

ConfigKey make_key(std::string name, ConfigType type, ConfigValue default_value,
                   std::string description) {
  ConfigKey key;
  key.name = std::move(name);
  key.type = type;
  key.default_value = std::move(default_value);
  key.description = std::move(description);
  return key;
}

// Values resolved so far, parallel to schema.keys().
struct Resolved {
  std::vector<ConfigValue> values;
  std::vector<ConfigSource> sources;
};

std::size_t position(const ConfigSchema& schema, const ConfigKey* key) {
  return static_cast<std::size_t>(key - schema.keys().data());
}

Expected<std::string> read_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    return io_error(fmt::format("config file {}: cannot open: {}", path,
                                std::generic_category().message(errno)));
  }
  std::string content;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) content.append(buffer, n);
  if (std::ferror(file.get())) {
    return io_error(fmt::format("config file {}: cannot read: {}", path,
                                std::generic_category().message(errno)));
  }
  return content;
}

std::string at_line(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return fmt::format("config file {}", path);
  return fmt::format("config file {}, line {}", path, mark.line + 1);
}

// " (keys are flat: write 'log_level: ...')" when a nested mapping spells a known key.
std::string flat_hint(const ConfigSchema& schema, const std::string& name,
                      const YAML::Node& value) {
  if (!value.IsMap()) return "";
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    std::string flat = name + "_" + it->first.Scalar();
    if (schema.find(flat)) return fmt::format(" (keys are flat: write '{}: ...')", flat);
  }
  return "";
}

Status apply_yaml(const ConfigSchema& schema, const std::string& path, const YAML::Node& root,
                  Resolved& resolved) {
  if (root.IsNull()) return {};
  if (!root.IsMap()) {
    return invalid_argument(fmt::format("{}: expected a mapping of keys to values at the top level",
                                        at_line(path, root.Mark())));
  }
  std::set<std::string> seen;
  for (auto it = root.begin(); it != root.end(); ++it) {
    YAML::Node name_node = it->first;
    YAML::Node value = it->second;
    std::string where = at_line(path, name_node.Mark());
    if (!name_node.IsScalar()) return invalid_argument(where + ": keys must be plain names");
    const std::string& name = name_node.Scalar();
    const ConfigKey* key = schema.find(name);
    if (!key) {
      return invalid_argument(
          fmt::format("{}: unknown key '{}'{}", where, name,
                      flat_hint(schema, name, value) + suggestion(schema, name)));
    }
    if (!seen.insert(name).second) {
      return invalid_argument(fmt::format("{}: duplicate key '{}'", where, name));
    }
    std::string value_where = fmt::format("{}: {}", where, name);
    if (value.IsNull()) return invalid_argument(value_where + ": missing value");
    if (!value.IsScalar()) {
      return invalid_argument(fmt::format("{}: expected a single value, got {}", value_where,
                                          value.IsMap() ? "a mapping" : "a list"));
    }
    Expected<ConfigValue> parsed = parse_value(*key, value.Scalar());
    if (!parsed.ok()) return prefixed(parsed.status(), value_where);
    std::size_t i = position(schema, key);
    resolved.values[i] = std::move(parsed).value();
    resolved.sources[i] = ConfigSource::kFile;
  }
  return {};
}

Status apply_file(const ConfigSchema& schema, const std::string& path, Resolved& resolved) {
  Expected<std::string> content = read_file(path);
  if (!content.ok()) return content.status();
  try {
    return apply_yaml(schema, path, YAML::Load(*content), resolved);
  } catch (const YAML::Exception& e) {
    std::string where = e.mark.is_null() ? fmt::format("config file {}", path)
                                         : fmt::format("config file {}, line {}, column {}", path,
                                                       e.mark.line + 1, e.mark.column + 1);
    return invalid_argument(fmt::format("{}: malformed YAML: {}", where, e.msg));
  }
}

Status apply_env(const ConfigSchema& schema, const EnvLookup& env, Resolved& resolved) {
  for (std::size_t i = 0; i < schema.keys().size(); ++i) {
    const ConfigKey& key = schema.keys()[i];
    std::string var = key.env_name();
    std::optional<std::string> text = env(var);
    if (!text || text->empty()) continue;
    Expected<ConfigValue> parsed = parse_value(key, *text);
    if (!parsed.ok()) return prefixed(parsed.status(), var);
    resolved.values[i] = std::move(parsed).value();
    resolved.sources[i] = ConfigSource::kEnv;
  }
  return {};
}

Status apply_flags(const ConfigSchema& schema, const std::map<std::string, std::string>& flags,
                   Resolved& resolved) {
  for (const auto& [name, text] : flags) {
    const ConfigKey* key = schema.find(name);
    if (!key) {
      return invalid_argument(
          fmt::format("flag: unknown key '{}'{}", name, suggestion(schema, name)));
    }
    Expected<ConfigValue> parsed = parse_value(*key, text);
    if (!parsed.ok()) return prefixed(parsed.status(), "flag " + name);
    std::size_t i = position(schema, key);
    resolved.values[i] = std::move(parsed).value();
    resolved.sources[i] = ConfigSource::kFlag;
  }
  return {};
}

}  // namespace

const char* config_source_name(ConfigSource source) {
  constexpr const char* kNames[] = {"default", "file", "env", "flag"};
  return kNames[static_cast<int>(source)];
}

std::string ConfigKey::env_name() const { return env_var.empty() ? to_upper(name) : env_var; }

ConfigKey ConfigKey::with_env(std::string env) const {
  ConfigKey copy = *this;
  copy.env_var = std::move(env);
  return copy;
}

ConfigKey bool_key(std::string name, bool default_value, std::string description) {
  return make_key(std::move(name), ConfigType::kBool, default_value, std::move(description));
}

ConfigKey int_key(std::string name, std::int64_t default_value, std::string description,
                  std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
  ConfigKey key =
      make_key(std::move(name), ConfigType::kInt, default_value, std::move(description));
  if (min) key.min = static_cast<double>(*min);
  if (max) key.max = static_cast<double>(*max);
  return key;
}

ConfigKey double_key(std::string name, double default_value, std::string description,
                     std::optional<double> min, std::optional<double> max) {
  ConfigKey key =
      make_key(std::move(name), ConfigType::kDouble, default_value, std::move(description));
  key.min = min;
  key.max = max;
  return key;
}

ConfigKey string_key(std::string name, std::string default_value, std::string description) {
  return make_key(std::move(name), ConfigType::kString, std::move(default_value),
                  std::move(description));
}

ConfigKey enum_key(std::string name, std::vector<std::string> allowed, std::string default_value,
                   std::string description) {
  ConfigKey key = make_key(std::move(name), ConfigType::kEnum, std::move(default_value),
                           std::move(description));
  key.allowed = std::move(allowed);
  return key;
}

Status ConfigSchema::add(ConfigKey key) {
  auto fail = [&](std::string_view why) {
    return invalid_argument(fmt::format("config key '{}': {}", key.name, why));
  };
  if (!matches(key.name, false)) return fail("name must be snake_case");
  if (!matches(key.env_name(), true)) return fail("environment variable must be UPPER_SNAKE_CASE");
  if (key.description.empty() || key.description.find('\n') != std::string::npos) {
    return fail("needs a one-line description");
  }
  if (key.default_value.index() != variant_index(key.type)) return fail("default has wrong type");
  if (key.type == ConfigType::kEnum) {
    const auto& allowed = key.allowed;
    if (allowed.empty()) return fail("an enum needs allowed values");
    if (std::find(allowed.begin(), allowed.end(), std::get<std::string>(key.default_value)) ==
        allowed.end()) {
      return fail("default is not one of the allowed values");
    }
  } else if (!key.allowed.empty()) {
    return fail("only enums have allowed values");
  }
  bool numeric = key.type == ConfigType::kInt || key.type == ConfigType::kDouble;
  if (!numeric && (key.min || key.max)) return fail("only numbers have bounds");
  if (key.min && key.max && *key.min > *key.max) return fail("min is greater than max");
  if (numeric) {
    double value = key.type == ConfigType::kInt
                       ? static_cast<double>(std::get<std::int64_t>(key.default_value))
                       : std::get<double>(key.default_value);
    if (!std::isfinite(value) || !check_bounds(key, value, "").ok()) {
      return fail("default is out of bounds");
    }
  }
  for (const ConfigKey& other : keys_) {
    if (other.name == key.name) return fail("declared twice");
    if (other.env_name() == key.env_name()) {
      return fail(fmt::format("environment variable {} is already used by '{}'", key.env_name(),
                              other.name));
    }
  }
  keys_.push_back(std::move(key));
  return {};
}

Status ConfigSchema::add(const std::vector<ConfigKey>& keys) {
  for (const ConfigKey& key : keys) {
    Status status = add(key);
    if (!status.ok()) return status;
  }
  return {};
}

const ConfigKey* ConfigSchema::find(std::string_view name) const {
  auto it =
      std::find_if(keys_.begin(), keys_.end(), [&](const ConfigKey& k) { return k.name == name; });
  return it == keys_.end() ? nullptr : &*it;
}

std::size_t Config::index_of(std::string_view key) const {
  auto it =
      std::find_if(keys_.begin(), keys_.end(), [&](const ConfigKey& k) { return k.name == key; });
  if (it == keys_.end()) misuse(fmt::format("unknown key '{}'", key));
  return static_cast<std::size_t>(it - keys_.begin());
}

std::size_t Config::index_of(std::string_view key, ConfigType expected) const {
  std::size_t i = index_of(key);
  if (variant_index(keys_[i].type) != variant_index(expected)) {
    misuse(fmt::format("key '{}' has type {}, not {}", key, type_name(keys_[i].type),
                       type_name(expected)));
  }
  return i;
}

bool Config::get_bool(std::string_view key) const {
  return std::get<bool>(values_[index_of(key, ConfigType::kBool)]);
}

std::int64_t Config::get_int(std::string_view key) const {
  return std::get<std::int64_t>(values_[index_of(key, ConfigType::kInt)]);
}

double Config::get_double(std::string_view key) const {
  return std::get<double>(values_[index_of(key, ConfigType::kDouble)]);
}

const std::string& Config::get_string(std::string_view key) const {
  return std::get<std::string>(values_[index_of(key, ConfigType::kString)]);
}

ConfigSource Config::source(std::string_view key) const { return sources_[index_of(key)]; }

std::string Config::value_text(std::string_view key) const {
  return format_value(values_[index_of(key)]);
}

bool Config::contains(std::string_view key) const {
  return std::any_of(keys_.begin(), keys_.end(), [&](const ConfigKey& k) { return k.name == key; });
}

EnvLookup system_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

EnvLookup env_from_map(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Expected<Config> load_config(const ConfigSchema& schema, const ConfigInputs& inputs) {
  Resolved resolved;
  for (const ConfigKey& key : schema.keys()) {
    resolved.values.push_back(key.default_value);
    resolved.sources.push_back(ConfigSource::kDefault);
  }
  if (inputs.file) {
    Status status = apply_file(schema, *inputs.file, resolved);
    if (!status.ok()) return status;
  }
  if (inputs.env) {
    Status status = apply_env(schema, inputs.env, resolved);
    if (!status.ok()) return status;
  }
  Status status = apply_flags(schema, inputs.flags, resolved);
  if (!status.ok()) return status;

  Config config;
  config.keys_ = schema.keys();
  config.values_ = std::move(resolved.values);
  config.sources_ = std::move(resolved.sources);
  return config;
}

}  // namespace tars::core
