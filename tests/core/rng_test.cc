#include "tars/core/rng.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace tars::core {
namespace {

using nlohmann::json;

// Each case holds NumPy 1.24.2 output for one seed. Every list was drawn from a freshly seeded
// `Generator(PCG64(SeedSequence(seed)))`, in sequence within the list (e.g. `random[0]` and
// `uniform_m005_005_x4[0]` both come from the first 64-bit word).
const json& reference_cases() {
  static const json cases = [] {
    std::ifstream in(TARS_SHARED_DIR "/reference/numpy_rng.json");
    EXPECT_TRUE(in.good()) << "cannot open numpy_rng.json";
    return in.good() ? json::parse(in).at("cases") : json::array();
  }();
  return cases;
}

Uint128 parse_u128(const std::string& decimal) {
  Uint128 value = 0;
  for (char digit : decimal) value = value * 10 + static_cast<unsigned>(digit - '0');
  return value;
}

std::uint64_t bits(double value) { return std::bit_cast<std::uint64_t>(value); }

// Compares doubles bit for bit, printing both values at full precision on failure.
void expect_same_double(double actual, double expected, std::size_t index) {
  EXPECT_EQ(bits(actual), bits(expected))
      << "draw " << index << ": actual " << std::hexfloat << actual << " expected " << expected;
}

// `n` successive `integers(low, high)` draws.
std::vector<std::int64_t> draw_integers(Generator& generator, std::int64_t low, std::int64_t high,
                                        int n) {
  std::vector<std::int64_t> values;
  values.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) values.push_back(generator.integers(low, high));
  return values;
}

class NumpyReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(reference_cases().size(), 6u); }

  template <typename Check>
  void for_each_case(Check check) {
    for (const json& c : reference_cases()) {
      const auto seed = c.at("seed").get<std::uint64_t>();
      SCOPED_TRACE("seed " + std::to_string(seed));
      check(seed, c);
    }
  }
};

// `seedsequence_state_u32x4` is `SeedSequence(seed).generate_state(4, np.uint32)`, not the pool.
TEST_F(NumpyReferenceTest, SeedSequenceGenerateStateU32MatchesNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    const auto expected = c.at("seedsequence_state_u32x4").get<std::vector<std::uint32_t>>();
    EXPECT_EQ(SeedSequence(seed).generate_state_u32(4), expected);
  });
}

TEST_F(NumpyReferenceTest, Pcg64SeededStateAndIncrementMatchNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    const Pcg64 pcg(SeedSequence{seed});
    EXPECT_TRUE(pcg.state() == parse_u128(c.at("pcg64_state").get<std::string>()));
    EXPECT_TRUE(pcg.increment() == parse_u128(c.at("pcg64_inc").get<std::string>()));
  });
}

TEST_F(NumpyReferenceTest, RawU64DrawsMatchNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    Generator generator(seed);
    for (const json& expected : c.at("random_raw_u64")) {
      EXPECT_EQ(generator.next_u64(), std::stoull(expected.get<std::string>()));
    }
  });
}

TEST_F(NumpyReferenceTest, RandomMatchesNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    Generator generator(seed);
    const json& expected = c.at("random");
    ASSERT_EQ(expected.size(), 5u);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expect_same_double(generator.random(), expected[i].get<double>(), i);
    }
  });
}

TEST_F(NumpyReferenceTest, UniformMatchesNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    Generator generator(seed);
    const json& expected = c.at("uniform_m005_005_x4");
    ASSERT_EQ(expected.size(), 4u);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expect_same_double(generator.uniform(-0.05, 0.05), expected[i].get<double>(), i);
    }
  });
}

TEST_F(NumpyReferenceTest, IntegersMatchNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    Generator generator(seed);
    EXPECT_EQ(draw_integers(generator, 0, 10, 8),
              c.at("integers_0_10_x8").get<std::vector<std::int64_t>>());
  });
}

TEST_F(NumpyReferenceTest, StandardNormalMatchesNumpy) {
  for_each_case([](std::uint64_t seed, const json& c) {
    Generator generator(seed);
    const json& expected = c.at("standard_normal_x5");
    ASSERT_EQ(expected.size(), 5u);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expect_same_double(generator.standard_normal(), expected[i].get<double>(), i);
    }
  });
}

