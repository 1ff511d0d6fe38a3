#include "tars/core/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tars/core/config_keys.h"

namespace tars::core {
namespace {

using ::testing::HasSubstr;

ConfigSchema test_schema() {
  ConfigSchema schema;
  EXPECT_TRUE(schema.add(core_config_keys()).ok());
  Status status = schema.add({
      int_key("websocket_ping_interval", 30, "Seconds between WebSocket pings", 1, 3600),
      double_key("sample_ratio", 0.5, "Fraction of requests traced", 0.0, 1.0),
      bool_key("metrics_enabled", true, "Serve /metrics"),
      string_key("database_url", "sqlite://tars.db", "Database connection string")
          .with_env("TARS_DATABASE_URL"),
  });
  EXPECT_TRUE(status.ok()) << status.to_string();
  return schema;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "tars_config_test_XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write_file(const std::string& content, const std::string& name = "tars.yaml") {
    std::string path = dir_ / name;
    std::ofstream(path) << content;
    return path;
  }

  Expected<Config> load(const ConfigInputs& inputs) { return load_config(schema_, inputs); }

  // The error message of a load that must fail.
  std::string error(const ConfigInputs& inputs) {
    Expected<Config> config = load(inputs);
    EXPECT_FALSE(config.ok());
    return config.status().message();
  }

  ConfigSchema schema_ = test_schema();
  std::filesystem::path dir_;
};

TEST_F(ConfigTest, DefaultsWhenNothingIsGiven) {
  Expected<Config> config = load({});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get_string("log_level"), "info");
  EXPECT_EQ(config->get_string("log_format"), "text");
  EXPECT_EQ(config->get_int("websocket_ping_interval"), 30);
  EXPECT_DOUBLE_EQ(config->get_double("sample_ratio"), 0.5);
  EXPECT_TRUE(config->get_bool("metrics_enabled"));
  EXPECT_EQ(config->get_string("database_url"), "sqlite://tars.db");
  for (const ConfigKey& key : config->keys())
    EXPECT_EQ(config->source(key.name), ConfigSource::kDefault);
}

TEST_F(ConfigTest, FlagBeatsEnvBeatsFileBeatsDefault) {
  std::string path = write_file(
      "log_level: debug\n"
      "sample_ratio: 0.25\n"
      "metrics_enabled: no\n");
  ConfigInputs inputs{
      .file = path,
      .env = env_from_map({{"LOG_LEVEL", "warn"}, {"METRICS_ENABLED", "yes"}}),
      .flags = {{"log_level", "error"}},
  };
  Expected<Config> config = load(inputs);
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get_string("log_level"), "error");
  EXPECT_EQ(config->source("log_level"), ConfigSource::kFlag);
  EXPECT_TRUE(config->get_bool("metrics_enabled"));
  EXPECT_EQ(config->source("metrics_enabled"), ConfigSource::kEnv);
  EXPECT_DOUBLE_EQ(config->get_double("sample_ratio"), 0.25);
  EXPECT_EQ(config->source("sample_ratio"), ConfigSource::kFile);
  EXPECT_EQ(config->get_int("websocket_ping_interval"), 30);
  EXPECT_EQ(config->source("websocket_ping_interval"), ConfigSource::kDefault);

  // Peel the sources off one by one: each level shows through once the one above is gone.
  inputs.flags.clear();
  EXPECT_EQ(load(inputs)->get_string("log_level"), "warn");
  EXPECT_EQ(load(inputs)->source("log_level"), ConfigSource::kEnv);
  inputs.env = env_from_map({});
  EXPECT_EQ(load(inputs)->get_string("log_level"), "debug");
  EXPECT_EQ(load(inputs)->source("log_level"), ConfigSource::kFile);
  inputs.file.reset();
  EXPECT_EQ(load(inputs)->get_string("log_level"), "info");
  EXPECT_EQ(load(inputs)->source("log_level"), ConfigSource::kDefault);
}

TEST_F(ConfigTest, SourceNames) {
  EXPECT_STREQ(config_source_name(ConfigSource::kDefault), "default");
  EXPECT_STREQ(config_source_name(ConfigSource::kFile), "file");
  EXPECT_STREQ(config_source_name(ConfigSource::kEnv), "env");
  EXPECT_STREQ(config_source_name(ConfigSource::kFlag), "flag");
}

