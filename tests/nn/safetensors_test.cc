#include "tars/nn/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace tars::nn {
namespace {

using ::testing::HasSubstr;

using test::TempDir;

std::string le64(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return out;
}

std::string f32_bytes(const std::vector<float>& values) {
  std::string out(values.size() * sizeof(float), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// A file from a header and a buffer, the header length exactly the header's size.
std::string make_file(const std::string& header, const std::string& buffer) {
  return le64(header.size()) + header + buffer;
}

std::string from_bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The message of the error parsing `bytes`; fails the test when parsing succeeds.
std::string parse_error(const std::string& bytes) {
  auto file = parse_safetensors(bytes);
  EXPECT_FALSE(file.ok()) << "parsed malformed input";
  return file.ok() ? std::string() : file.status().message();
}

TEST(SafetensorsTest, RoundTripsF32AndF64WithMetadata) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::vector<StoredTensor> tensors = {
      {"b.weight", {2, 3}, std::vector<float>{1.5F, -2.0F, 3.25F, 0.0F, -0.0F, 1e-30F}},
      {"a.bias", {3}, std::vector<float>{0.1F, 0.2F, 0.3F}},
      {"z.double", {2}, std::vector<double>{3.141592653589793, -1e300}},
      {"scalar", {}, std::vector<float>{42.0F}},
      {"empty", {0, 4}, std::vector<float>{}},
  };
  const SafetensorsMetadata metadata = {{"format", "pt"}, {"tars", "checkpoint"}};
  const auto path = dir.path() / "model.safetensors";
  ASSERT_TRUE(write_safetensors(path, tensors, metadata).ok());

  auto file = read_safetensors(path);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(file->metadata, metadata);
  // Byte order of the reference writer: 8-byte dtypes first, then by name.
  std::vector<std::string> names;
  for (const auto& tensor : file->tensors) names.push_back(tensor.name);
  EXPECT_EQ(names, (std::vector<std::string>{"z.double", "a.bias", "b.weight", "empty", "scalar"}));
  for (const StoredTensor& expected : tensors) {
    const StoredTensor* actual = file->find(expected.name);
    ASSERT_NE(actual, nullptr) << expected.name;
    EXPECT_EQ(actual->shape, expected.shape) << expected.name;
    EXPECT_EQ(actual->data, expected.data) << expected.name;
  }
  EXPECT_EQ(file->find("z.double")->dtype(), DType::kF64);
  EXPECT_EQ(file->find("a.bias")->dtype(), DType::kF32);
  EXPECT_EQ(file->find("missing"), nullptr);

  const std::string bytes = read_all(path);
  std::uint64_t header_length = 0;
  std::memcpy(&header_length, bytes.data(), 8);
  EXPECT_EQ(header_length % 8, 0U);
  EXPECT_EQ(bytes.size(), 8 + header_length + 16 + 4 * std::size_t{6 + 3 + 1});
}

// Byte-for-byte the output of the reference implementation's own tests
// (safetensors/src/tensor.rs, test_serialization_forced_alignement and test_empty).
TEST(SafetensorsTest, MatchesReferenceBytesWithPadding) {
  const std::string reference = from_bytes(
      {72,  0,   0,   0,   0,   0,   0,   0,   123, 34, 97, 116, 116, 110, 48,  34,  58,  123,
       34,  100, 116, 121, 112, 101, 34,  58,  34,  70, 51, 50,  34,  44,  34,  115, 104, 97,
       112, 101, 34,  58,  91,  49,  44,  49,  44,  50, 44, 51,  93,  44,  34,  100, 97,  116,
       97,  95,  111, 102, 102, 115, 101, 116, 115, 34, 58, 91,  48,  44,  50,  52,  93,  125,
       125, 32,  32,  32,  32,  32,  32,  32,  0,   0,  0,  0,   0,   0,   128, 63,  0,   0,
       0,   64,  0,   0,   64,  64,  0,   0,   128, 64, 0,  0,   160, 64});
  auto bytes = serialize_safetensors(
      {{"attn0", {1, 1, 2, 3}, std::vector<float>{0.0F, 1.0F, 2.0F, 3.0F, 4.0F, 5.0F}}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  EXPECT_EQ(*bytes, reference);

  auto file = parse_safetensors(reference);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  ASSERT_EQ(file->tensors.size(), 1U);
  EXPECT_EQ(file->tensors[0].shape, (std::vector<std::int64_t>{1, 1, 2, 3}));
  EXPECT_EQ(*file->tensors[0].f32(), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(SafetensorsTest, MatchesReferenceBytesForMetadataOnly) {
  const std::string reference =
      from_bytes({40,  0,   0,   0,  0,  0,  0,   0,   123, 34,  95,  95,  109, 101, 116, 97,
                  100, 97,  116, 97, 95, 95, 34,  58,  123, 34,  102, 114, 97,  109, 101, 119,
                  111, 114, 107, 34, 58, 34, 112, 116, 34,  125, 125, 32,  32,  32,  32,  32});
  auto bytes = serialize_safetensors({}, {{"framework", "pt"}});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, reference);
  auto empty = serialize_safetensors({});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, le64(8) + "{}      ");
}

// Built by hand from the format description: the header names the 8-byte tensor first, metadata
// leads the header, offsets are relative to the buffer, padding is spaces to a multiple of 8.
TEST(SafetensorsTest, MatchesHandBuiltFileWithMixedDtypes) {
  const std::string header = R"({"__metadata__":{"k":"v"},)"
                             R"("w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},)"
                             R"("a":{"dtype":"F32","shape":[1,1],"data_offsets":[16,20]},)"
                             R"("b":{"dtype":"F32","shape":[],"data_offsets":[20,24]}})";
  ASSERT_EQ(header.size(), 191U);
  const std::string padded = header + " ";  // 192 = 24 * 8
  std::string buffer(24, '\0');
  const double w[2] = {1.0, -2.5};
  const float a = 0.5F;
  const float b = -7.0F;
  std::memcpy(buffer.data(), w, 16);
  std::memcpy(buffer.data() + 16, &a, 4);
  std::memcpy(buffer.data() + 20, &b, 4);
  const std::string expected = le64(192) + padded + buffer;

  auto bytes = serialize_safetensors({{"b", {}, std::vector<float>{-7.0F}},
                                      {"a", {1, 1}, std::vector<float>{0.5F}},
                                      {"w", {2}, std::vector<double>{1.0, -2.5}}},
                                     {{"k", "v"}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  EXPECT_EQ(*bytes, expected);
}

// Other writers may order the header freely and format the JSON differently.
TEST(SafetensorsTest, ReadsHeadersInAnyOrderAndLayout) {
  const std::string header =
      "{ \"second\" : {\"data_offsets\": [4, 8], \"shape\": [1], \"dtype\": \"F32\"},\n"
      "  \"first\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"x\": 1},\n"
      "  \"__metadata__\": {\"source\": \"python\"}}";
  auto file = parse_safetensors(make_file(header, f32_bytes({1.0F, 2.0F})));
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  ASSERT_EQ(file->tensors.size(), 2U);
  EXPECT_EQ(file->tensors[0].name, "first");
  EXPECT_EQ(*file->tensors[0].f32(), std::vector<float>{1.0F});
  EXPECT_EQ(file->tensors[1].name, "second");
  EXPECT_EQ(*file->tensors[1].f32(), std::vector<float>{2.0F});
  EXPECT_EQ(file->metadata.at("source"), "python");
}

TEST(SafetensorsTest, RejectsTruncatedFiles) {
  EXPECT_THAT(parse_error("abc"), HasSubstr("truncated file: 3 bytes"));
  EXPECT_THAT(parse_error(""), HasSubstr("truncated file: 0 bytes"));
  // A valid file cut inside its data: the tensors no longer fit the buffer.
  auto bytes = serialize_safetensors({{"a", {2}, std::vector<float>{1.0F, 2.0F}}});
  ASSERT_TRUE(bytes.ok());
  EXPECT_THAT(parse_error(bytes->substr(0, bytes->size() - 1)),
              HasSubstr("tensor 'a': data_offsets [0, 8] exceed the 7-byte data buffer"));
}

TEST(SafetensorsTest, RejectsHeaderLengthBeyondTheFile) {
  EXPECT_THAT(parse_error(le64(100) + "{}        "),
              HasSubstr("header length 100 is larger than the 10 bytes that follow it"));
  EXPECT_THAT(parse_error(le64(1ULL << 40) + "{}"),
              HasSubstr("header length 1099511627776 exceeds the limit of 100000000 bytes"));
  EXPECT_THAT(parse_error(le64(~0ULL) + "{}"), HasSubstr("exceeds the limit"));
}

TEST(SafetensorsTest, RejectsInvalidJson) {
  EXPECT_THAT(parse_error(make_file(R"({"a": )", "")), HasSubstr("invalid JSON header"));
  EXPECT_THAT(parse_error(make_file("", "")), HasSubstr("invalid JSON header"));
  EXPECT_THAT(parse_error(make_file(std::string("{}\0\0", 4), "")),
              HasSubstr("invalid JSON header"));
  EXPECT_THAT(parse_error(make_file("{\"\xff\": 1}", "")), HasSubstr("invalid JSON header"));
  EXPECT_THAT(parse_error(make_file("[1, 2]", "")), HasSubstr("the header is not a JSON object"));
}

TEST(SafetensorsTest, RejectsUnknownDtypes) {
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})",
                                    std::string(4, '\0'))),
              HasSubstr("tensor 'a': unsupported dtype 'F16' (supported: F32, F64)"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"float32","shape":[],"data_offsets":[0,4]}})",
                                    std::string(4, '\0'))),
              HasSubstr("unsupported dtype 'float32'"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":32,"shape":[],"data_offsets":[0,4]}})",
                                    std::string(4, '\0'))),
              HasSubstr("tensor 'a': 'dtype' is not a string"));
}