// Gymnasium doctest goldens (gymnasium-semantics.md section 0): reset(seed=123) observations.
// How NumPy prints a float32 array element (precision 8, unique): the shortest round-trip
// digits, rounded to 8 fractional digits when longer (0.036470372f prints as 0.03647037).
std::string numpy_str(float value) {
  constexpr int kPrecision = 8;
  char buffer[64];
  auto result = std::to_chars(buffer, std::end(buffer), value, std::chars_format::fixed);
  std::string text(buffer, result.ptr);
  const std::size_t dot = text.find('.');
  if (dot != std::string::npos && text.size() - dot - 1 > kPrecision) {
    result = std::to_chars(buffer, std::end(buffer), value, std::chars_format::fixed, kPrecision);
    text.assign(buffer, result.ptr);
    while (text.back() == '0') text.pop_back();
  }
  return text;
}

TEST(GymnasiumGoldenTest, Seed123FirstDrawsMatchDocstrings) {
  Generator first(123);
  const double u1 = first.random();
  const double u2 = first.random();
  EXPECT_NEAR(u1, 0.682352, 1e-6);
  EXPECT_NEAR(u2, 0.053821, 1e-6);

  Generator cart_pole(123);
  const float cart_pole_state[] = {
      static_cast<float>(cart_pole.uniform(-0.1, 0.1)),
      static_cast<float>(cart_pole.uniform(-0.1, 0.1)),
      static_cast<float>(cart_pole.uniform(-0.1, 0.1)),
      static_cast<float>(cart_pole.uniform(-0.1, 0.1)),
  };
  EXPECT_EQ(cart_pole_state[0], 0.036470372f);  // The exact float32 NumPy produces.
  EXPECT_EQ(numpy_str(cart_pole_state[0]), "0.03647037");
  EXPECT_EQ(numpy_str(cart_pole_state[1]), "-0.0892358");
  EXPECT_EQ(numpy_str(cart_pole_state[2]), "-0.05592803");
  EXPECT_EQ(numpy_str(cart_pole_state[3]), "-0.06312564");

  Generator mountain_car(123);
  EXPECT_EQ(numpy_str(static_cast<float>(mountain_car.uniform(-0.7, 0.5))), "0.11882224");

  Generator continuous(123);
  EXPECT_EQ(numpy_str(static_cast<float>(continuous.uniform(-0.7, -0.5))), "-0.5635296");

  // Pendulum draws theta in +-x_init, then theta_dot in +-y_init; obs = [cos, sin, theta_dot].
  Generator pendulum(123);
  const double half_pi = std::acos(-1.0) / 2;
  const double theta = pendulum.uniform(-half_pi, half_pi);
  const double theta_dot = pendulum.uniform(-0.5, 0.5);
  EXPECT_EQ(numpy_str(static_cast<float>(std::cos(theta))), "0.8403459");
  EXPECT_EQ(numpy_str(static_cast<float>(std::sin(theta))), "0.54205054");
  EXPECT_EQ(numpy_str(static_cast<float>(theta_dot)), "-0.44617897");

  // Acrobot casts its four draws to float32: obs = [cos t1, sin t1, cos t2, sin t2, dt1, dt2].
  Generator acrobot(123);
  float s[4];
  for (float& value : s) value = static_cast<float>(acrobot.uniform(-0.2, 0.2));
  EXPECT_EQ(numpy_str(static_cast<float>(std::cos(s[0]))), "0.997341");
  EXPECT_EQ(numpy_str(static_cast<float>(std::sin(s[0]))), "0.07287608");
  EXPECT_EQ(numpy_str(static_cast<float>(std::cos(s[1]))), "0.9841162");
  EXPECT_EQ(numpy_str(static_cast<float>(std::sin(s[1]))), "-0.17752565");
  EXPECT_EQ(numpy_str(s[2]), "-0.11185605");
  EXPECT_EQ(numpy_str(s[3]), "-0.12625128");
}

// Further NumPy 1.24.2 goldens, e.g. `rng = np.random.default_rng(7);
// [int(rng.integers(-2**40, 2**40)) for _ in range(6)]`.
TEST(GeneratorIntegersTest, RangeAbove32BitsMatchesNumpy) {
  constexpr std::int64_t kBound = std::int64_t{1} << 40;
  const std::vector<std::int64_t> expected = {275087840227,  873482385758,  606239244072,
                                              -604275779670, -439438986724, 821452713617};
  Generator generator(7);
  Generator again(7);
  for (std::int64_t value : expected) {
    const std::int64_t actual = generator.integers(-kBound, kBound);
    EXPECT_EQ(actual, value);
    EXPECT_EQ(again.integers(-kBound, kBound), actual);
    EXPECT_GE(actual, -kBound);
    EXPECT_LT(actual, kBound);
  }
}

TEST(GeneratorIntegersTest, Full32BitRangeMatchesNumpy) {
  Generator generator(7);
  EXPECT_EQ(draw_integers(generator, 0, std::int64_t{1} << 32, 4),
            (std::vector<std::int64_t>{4058335883, 2684764585, 2938530453, 3853503932}));
}

