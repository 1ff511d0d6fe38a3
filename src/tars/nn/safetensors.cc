#include "tars/nn/safetensors.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>
#include <utility>

#include "tars/core/file_io.h"

namespace tars::nn {

// The format is little-endian; tensor bytes are copied as they are.
static_assert(std::endian::native == std::endian::little,
              "safetensors I/O assumes a little-endian host");

namespace {

using core::Expected;
using core::Status;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::size_t kHeaderLengthBytes = 8;
// The reference implementation refuses larger headers to bound the JSON it parses.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::size_t kHeaderAlignment = 8;
constexpr std::string_view kMetadataKey = "__metadata__";

std::string offsets_text(std::uint64_t begin, std::uint64_t end) {
  return fmt::format("[{}, {}]", begin, end);
}

// Product of the dimensions, or nullopt on a negative dimension or overflow.
std::optional<std::uint64_t> element_count(const std::vector<std::int64_t>& shape) {
  std::uint64_t count = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0) return std::nullopt;
    const auto udim = static_cast<std::uint64_t>(dim);
    if (udim != 0 && count > std::numeric_limits<std::uint64_t>::max() / udim) {
      return std::nullopt;
    }
    count *= udim;
  }
  return count;
}

std::optional<DType> dtype_from_name(std::string_view name) {
  if (name == "F32") return DType::kF32;
  if (name == "F64") return DType::kF64;
  return std::nullopt;
}

// "[json.exception.parse_error.101] parse error at ..." -> "parse error at ...".
std::string json_error_text(const json::exception& error) {
  std::string_view text = error.what();
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find("] ");
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
  }
  return std::string(text);
}

std::optional<std::uint64_t> as_unsigned(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  return std::nullopt;
}

// A tensor entry of the header after its own fields were checked.
struct HeaderEntry {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

Expected<HeaderEntry> parse_entry(const std::string& name, const json& info,
                                  std::uint64_t buffer_size) {
  auto fail = [&](std::string_view problem) {
    return core::invalid_argument(fmt::format("tensor '{}': {}", name, problem));
  };
  if (!info.is_object()) return fail("header entry is not a JSON object");
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!info.contains(field)) return fail(fmt::format("missing '{}'", field));
  }

  HeaderEntry entry;
  entry.name = name;
  const json& dtype = info.at("dtype");
  if (!dtype.is_string()) return fail("'dtype' is not a string");
  const auto parsed_dtype = dtype_from_name(dtype.get_ref<const std::string&>());
  if (!parsed_dtype) {
    return fail(fmt::format("unsupported dtype '{}' (supported: F32, F64)",
                            dtype.get_ref<const std::string&>()));
  }
  entry.dtype = *parsed_dtype;

  const json& shape = info.at("shape");
  if (!shape.is_array()) return fail("'shape' must be an array of non-negative integers");
  for (const json& dim : shape) {
    const auto value = as_unsigned(dim);
    if (!value || *value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return fail("'shape' must be an array of non-negative integers");
    }
    entry.shape.push_back(static_cast<std::int64_t>(*value));
  }

  const json& offsets = info.at("data_offsets");
  std::optional<std::uint64_t> begin;
  std::optional<std::uint64_t> end;
  if (offsets.is_array() && offsets.size() == 2) {
    begin = as_unsigned(offsets[0]);
    end = as_unsigned(offsets[1]);
  }
  if (!begin || !end) return fail("'data_offsets' must be two non-negative integers [begin, end]");
  entry.begin = *begin;
  entry.end = *end;
  const std::string offsets_str = offsets_text(entry.begin, entry.end);
  if (entry.end < entry.begin) {
    return fail(fmt::format("data_offsets {} end before they begin", offsets_str));
  }
  if (entry.end > buffer_size) {
    return fail(
        fmt::format("data_offsets {} exceed the {}-byte data buffer", offsets_str, buffer_size));
  }

  const auto count = element_count(entry.shape);
  const std::uint64_t element_bytes = dtype_size(entry.dtype);
  if (!count || *count > std::numeric_limits<std::uint64_t>::max() / element_bytes) {
    return fail(fmt::format("shape {} is too large", shape_to_string(entry.shape)));
  }
  const std::uint64_t needed = *count * element_bytes;
  if (needed != entry.end - entry.begin) {
    return fail(fmt::format("shape {} of {} takes {} bytes, data_offsets {} hold {}",
                            shape_to_string(entry.shape), dtype_name(entry.dtype), needed,
                            offsets_str, entry.end - entry.begin));
  }
  return entry;
}