TEST(SafetensorsTest, RejectsMalformedEntries) {
  const std::string four(4, '\0');
  EXPECT_THAT(parse_error(make_file(R"({"a":[1]})", "")),
              HasSubstr("tensor 'a': header entry is not a JSON object"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F32","data_offsets":[0,4]}})", four)),
              HasSubstr("tensor 'a': missing 'shape'"));
  EXPECT_THAT(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", four)),
      HasSubstr("tensor 'a': 'shape' must be an array of non-negative integers"));
  EXPECT_THAT(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})", four)),
      HasSubstr("'shape' must be an array of non-negative integers"));
  EXPECT_THAT(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", four)),
      HasSubstr("tensor 'a': 'data_offsets' must be two non-negative integers"));
  EXPECT_THAT(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})", four)),
      HasSubstr("'data_offsets' must be two non-negative integers"));
  EXPECT_THAT(parse_error(make_file(R"({"__metadata__":{"k":1}})", "")),
              HasSubstr("'__metadata__' value of 'k' is not a string"));
  EXPECT_THAT(parse_error(make_file(R"({"__metadata__":"text"})", "")),
              HasSubstr("'__metadata__' must be an object of strings"));
}

TEST(SafetensorsTest, RejectsOffsetsOutOfRange) {
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[10],"data_offsets":[0,40]}})",
                                    std::string(8, '\0'))),
              HasSubstr("tensor 'a': data_offsets [0, 40] exceed the 8-byte data buffer"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})",
                                    std::string(8, '\0'))),
              HasSubstr("tensor 'a': data_offsets [8, 4] end before they begin"));
}