TEST_F(ConfigTest, EnvironmentNamesDefaultToUpperCaseAndCanBeOverridden) {
  EXPECT_EQ(schema_.find("websocket_ping_interval")->env_name(), "WEBSOCKET_PING_INTERVAL");
  EXPECT_EQ(schema_.find("database_url")->env_name(), "TARS_DATABASE_URL");
  Expected<Config> config = load({.env = env_from_map({{"DATABASE_URL", "postgres://ignored"},
                                                       {"TARS_DATABASE_URL", "postgres://db"},
                                                       {"WEBSOCKET_PING_INTERVAL", "15"}})});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get_string("database_url"), "postgres://db");
  EXPECT_EQ(config->get_int("websocket_ping_interval"), 15);
}

TEST_F(ConfigTest, EmptyEnvironmentVariableCountsAsUnset) {
  Expected<Config> config = load({.env = env_from_map({{"WEBSOCKET_PING_INTERVAL", ""}})});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->source("websocket_ping_interval"), ConfigSource::kDefault);
}

TEST_F(ConfigTest, SystemEnvReadsTheProcessEnvironment) {
  ASSERT_EQ(setenv("TARS_CONFIG_TEST_VAR", "42", 1), 0);
  EXPECT_EQ(system_env()("TARS_CONFIG_TEST_VAR"), "42");
  unsetenv("TARS_CONFIG_TEST_VAR");
  EXPECT_EQ(system_env()("TARS_CONFIG_TEST_VAR"), std::nullopt);
}

TEST_F(ConfigTest, BoolsAcceptCommonSpellings) {
  for (const char* text : {"true", "TRUE", "True", "1", "yes", "YES", "Yes"}) {
    Expected<Config> config = load({.flags = {{"metrics_enabled", text}}});
    ASSERT_TRUE(config.ok()) << text;
    EXPECT_TRUE(config->get_bool("metrics_enabled")) << text;
  }
  for (const char* text : {"false", "FALSE", "False", "0", "no", "NO", "No"}) {
    Expected<Config> config = load({.flags = {{"metrics_enabled", text}}});
    ASSERT_TRUE(config.ok()) << text;
    EXPECT_FALSE(config->get_bool("metrics_enabled")) << text;
  }
  for (const char* text : {"on", "2", "", "truthy"}) {
    EXPECT_EQ(
        error({.flags = {{"metrics_enabled", text}}}),
        std::string("flag metrics_enabled: expected a boolean (true/false, yes/no, 1/0), got '") +
            text + "'");
  }
}

TEST_F(ConfigTest, BoolsFromYaml) {
  Expected<Config> config = load({.file = write_file("metrics_enabled: False\n")});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_FALSE(config->get_bool("metrics_enabled"));
}

TEST_F(ConfigTest, EnumsMatchAllowedValuesIgnoringCase) {
  Expected<Config> config = load({.env = env_from_map({{"LOG_LEVEL", "DEBUG"}})});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get_string("log_level"), "debug");

  Expected<Config> loud = load({.env = env_from_map({{"LOG_LEVEL", "loud"}})});
  ASSERT_FALSE(loud.ok());
  EXPECT_EQ(loud.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(loud.status().message(),
            "LOG_LEVEL: expected one of trace, debug, info, warn, error, got 'loud'");
  EXPECT_EQ(error({.flags = {{"log_format", "xml"}}}),
            "flag log_format: expected one of text, json, got 'xml'");
}

