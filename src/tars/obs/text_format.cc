#include "tars/obs/text_format.h"

#include <array>
#include <charconv>
#include <cmath>

namespace tars::obs {
namespace {

// Appends `text` with '\\' and '\n' escaped, and '"' too when `escape_quote`.
void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0.0) return "0";
  // Shortest round-trip digits as "d.ddde±XX"; Go's 'g' keeps that form for decimal exponents
  // below -4 or from 6 up, and writes the same digits in fixed notation in between.
  std::array<char, 32> buffer{};
  char* const first = buffer.data();
  char* const last = first + buffer.size();
  char* end = std::to_chars(first, last, value, std::chars_format::scientific).ptr;
  const std::string_view scientific(first, static_cast<std::size_t>(end - first));
  int exponent = 0;
  const std::size_t e = scientific.find('e');
  const char* exponent_first = scientific.data() + e + (scientific[e + 1] == '+' ? 2 : 1);
  std::from_chars(exponent_first, end, exponent);
  if (exponent < -4 || exponent >= 6) return std::string(scientific);
  end = std::to_chars(first, last, value, std::chars_format::fixed).ptr;
  return std::string(first, end);
}

void write_metadata(std::string& out, std::string_view name, std::string_view help,
                    std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(out, help, /*escape_quote=*/false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void write_sample(std::string& out, std::string_view name, std::span<const Label> labels,
                  std::string_view value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out += ',';
      out += labels[i].name;
      out += "=\"";
      append_escaped(out, labels[i].value, /*escape_quote=*/true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace tars::obs
