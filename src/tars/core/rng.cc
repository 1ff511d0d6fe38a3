#include "tars/core/rng.h"

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "tars/core/ziggurat_tables.h"

namespace tars::core {

namespace {

// SeedSequence constants (numpy/random/bit_generator.pyx).
constexpr std::uint32_t kInitA = 0x43b0d7e5;
constexpr std::uint32_t kMultA = 0x931e8875;
constexpr std::uint32_t kInitB = 0x8b51f9dd;
constexpr std::uint32_t kMultB = 0x58f38ded;
constexpr std::uint32_t kMixMultL = 0xca01f9dd;
constexpr std::uint32_t kMixMultR = 0x4973f715;
constexpr int kXShift = 16;
constexpr std::size_t kPoolSize = 4;

std::uint32_t hashmix(std::uint32_t value, std::uint32_t& hash_const) {
  value ^= hash_const;
  hash_const *= kMultA;
  value *= hash_const;
  value ^= value >> kXShift;
  return value;
}

std::uint32_t mix(std::uint32_t x, std::uint32_t y) {
  std::uint32_t result = kMixMultL * x - kMixMultR * y;
  result ^= result >> kXShift;
  return result;
}

// NumPy splits an integer seed into little-endian 32-bit words; 0 becomes [0].
std::vector<std::uint32_t> seed_words(std::uint64_t seed) {
  std::vector<std::uint32_t> words{static_cast<std::uint32_t>(seed)};
  if (seed >> 32) words.push_back(static_cast<std::uint32_t>(seed >> 32));
  return words;
}

constexpr std::uint64_t kMantissaMask = 0x000fffffffffffffULL;

constexpr Uint128 kPcgMultiplier =
    (static_cast<Uint128>(0x2360ED051FC65DA4ULL) << 64) | 0x4385DF649FCCF645ULL;

}  // namespace

SeedSequence::SeedSequence(std::uint64_t seed) : SeedSequence(seed_words(seed), {}) {}

SeedSequence::SeedSequence(std::span<const std::uint32_t> entropy,
                           std::span<const std::uint32_t> spawn_key)
    : entropy_(entropy.begin(), entropy.end()), spawn_key_(spawn_key.begin(), spawn_key.end()) {
  std::vector<std::uint32_t> assembled = entropy_;
  if (!spawn_key_.empty() && assembled.size() < kPoolSize) assembled.resize(kPoolSize, 0);
  assembled.insert(assembled.end(), spawn_key_.begin(), spawn_key_.end());

  std::uint32_t hash_const = kInitA;
  for (std::size_t i = 0; i < kPoolSize; ++i) {
    pool_[i] = hashmix(i < assembled.size() ? assembled[i] : 0, hash_const);
  }
  for (std::size_t src = 0; src < kPoolSize; ++src) {
    for (std::size_t dst = 0; dst < kPoolSize; ++dst) {
      if (src != dst) pool_[dst] = mix(pool_[dst], hashmix(pool_[src], hash_const));
    }
  }
  for (std::size_t src = kPoolSize; src < assembled.size(); ++src) {
    for (std::size_t dst = 0; dst < kPoolSize; ++dst) {
      pool_[dst] = mix(pool_[dst], hashmix(assembled[src], hash_const));
    }
  }
}

std::vector<std::uint32_t> SeedSequence::generate_state_u32(std::size_t n_words) const {
  std::vector<std::uint32_t> state(n_words);
  std::uint32_t hash_const = kInitB;
  for (std::size_t i = 0; i < n_words; ++i) {
    std::uint32_t value = pool_[i % kPoolSize];
    value ^= hash_const;
    hash_const *= kMultB;
    value *= hash_const;
    value ^= value >> kXShift;
    state[i] = value;
  }
  return state;
}

std::vector<std::uint64_t> SeedSequence::generate_state_u64(std::size_t n_words) const {
  std::vector<std::uint32_t> halves = generate_state_u32(2 * n_words);
  std::vector<std::uint64_t> state(n_words);
  for (std::size_t i = 0; i < n_words; ++i) {
    state[i] = static_cast<std::uint64_t>(halves[2 * i + 1]) << 32 | halves[2 * i];
  }
  return state;
}

std::vector<SeedSequence> SeedSequence::spawn(std::size_t n) {
  std::vector<SeedSequence> children;
  children.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint32_t> key = spawn_key_;
    key.push_back(n_children_spawned_++);
    children.emplace_back(entropy_, key);
  }
  return children;
}

Pcg64::Pcg64(Uint128 state, Uint128 increment, bool has_uint32, std::uint32_t uinteger)
    : state_(state), increment_(increment), has_u32_(has_uint32), buffered_u32_(uinteger) {}

Pcg64::Pcg64(const SeedSequence& seed_sequence) {
  // numpy's pcg64_set_seed: the first two words form the state seed, the last two the stream.
  std::vector<std::uint64_t> words = seed_sequence.generate_state_u64(4);
  Uint128 init_state = static_cast<Uint128>(words[0]) << 64 | words[1];
  Uint128 init_seq = static_cast<Uint128>(words[2]) << 64 | words[3];
  increment_ = init_seq << 1 | 1;
  state_ = 0;
  next_u64();
  state_ += init_state;
  next_u64();
  has_u32_ = false;
}