TEST_F(ConfigTest, NumbersAreParsedStrictly) {
  Expected<Config> config =
      load({.flags = {{"websocket_ping_interval", "+45"}, {"sample_ratio", "1e-1"}}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get_int("websocket_ping_interval"), 45);
  EXPECT_DOUBLE_EQ(config->get_double("sample_ratio"), 0.1);

  EXPECT_EQ(error({.env = env_from_map({{"WEBSOCKET_PING_INTERVAL", "abc"}})}),
            "WEBSOCKET_PING_INTERVAL: expected an integer, got 'abc'");
  EXPECT_EQ(error({.env = env_from_map({{"WEBSOCKET_PING_INTERVAL", "10s"}})}),
            "WEBSOCKET_PING_INTERVAL: expected an integer, got '10s'");
  EXPECT_EQ(error({.flags = {{"websocket_ping_interval", "99999999999999999999"}}}),
            "flag websocket_ping_interval: integer out of 64-bit range: '99999999999999999999'");
  EXPECT_EQ(error({.flags = {{"sample_ratio", "half"}}}),
            "flag sample_ratio: expected a finite number, got 'half'");
  EXPECT_EQ(error({.flags = {{"sample_ratio", "nan"}}}),
            "flag sample_ratio: expected a finite number, got 'nan'");
  EXPECT_EQ(error({.file = write_file("websocket_ping_interval: 2.5\n")}),
            "config file " + (dir_ / "tars.yaml").string() +
                ", line 1: websocket_ping_interval: expected an integer, got '2.5'");
}

TEST_F(ConfigTest, NumbersOutOfRangeAreRejected) {
  Expected<Config> zero = load({.env = env_from_map({{"WEBSOCKET_PING_INTERVAL", "0"}})});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(zero.status().message(), "WEBSOCKET_PING_INTERVAL: must be between 1 and 3600, got 0");
  EXPECT_EQ(error({.flags = {{"sample_ratio", "1.5"}}}),
            "flag sample_ratio: must be between 0 and 1, got 1.5");

  ConfigSchema schema;
  ASSERT_TRUE(schema.add(int_key("workers", 4, "Worker threads", 1)).ok());
  ASSERT_TRUE(schema.add(double_key("timeout", 5, "Seconds", std::nullopt, 60)).ok());
  EXPECT_EQ(load_config(schema, {.flags = {{"workers", "-3"}}}).status().message(),
            "flag workers: must be at least 1, got -3");
  EXPECT_EQ(load_config(schema, {.flags = {{"timeout", "60.5"}}}).status().message(),
            "flag timeout: must be at most 60, got 60.5");
  EXPECT_TRUE(load_config(schema, {.flags = {{"workers", "1"}, {"timeout", "60"}}}).ok());
}

TEST_F(ConfigTest, UnknownFileKeyIsNamedWithSuggestion) {
  std::string path = write_file("log_format: json\nlog_levl: debug\n");
  Expected<Config> config = load({.file = path});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "config file " + path + ", line 2: unknown key 'log_levl' (did you mean 'log_level'?)");
  EXPECT_EQ(error({.file = write_file("colour: blue\n")}),
            "config file " + path + ", line 1: unknown key 'colour'");
}

TEST_F(ConfigTest, NestedSpellingOfAFlatKeyGetsAHint) {
  std::string path = write_file("log:\n  level: debug\n");
  EXPECT_EQ(error({.file = path}), "config file " + path +
                                       ", line 1: unknown key 'log' (keys are flat: write "
                                       "'log_level: ...')");
}

TEST_F(ConfigTest, UnknownFlagIsNamed) {
  EXPECT_EQ(
      error({.flags = {{"websocket_ping_intervall", "5"}}}),
      "flag: unknown key 'websocket_ping_intervall' (did you mean 'websocket_ping_interval'?)");
}

TEST_F(ConfigTest, MappingsAndListsWhereAScalarIsExpected) {
  std::string path = write_file("log_format: json\nlog_level:\n  value: debug\n");
  EXPECT_EQ(error({.file = path}),
            "config file " + path + ", line 2: log_level: expected a single value, got a mapping");
  path = write_file("log_level: [debug, info]\n");
  EXPECT_EQ(error({.file = path}),
            "config file " + path + ", line 1: log_level: expected a single value, got a list");
  path = write_file("log_level:\n");
  EXPECT_EQ(error({.file = path}), "config file " + path + ", line 1: log_level: missing value");
}

TEST_F(ConfigTest, DuplicateFileKeyIsRejected) {
  std::string path = write_file("log_level: debug\nlog_level: warn\n");
  EXPECT_EQ(error({.file = path}), "config file " + path + ", line 2: duplicate key 'log_level'");
}

TEST_F(ConfigTest, FileMustBeAMapping) {
  std::string path = write_file("- log_level\n- debug\n");
  EXPECT_EQ(
      error({.file = path}),
      "config file " + path + ", line 1: expected a mapping of keys to values at the top level");
}

TEST_F(ConfigTest, EmptyFileOrCommentsOnlyMeansDefaults) {
  Expected<Config> config = load({.file = write_file("# nothing set yet\n")});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->source("log_level"), ConfigSource::kDefault);
  EXPECT_TRUE(load({.file = write_file("")}).ok());
}

TEST_F(ConfigTest, MalformedYamlReportsLineAndColumn) {
  std::string path = write_file("log_level: debug\n  log_format: json\n");
  Expected<Config> config = load({.file = path});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("config file " + path + ", line 2, column"));
  EXPECT_THAT(config.status().message(), HasSubstr("malformed YAML: illegal map value"));

  path = write_file("log_level: debug\nlog_format: [json\nsample_ratio: 1\n");
  EXPECT_THAT(
      error({.file = path}),
      HasSubstr("config file " + path + ", line 3, column 13: malformed YAML: end of sequence"));
}