// Parses the header text, refusing duplicate keys at any depth (nlohmann keeps the last one).
Expected<json> parse_header_json(std::string_view text) {
  std::vector<std::set<std::string>> keys_per_object;
  std::string duplicate_error;
  const json::parser_callback_t on_event = [&](int /*depth*/, json::parse_event_t event,
                                               json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        keys_per_object.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!keys_per_object.empty()) keys_per_object.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys_per_object.empty() && duplicate_error.empty()) {
          const auto& key = parsed.get_ref<const std::string&>();
          if (!keys_per_object.back().insert(key).second) {
            duplicate_error = keys_per_object.size() == 1
                                  ? fmt::format("duplicate tensor name '{}' in the header", key)
                                  : fmt::format("duplicate key '{}' in the header", key);
          }
        }
        break;
      default:
        break;
    }
    return true;
  };
  // nlohmann stops at a NUL byte as if the input ended there; JSON never allows a raw one.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return core::invalid_argument(fmt::format("invalid JSON header: NUL byte at offset {}", nul));
  }
  json header;
  try {
    header = json::parse(text.begin(), text.end(), on_event);
  } catch (const json::exception& error) {
    return core::invalid_argument("invalid JSON header: " + json_error_text(error));
  }
  if (!duplicate_error.empty()) return core::invalid_argument(duplicate_error);
  if (!header.is_object()) return core::invalid_argument("the header is not a JSON object");
  return header;
}

Expected<SafetensorsMetadata> parse_metadata(const json& value) {
  if (!value.is_object()) {
    return core::invalid_argument("'__metadata__' must be an object of strings");
  }
  SafetensorsMetadata metadata;
  for (const auto& [key, item] : value.items()) {
    if (!item.is_string()) {
      return core::invalid_argument(
          fmt::format("'__metadata__' value of '{}' is not a string", key));
    }
    metadata.emplace(key, item.get<std::string>());
  }
  return metadata;
}

template <typename T>
std::vector<T> copy_elements(const char* bytes, std::uint64_t byte_count) {
  std::vector<T> values(byte_count / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes, byte_count);
  return values;
}

const char* data_bytes(const StoredTensor& tensor) {
  return tensor.dtype() == DType::kF32 ? reinterpret_cast<const char*>(tensor.f32()->data())
                                       : reinterpret_cast<const char*>(tensor.f64()->data());
}

}  // namespace

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kF32:
      return "F32";
    case DType::kF64:
      return "F64";
  }
  return "F32";
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::kF32:
      return sizeof(float);
    case DType::kF64:
      return sizeof(double);
  }
  return sizeof(float);
}

std::size_t StoredTensor::size() const {
  return std::visit([](const auto& values) { return values.size(); }, data);
}