TEST(SafetensorsTest, RejectsOverlappingOffsets) {
  const std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
  EXPECT_THAT(parse_error(make_file(header, std::string(12, '\0'))),
              HasSubstr("tensors 'a' [0, 8] and 'b' [4, 12] overlap"));
  const std::string same = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                           R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  EXPECT_THAT(parse_error(make_file(same, std::string(4, '\0'))),
              HasSubstr("tensors 'a' [0, 4] and 'b' [0, 4] overlap"));
}

TEST(SafetensorsTest, RejectsOffsetsNotCoveringTheBuffer) {
  const std::string gap = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                          R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  EXPECT_THAT(parse_error(make_file(gap, std::string(12, '\0'))),
              HasSubstr("bytes [4, 8) of the data buffer belong to no tensor"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                                    std::string(8, '\0'))),
              HasSubstr("bytes [4, 8) of the data buffer belong to no tensor"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                    std::string(8, '\0'))),
              HasSubstr("bytes [0, 4) of the data buffer belong to no tensor"));
  EXPECT_THAT(parse_error(make_file("{}", std::string(4, '\0'))),
              HasSubstr("bytes [0, 4) of the data buffer belong to no tensor"));
}

TEST(SafetensorsTest, RejectsShapesDisagreeingWithByteSize) {
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                    std::string(8, '\0'))),
              HasSubstr("tensor 'a': shape [3] of F32 takes 12 bytes, data_offsets [0, 8] hold 8"));
  EXPECT_THAT(parse_error(make_file(R"({"a":{"dtype":"F64","shape":[2,1],"data_offsets":[0,8]}})",
                                    std::string(8, '\0'))),
              HasSubstr("shape [2, 1] of F64 takes 16 bytes"));
  EXPECT_THAT(
      parse_error(make_file(
          R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})",
          std::string(8, '\0'))),
      HasSubstr("tensor 'a': shape [4294967296, 4294967296, 16] is too large"));
}

