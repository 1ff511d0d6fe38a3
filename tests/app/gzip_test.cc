// gzip content coding: which Accept-Encoding headers allow it, and streams zlib reads back.
#include "tars/http/gzip.h"

#include <gtest/gtest.h>

#include "app/gunzip.h"

namespace tars::http {
namespace {

bool accepts(const std::string& header) {
  Request request;
  if (!header.empty()) request.headers["Accept-Encoding"] = header;
  return accepts_gzip(request);
}

TEST(GzipTest, AcceptEncodingIsReadAsRfc9110Says) {
  EXPECT_TRUE(accepts("gzip"));
  EXPECT_TRUE(accepts("gzip, deflate, br"));
  EXPECT_TRUE(accepts("deflate, GZip;q=0.5"));
  EXPECT_TRUE(accepts("x-gzip"));
  EXPECT_TRUE(accepts("*"));
  EXPECT_FALSE(accepts(""));
  EXPECT_FALSE(accepts("identity"));
  EXPECT_FALSE(accepts("br, deflate"));
  EXPECT_FALSE(accepts("gzip;q=0"));
  EXPECT_FALSE(accepts("gzip; q=0.000, *"));
  EXPECT_FALSE(accepts("*;q=0"));
  EXPECT_TRUE(accepts("gzip;q=0.001"));
}

TEST(GzipTest, CompressedBodiesInflateToTheOriginal) {
  std::string body;
  for (int i = 0; i < 2000; ++i)
    body += R"({"agent_id":"a-)" + std::to_string(i) + R"(","x":1.5},)";
  const std::string compressed = gzip(body);
  EXPECT_LT(compressed.size(), body.size() / 4);
  EXPECT_EQ(test::gunzip(compressed), body);
  EXPECT_EQ(test::gunzip(gzip("")), "");
  const Response response = gzip_json(compressed);
  EXPECT_EQ(response.headers.at("Content-Encoding"), "gzip");
  EXPECT_EQ(response.headers.at("Vary"), "Accept-Encoding");
  EXPECT_EQ(response.headers.at("Content-Type"), "application/json");
}

}  // namespace
}  // namespace tars::http