TEST_F(ConfigTest, UnreadableFileIsAnIoError) {
  std::string missing = (dir_ / "missing.yaml").string();
  Expected<Config> config = load({.file = missing});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), ErrorCode::kIo);
  EXPECT_EQ(config.status().message(),
            "config file " + missing + ": cannot open: No such file or directory");

  Expected<Config> directory = load({.file = dir_.string()});
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), ErrorCode::kIo);
  EXPECT_EQ(directory.status().message(),
            "config file " + dir_.string() + ": cannot read: Is a directory");
}

TEST_F(ConfigTest, ValueTextRendersEveryType) {
  Expected<Config> config =
      load({.flags = {{"sample_ratio", "0.125"}, {"metrics_enabled", "0"}, {"log_level", "Warn"}}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->value_text("sample_ratio"), "0.125");
  EXPECT_EQ(config->value_text("metrics_enabled"), "false");
  EXPECT_EQ(config->value_text("websocket_ping_interval"), "30");
  EXPECT_EQ(config->value_text("log_level"), "warn");
  EXPECT_EQ(config->value_text("database_url"), "sqlite://tars.db");
  EXPECT_TRUE(config->contains("log_format"));
  EXPECT_FALSE(config->contains("log_levl"));
  EXPECT_EQ(config->keys().size(), schema_.keys().size());
}

TEST_F(ConfigTest, SchemaRejectsBadDeclarations) {
  ConfigSchema schema;
  ASSERT_TRUE(schema.add(bool_key("enabled", true, "On or off")).ok());
  EXPECT_EQ(schema.add(bool_key("enabled", false, "Again")).message(),
            "config key 'enabled': declared twice");
  EXPECT_EQ(schema.add(string_key("other", "", "Clashes").with_env("ENABLED")).message(),
            "config key 'other': environment variable ENABLED is already used by 'enabled'");
  EXPECT_EQ(schema.add(bool_key("LogLevel", true, "Camel")).message(),
            "config key 'LogLevel': name must be snake_case");
  EXPECT_EQ(schema.add(bool_key("ok_name", true, "Bad env").with_env("bad-env")).message(),
            "config key 'ok_name': environment variable must be UPPER_SNAKE_CASE");
  EXPECT_EQ(schema.add(bool_key("quiet", true, "")).message(),
            "config key 'quiet': needs a one-line description");
  EXPECT_EQ(schema.add(int_key("port", 0, "Port", 1, 65535)).message(),
            "config key 'port': default is out of bounds");
  EXPECT_EQ(schema.add(int_key("port", 80, "Port", 100, 10)).message(),
            "config key 'port': min is greater than max");
  EXPECT_EQ(schema.add(enum_key("mode", {"a", "b"}, "c", "Mode")).message(),
            "config key 'mode': default is not one of the allowed values");
  EXPECT_EQ(schema.add(enum_key("mode", {}, "", "Mode")).message(),
            "config key 'mode': an enum needs allowed values");
  ConfigKey mistyped = bool_key("flag", true, "Flag");
  mistyped.default_value = std::string("yes");
  EXPECT_EQ(schema.add(mistyped).message(), "config key 'flag': default has wrong type");
  EXPECT_EQ(schema.keys().size(), 1u);
}

TEST_F(ConfigTest, CoreKeysAreDeclared) {
  std::vector<ConfigKey> keys = core_config_keys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].name, kLogLevelKey);
  EXPECT_EQ(keys[0].env_name(), "LOG_LEVEL");
  EXPECT_EQ(keys[0].allowed, (std::vector<std::string>{"trace", "debug", "info", "warn", "error"}));
  EXPECT_EQ(std::get<std::string>(keys[0].default_value), "info");
  EXPECT_EQ(keys[1].name, kLogFormatKey);
  EXPECT_EQ(keys[1].env_name(), "LOG_FORMAT");
  EXPECT_EQ(keys[1].allowed, (std::vector<std::string>{"text", "json"}));
  EXPECT_EQ(std::get<std::string>(keys[1].default_value), "text");
}

using ConfigDeathTest = ConfigTest;

TEST_F(ConfigDeathTest, MisusedGettersAbort) {
  Expected<Config> config = load({});
  ASSERT_TRUE(config.ok());
  EXPECT_DEATH(config->get_int("log_level"), "key 'log_level' has type enum, not int");
  EXPECT_DEATH(config->get_bool("no_such_key"), "unknown key 'no_such_key'");
}

}  // namespace
}  // namespace tars::core
