// The pieces of the Prometheus text exposition format 0.0.4: numbers, escaped HELP text and label
// values, metadata lines and sample lines.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace tars::obs {

// The HTTP Content-Type of a rendered registry.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// One label of a sample: name="value".
struct Label {
  std::string_view name = {};   // label name, already validated
  std::string_view value = {};  // raw value; escaped when written
};

// A sample value as the Go client writes it (strconv 'g', shortest round trip): "0", "1", "-2.5",
// "0.0005", "123456", "1e-05", "1.234567e+06", "+Inf", "-Inf", "NaN"; -0 is written as "0".
std::string format_value(double value);

// Appends "# HELP name help\n# TYPE name type\n", with backslash and newline in `help` escaped.
void write_metadata(std::string& out, std::string_view name, std::string_view help,
                    std::string_view type);

// Appends "name{a=\"x\",b=\"y\"} value\n" ("name value\n" without labels), with backslash, double
// quote and newline in label values escaped.
void write_sample(std::string& out, std::string_view name, std::span<const Label> labels,
                  std::string_view value);

}  // namespace tars::obs