TEST(SafetensorsTest, RejectsDuplicateNames) {
  const std::string header = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                             R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  EXPECT_THAT(parse_error(make_file(header, std::string(8, '\0'))),
              HasSubstr("duplicate tensor name 'a' in the header"));
  EXPECT_THAT(parse_error(make_file(
                  R"({"a":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}})",
                  std::string(4, '\0'))),
              HasSubstr("duplicate key 'dtype' in the header"));
}

TEST(SafetensorsTest, WriterRejectsInconsistentTensors) {
  auto status = [](const std::vector<StoredTensor>& tensors) {
    auto bytes = serialize_safetensors(tensors);
    EXPECT_FALSE(bytes.ok());
    return bytes.ok() ? std::string() : bytes.status().message();
  };
  EXPECT_THAT(status({{"a", {1}, std::vector<float>{1}}, {"a", {1}, std::vector<double>{1}}}),
              HasSubstr("duplicate tensor name 'a'"));
  EXPECT_THAT(status({{"w", {2, 2}, std::vector<float>{1, 2, 3}}}),
              HasSubstr("tensor 'w': shape [2, 2] has 4 elements, the data has 3"));
  EXPECT_THAT(status({{"w", {-1, 2}, std::vector<float>{}}}),
              HasSubstr("tensor 'w': invalid shape [-1, 2]"));
  EXPECT_THAT(status({{"__metadata__", {}, std::vector<float>{1}}}),
              HasSubstr("'__metadata__' is reserved"));
  EXPECT_THAT(status({{"bad\xff", {}, std::vector<float>{1}}}),
              HasSubstr("names and metadata must be UTF-8"));
}

TEST(SafetensorsTest, FileErrorsNameThePath) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto missing = dir.path() / "missing.safetensors";
  auto file = read_safetensors(missing);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), core::ErrorCode::kNotFound);
  EXPECT_THAT(file.status().message(), HasSubstr(missing.string()));

  const auto path = dir.path() / "cut.safetensors";
  ASSERT_TRUE(write_safetensors(path, {{"a", {2}, std::vector<float>{1, 2}}}).ok());
  std::filesystem::resize_file(path, 12);
  file = read_safetensors(path);
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(), HasSubstr(path.string()));
  EXPECT_THAT(file.status().message(), HasSubstr("truncated file"));

  file = read_safetensors(dir.path());
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(), HasSubstr("is a directory"));

  const core::Status no_dir = write_safetensors(dir.path() / "no" / "such" / "dir.safetensors", {});
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(no_dir.code(), core::ErrorCode::kIo);
}

TEST(SafetensorsTest, AtomicWriteReplacesAndLeavesNoTemporaryFiles) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = dir.path() / "model.safetensors";
  ASSERT_TRUE(write_safetensors(path, {{"a", {1}, std::vector<float>{1}}}).ok());
  ASSERT_TRUE(write_safetensors(path, {{"b", {2}, std::vector<float>{2, 3}}}).ok());
  auto file = read_safetensors(path);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->tensors.size(), 1U);
  EXPECT_EQ(file->tensors[0].name, "b");

  std::vector<std::string> entries;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    entries.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(entries, std::vector<std::string>{"model.safetensors"});
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::owner_read,
            std::filesystem::perms::owner_read);
}

TEST(SafetensorsTest, ShapeToString) {
  EXPECT_EQ(shape_to_string({}), "[]");
  EXPECT_EQ(shape_to_string({64, 4}), "[64, 4]");
}

}  // namespace
}  // namespace tars::nn
