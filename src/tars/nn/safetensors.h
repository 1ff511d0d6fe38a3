// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header padded with spaces to a multiple of 8,
// then the raw little-endian tensor bytes. Independent of Eigen: tensors are flat row-major
// vectors with a shape.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tars/core/status.h"

namespace tars::nn {

// The element types T.A.R.S. reads and writes; other safetensors dtypes are refused by name.
enum class DType {
  kF32,
  kF64,
};
// "F32", "F64": the dtype names of the format.
const char* dtype_name(DType dtype);
std::size_t dtype_size(DType dtype);

// One named tensor as a file stores it: row-major ("C" order, so an Eigen column-major matrix is
// transposed on the way in and out). The dtype is the alternative held by `data`.
struct StoredTensor {
  std::string name;
  std::vector<std::int64_t> shape;  // [] is a scalar; a 0 dimension is an empty tensor
  std::variant<std::vector<float>, std::vector<double>> data;

  DType dtype() const { return data.index() == 0 ? DType::kF32 : DType::kF64; }
  // Number of stored elements (not the product of the shape, which may disagree).
  std::size_t size() const;
  // The data when it has that dtype, nullptr otherwise.
  const std::vector<float>* f32() const { return std::get_if<std::vector<float>>(&data); }
  const std::vector<double>* f64() const { return std::get_if<std::vector<double>>(&data); }
};

// String-to-string metadata, the header's optional "__metadata__" object.
using SafetensorsMetadata = std::map<std::string, std::string>;

struct SafetensorsFile {
  std::vector<StoredTensor> tensors;  // in the order of their bytes in the file
  SafetensorsMetadata metadata;

  // The tensor called `name`, or nullptr.
  const StoredTensor* find(std::string_view name) const;
};

// "[64, 4]": a shape as error messages print it.
std::string shape_to_string(const std::vector<std::int64_t>& shape);

// The complete file as the reference implementation writes it: tensors ordered by dtype
// alignment (largest first), then by name; "__metadata__" first in the header when not empty.
// Fails on duplicate or reserved names, negative dimensions, a shape whose element count differs
// from the data, or text that is not valid UTF-8.
core::Expected<std::string> serialize_safetensors(const std::vector<StoredTensor>& tensors,
                                                  const SafetensorsMetadata& metadata = {});

// Parses and validates a complete file held in memory. Every malformed input (truncation, a
// header length beyond the data, invalid JSON, duplicate keys, unknown dtypes, offsets out of
// range, overlapping or leaving bytes uncovered, sizes disagreeing with shapes) is an error
// naming the problem.
core::Expected<SafetensorsFile> parse_safetensors(std::string_view bytes);

// serialize_safetensors, then core::write_file_atomically.
core::Status write_safetensors(const std::filesystem::path& path,
                               const std::vector<StoredTensor>& tensors,
                               const SafetensorsMetadata& metadata = {});

// Reads `path` and parses it; errors name the file.
core::Expected<SafetensorsFile> read_safetensors(const std::filesystem::path& path);

}  // namespace tars::nn
