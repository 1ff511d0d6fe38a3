#include "tars/app/global_options.h"

#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include "tars/app/cli_support.h"
#include "tars/auth/config_keys.h"
#include "tars/bus/config_keys.h"
#include "tars/core/config.h"
#include "tars/core/config_keys.h"
#include "tars/core/log.h"
#include "tars/eval/config_keys.h"
#include "tars/http/config_keys.h"
#include "tars/store/config_keys.h"

namespace tars::app {

namespace {

// Shorter flags people expect, beside the --key-name one.
const std::map<std::string, std::string> kFlagAliases{{"database_url", "--database"}};

core::Config& resolved_config() {
  static core::Config config;
  return config;
}

struct GlobalFlags {
  std::string config_file;
  std::map<std::string, std::string> values;  // config key -> flag text, only flags given
};

void apply(const GlobalFlags& flags) {
  core::ConfigSchema schema;
  if (core::Status status = schema.add(all_config_keys()); !status.ok()) fail(status);
  core::ConfigInputs inputs;
  if (!flags.config_file.empty()) inputs.file = flags.config_file;
  inputs.env = core::system_env();
  inputs.flags = flags.values;
  auto config = core::load_config(schema, inputs);
  if (!config.ok()) fail(config.status());

  auto level = core::parse_log_level(config->get_string(core::kLogLevelKey));
  auto format = core::parse_log_format(config->get_string(core::kLogFormatKey));
  if (!level.ok()) fail(level.status());
  if (!format.ok()) fail(format.status());
  core::configure_logging(*level, *format);
  resolved_config() = std::move(*config);
}

}  // namespace

std::vector<core::ConfigKey> all_config_keys() {
  std::vector<core::ConfigKey> keys = core::core_config_keys();
  for (auto&& module_keys :
       {store::store_config_keys(), bus::bus_config_keys(), eval::eval_config_keys(),
        http::http_config_keys(), auth::auth_config_keys()}) {
    keys.insert(keys.end(), module_keys.begin(), module_keys.end());
  }
  return keys;
}

const core::Config& global_config() { return resolved_config(); }

void add_global_options(CLI::App& app) {
  auto flags = std::make_shared<GlobalFlags>();
  app.add_option("--config", flags->config_file, "YAML configuration file")->envname("TARS_CONFIG");
  for (const core::ConfigKey& key : all_config_keys()) {
    std::string flag = "--" + key.name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    if (auto alias = kFlagAliases.find(key.name); alias != kFlagAliases.end()) {
      flag = alias->second + "," + flag;
    }
    app.add_option_function<std::string>(
        flag, [flags, name = key.name](const std::string& value) { flags->values[name] = value; },
        key.description + " [env " + key.env_name() + "]");
  }
  app.parse_complete_callback([flags] { apply(*flags); });
}

}  // namespace tars::app