TEST(GeneratorIntegersTest, JustAbove32BitRangeMatchesNumpy) {
  Generator generator(7);
  EXPECT_EQ(draw_integers(generator, 0, (std::int64_t{1} << 32) + 1, 4),
            (std::vector<std::int64_t>{2684764586, 3853503933, 3331544672, 967257516}));
}

TEST(GeneratorIntegersTest, WholeInt64RangeMatchesNumpy) {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  Generator generator(7);
  EXPECT_EQ(
      draw_integers(generator, kMin, kMax, 3),
      (std::vector<std::int64_t>{2307604057237572234, 7327301329031162516, 5085503372737050977}));
}

// The 32-bit buffer survives across calls and `random()` draws a full word beside it.
TEST(GeneratorIntegersTest, BufferedHalfWordInterleavesWithRandomAsNumpy) {
  Generator generator(7);
  EXPECT_EQ(generator.integers(0, 10), 9);
  expect_same_double(generator.random(), 0.8972138009695755, 0);
  EXPECT_EQ(generator.integers(0, 10), 6);
  EXPECT_EQ(generator.integers(0, 10), 5);
}

TEST(GeneratorIntegersTest, SingleValueRangeReturnsLowWithoutDrawing) {
  Generator generator(7);
  EXPECT_EQ(generator.integers(5, 6), 5);
  EXPECT_EQ(generator.integers(-3, -2), -3);
  EXPECT_EQ(generator.next_u64(), 11530976094092348043ULL);  // NumPy's first raw word, seed 7.
}

TEST(GeneratorIntegersTest, EmptyOrInvertedRangeThrows) {
  Generator generator(7);
  EXPECT_THROW(generator.integers(3, 3), std::invalid_argument);
  EXPECT_THROW(generator.integers(4, 3), std::invalid_argument);
  EXPECT_THROW(generator.integers(std::numeric_limits<std::int64_t>::max(),
                                  std::numeric_limits<std::int64_t>::min()),
               std::invalid_argument);
}

// 200000 draws of seed 2024 include 51 from the tail (|x| > r, the log1p branch) and many wedge
// rejections. FNV-1a over the bit patterns and the first tail values come from NumPy 1.24.2.
TEST(GeneratorStandardNormalTest, LongRunIncludingTailMatchesNumpy) {
  constexpr double kTailStart = 3.6541528853610087963519472518;
  Generator generator(2024);
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  std::vector<double> tail;
  for (int i = 0; i < 200000; ++i) {
    const double x = generator.standard_normal();
    hash = (hash ^ bits(x)) * 0x100000001b3ULL;
    if (std::fabs(x) > kTailStart) tail.push_back(x);
  }
  ASSERT_EQ(tail.size(), 51u);
  expect_same_double(tail[0], -3.762074412672512, 0);
  expect_same_double(tail[1], -3.785062046032533, 1);
  expect_same_double(tail[2], -3.9680892929785307, 2);
  EXPECT_EQ(hash, 16895088502797187150ULL);
}

// NumPy: `SeedSequence(7).spawn(3)` gives spawn keys (0,), (1,), (2,); a later spawn continues
// at (3,).
TEST(SeedSequenceTest, SpawnGivesDistinctChildStreamsAsNumpy) {
  SeedSequence parent(7);
  std::vector<SeedSequence> children = parent.spawn(3);
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].generate_state_u32(4),
            (std::vector<std::uint32_t>{1201125462, 788422957, 1855184853, 4093114059}));
  EXPECT_EQ(children[1].generate_state_u32(4),
            (std::vector<std::uint32_t>{3618983171, 941218350, 283231612, 4209872184}));
  EXPECT_EQ(children[2].generate_state_u32(4),
            (std::vector<std::uint32_t>{3831650445, 4088273801, 1611045428, 732922199}));

  const std::vector<std::int64_t> expected_first = {3679476056639351524, 2216293316559634084,
                                                    2914789564203826821};
  std::set<std::uint64_t> first_words;
  for (std::size_t i = 0; i < children.size(); ++i) {
    EXPECT_EQ(Generator(children[i]).integers(0, std::int64_t{1} << 62), expected_first[i]);
    first_words.insert(Generator(children[i]).next_u64());
  }
  first_words.insert(Generator(parent).next_u64());
  EXPECT_EQ(first_words.size(), 4u);

  const std::uint32_t key3[] = {3};
  const std::uint32_t entropy[] = {7};
  EXPECT_EQ(parent.spawn(1)[0].generate_state_u32(4),
            SeedSequence(entropy, key3).generate_state_u32(4));
}

}  // namespace
}  // namespace tars::core