std::uint64_t Pcg64::next_u64() {
  state_ = state_ * kPcgMultiplier + increment_;
  // XSL-RR output: xor the halves, rotate by the top 6 bits.
  const auto high = static_cast<std::uint64_t>(state_ >> 64);
  const auto low = static_cast<std::uint64_t>(state_);
  const unsigned rotation = static_cast<unsigned>(state_ >> 122);
  const std::uint64_t folded = high ^ low;
  return (folded >> rotation) | (folded << ((64 - rotation) & 63));
}

std::uint32_t Pcg64::next_u32() {
  if (has_u32_) {
    has_u32_ = false;
    return buffered_u32_;
  }
  const std::uint64_t next = next_u64();
  has_u32_ = true;
  buffered_u32_ = static_cast<std::uint32_t>(next >> 32);
  return static_cast<std::uint32_t>(next);
}

Generator::Generator(std::uint64_t seed) : bit_generator_(SeedSequence(seed)) {}

Generator::Generator(const SeedSequence& seed_sequence) : bit_generator_(seed_sequence) {}

Generator Generator::from_entropy() {
  std::random_device device;
  std::vector<std::uint32_t> entropy(kPoolSize);
  for (std::uint32_t& word : entropy) word = device();
  return Generator(SeedSequence(entropy, {}));
}

double Generator::random() {
  return static_cast<double>(bit_generator_.next_u64() >> 11) * (1.0 / 9007199254740992.0);
}

double Generator::uniform(double low, double high) { return low + (high - low) * random(); }

// NumPy's random_bounded_uint64_fill (use_masked=False) with off = low, rng = high - 1 - low.
std::int64_t Generator::integers(std::int64_t low, std::int64_t high) {
  if (low >= high) {
    throw std::invalid_argument("Generator::integers: need low < high, got low=" +
                                std::to_string(low) + " high=" + std::to_string(high));
  }
  const std::uint64_t range =
      static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) - 1;
  if (range == 0) return low;
  // range <= 2^64 - 2 for int64 bounds, so NumPy's full-64-bit-range branch cannot occur here.
  std::uint64_t offset = 0;
  if (range < 0xFFFFFFFFULL) {
    offset = bounded_lemire_u32(static_cast<std::uint32_t>(range));
  } else if (range == 0xFFFFFFFFULL) {
    // Lemire's method needs range + 1 to fit in 32 bits; NumPy takes one raw 32-bit draw instead.
    offset = bit_generator_.next_u32();
  } else {
    offset = bounded_lemire_u64(range);
  }
  // Two's-complement wrap-around, as NumPy's `off + value` on uint64.
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset);
}

std::uint32_t Generator::bounded_lemire_u32(std::uint32_t range) {
  const std::uint32_t range_excl = range + 1;
  std::uint64_t m = static_cast<std::uint64_t>(bit_generator_.next_u32()) * range_excl;
  auto leftover = static_cast<std::uint32_t>(m);
  if (leftover < range_excl) {
    const std::uint32_t threshold =
        (std::numeric_limits<std::uint32_t>::max() - range) % range_excl;
    while (leftover < threshold) {
      m = static_cast<std::uint64_t>(bit_generator_.next_u32()) * range_excl;
      leftover = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

std::uint64_t Generator::bounded_lemire_u64(std::uint64_t range) {
  const std::uint64_t range_excl = range + 1;
  Uint128 m = static_cast<Uint128>(bit_generator_.next_u64()) * range_excl;
  auto leftover = static_cast<std::uint64_t>(m);
  if (leftover < range_excl) {
    const std::uint64_t threshold =
        (std::numeric_limits<std::uint64_t>::max() - range) % range_excl;
    while (leftover < threshold) {
      m = static_cast<Uint128>(bit_generator_.next_u64()) * range_excl;
      leftover = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

// NumPy's random_standard_normal: the low 8 bits pick the layer, the next bit the sign, the next
// 52 bits the position inside the layer.
double Generator::standard_normal() {
  for (;;) {
    std::uint64_t r = bit_generator_.next_u64();
    const auto layer = static_cast<std::size_t>(r & 0xff);
    r >>= 8;
    const bool negative = (r & 0x1) != 0;
    const std::uint64_t r_abs = (r >> 1) & kMantissaMask;
    double x = static_cast<double>(r_abs) * ziggurat::kWi[layer];
    if (negative) x = -x;
    if (r_abs < ziggurat::kKi[layer]) return x;
    if (layer == 0) {
      // Tail beyond kNorR (Marsaglia); 1 - U keeps log away from 0, written as log1p(-U).
      for (;;) {
        const double xx = -ziggurat::kNorInvR * std::log1p(-random());
        const double yy = -std::log1p(-random());
        if (yy + yy > xx * xx) {
          return ((r_abs >> 8) & 0x1) != 0 ? -(ziggurat::kNorR + xx) : ziggurat::kNorR + xx;
        }
      }
    }
    if ((ziggurat::kFi[layer - 1] - ziggurat::kFi[layer]) * random() + ziggurat::kFi[layer] <
        std::exp(-0.5 * x * x)) {
      return x;
    }
  }
}

}  // namespace tars::core