const StoredTensor* SafetensorsFile::find(std::string_view name) const {
  for (const StoredTensor& tensor : tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

std::string shape_to_string(const std::vector<std::int64_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

Expected<std::string> serialize_safetensors(const std::vector<StoredTensor>& tensors,
                                            const SafetensorsMetadata& metadata) {
  std::set<std::string_view> names;
  for (const StoredTensor& tensor : tensors) {
    if (tensor.name == kMetadataKey) {
      return core::invalid_argument("tensor name '__metadata__' is reserved by the format");
    }
    if (!names.insert(tensor.name).second) {
      return core::invalid_argument(fmt::format("duplicate tensor name '{}'", tensor.name));
    }
    const auto count = element_count(tensor.shape);
    if (!count) {
      return core::invalid_argument(
          fmt::format("tensor '{}': invalid shape {}", tensor.name, shape_to_string(tensor.shape)));
    }
    if (*count != tensor.size()) {
      return core::invalid_argument(
          fmt::format("tensor '{}': shape {} has {} elements, the data has {}", tensor.name,
                      shape_to_string(tensor.shape), *count, tensor.size()));
    }
  }

  // The reference orders the byte buffer by dtype alignment (largest first), then by name.
  std::vector<const StoredTensor*> order;
  order.reserve(tensors.size());
  for (const StoredTensor& tensor : tensors) order.push_back(&tensor);
  std::sort(order.begin(), order.end(), [](const StoredTensor* left, const StoredTensor* right) {
    const std::size_t left_size = dtype_size(left->dtype());
    const std::size_t right_size = dtype_size(right->dtype());
    if (left_size != right_size) return left_size > right_size;
    return left->name < right->name;
  });

  ordered_json header = ordered_json::object();
  if (!metadata.empty()) {
    ordered_json meta = ordered_json::object();
    for (const auto& [key, value] : metadata) meta[key] = value;
    header[std::string(kMetadataKey)] = std::move(meta);
  }
  std::uint64_t offset = 0;
  for (const StoredTensor* tensor : order) {
    const std::uint64_t bytes = tensor->size() * dtype_size(tensor->dtype());
    ordered_json info = ordered_json::object();
    info["dtype"] = dtype_name(tensor->dtype());
    info["shape"] = ordered_json::array();
    for (std::int64_t dim : tensor->shape) info["shape"].push_back(static_cast<std::uint64_t>(dim));
    info["data_offsets"] = ordered_json::array({offset, offset + bytes});
    header[tensor->name] = std::move(info);
    offset += bytes;
  }

  std::string header_text;
  try {
    header_text = header.dump();
  } catch (const json::exception& error) {
    return core::invalid_argument("cannot encode the header (names and metadata must be UTF-8): " +
                                  json_error_text(error));
  }
  header_text.append((kHeaderAlignment - header_text.size() % kHeaderAlignment) % kHeaderAlignment,
                     ' ');

  std::string out;
  out.reserve(kHeaderLengthBytes + header_text.size() + offset);
  const std::uint64_t header_length = header_text.size();
  char length_bytes[kHeaderLengthBytes];
  std::memcpy(length_bytes, &header_length, kHeaderLengthBytes);
  out.append(length_bytes, kHeaderLengthBytes);
  out += header_text;
  for (const StoredTensor* tensor : order) {
    if (tensor->size() == 0) continue;
    out.append(data_bytes(*tensor), tensor->size() * dtype_size(tensor->dtype()));
  }
  return out;
}

Expected<SafetensorsFile> parse_safetensors(std::string_view bytes) {
  if (bytes.size() < kHeaderLengthBytes) {
    return core::invalid_argument(
        fmt::format("truncated file: {} bytes, fewer than the 8-byte header length", bytes.size()));
  }
  std::uint64_t header_length = 0;
  std::memcpy(&header_length, bytes.data(), kHeaderLengthBytes);
  if (header_length > kMaxHeaderBytes) {
    return core::invalid_argument(fmt::format("header length {} exceeds the limit of {} bytes",
                                              header_length, kMaxHeaderBytes));
  }
  const std::uint64_t after_length = bytes.size() - kHeaderLengthBytes;
  if (header_length > after_length) {
    return core::invalid_argument(
        fmt::format("truncated file: header length {} is larger than the {} bytes that follow it",
                    header_length, after_length));
  }
  const std::string_view header_text = bytes.substr(kHeaderLengthBytes, header_length);
  const std::string_view buffer = bytes.substr(kHeaderLengthBytes + header_length);

  auto header = parse_header_json(header_text);
  if (!header) return header.status();

  SafetensorsFile file;
  std::vector<HeaderEntry> entries;
  for (const auto& [key, value] : header->items()) {
    if (key == kMetadataKey) {
      auto metadata = parse_metadata(value);
      if (!metadata) return metadata.status();
      file.metadata = std::move(*metadata);
      continue;
    }
    auto entry = parse_entry(key, value, buffer.size());
    if (!entry) return entry.status();
    entries.push_back(std::move(*entry));
  }

  // Tensors must tile the buffer exactly: no overlap, no gap, nothing left over.
  std::sort(entries.begin(), entries.end(), [](const HeaderEntry& left, const HeaderEntry& right) {
    return std::tie(left.begin, left.end, left.name) < std::tie(right.begin, right.end, right.name);
  });
  std::uint64_t covered = 0;
  const HeaderEntry* previous = nullptr;
  for (const HeaderEntry& entry : entries) {
    if (entry.begin < covered) {
      return core::invalid_argument(fmt::format("tensors '{}' {} and '{}' {} overlap",
                                                previous->name,
                                                offsets_text(previous->begin, previous->end),
                                                entry.name, offsets_text(entry.begin, entry.end)));
    }
    if (entry.begin > covered) {
      return core::invalid_argument(fmt::format(
          "bytes [{}, {}) of the data buffer belong to no tensor", covered, entry.begin));
    }
    covered = entry.end;
    previous = &entry;
  }
  if (covered != buffer.size()) {
    return core::invalid_argument(fmt::format(
        "bytes [{}, {}) of the data buffer belong to no tensor", covered, buffer.size()));
  }

  file.tensors.reserve(entries.size());
  for (HeaderEntry& entry : entries) {
    StoredTensor tensor;
    tensor.name = std::move(entry.name);
    tensor.shape = std::move(entry.shape);
    const char* start = buffer.data() + entry.begin;
    const std::uint64_t size = entry.end - entry.begin;
    if (entry.dtype == DType::kF32) {
      tensor.data = copy_elements<float>(start, size);
    } else {
      tensor.data = copy_elements<double>(start, size);
    }
    file.tensors.push_back(std::move(tensor));
  }
  return file;
}

Status write_safetensors(const std::filesystem::path& path,
                         const std::vector<StoredTensor>& tensors,
                         const SafetensorsMetadata& metadata) {
  auto bytes = serialize_safetensors(tensors, metadata);
  if (!bytes) {
    return {bytes.status().code(),
            fmt::format("cannot write '{}': {}", path.string(), bytes.status().message())};
  }
  return core::write_file_atomically(path, *bytes);
}

Expected<SafetensorsFile> read_safetensors(const std::filesystem::path& path) {
  auto bytes = core::read_file(path);
  if (!bytes) return bytes.status();
  auto file = parse_safetensors(*bytes);
  if (!file) {
    return Status(file.status().code(),
                  fmt::format("'{}': {}", path.string(), file.status().message()));
  }
  return file;
}

}  // namespace tars::nn
