// NumPy-compatible random numbers: SeedSequence, PCG64 and the Generator methods Gymnasium uses,
// reproduced bit for bit so that `reset(seed=s)` matches `gymnasium.utils.seeding.np_random(s)`.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace tars::core {

// GCC/Clang 128-bit integer; __extension__ keeps -Wpedantic quiet.
__extension__ using Uint128 = unsigned __int128;

// numpy.random.SeedSequence: hashes entropy (a seed, or several 32-bit words) into a pool and
// generates any number of well-mixed 32-bit words from it.
class SeedSequence {
 public:
  explicit SeedSequence(std::uint64_t seed);
  // Entropy as NumPy's `SeedSequence(entropy, spawn_key=spawn_key)`.
  SeedSequence(std::span<const std::uint32_t> entropy, std::span<const std::uint32_t> spawn_key);

  std::vector<std::uint32_t> generate_state_u32(std::size_t n_words) const;
  std::vector<std::uint64_t> generate_state_u64(std::size_t n_words) const;
  // `SeedSequence.spawn(n)`: independent children with spawn keys (..., i).
  std::vector<SeedSequence> spawn(std::size_t n);
  const std::array<std::uint32_t, 4>& pool() const { return pool_; }

 private:
  std::array<std::uint32_t, 4> pool_{};
  std::vector<std::uint32_t> entropy_;
  std::vector<std::uint32_t> spawn_key_;
  std::uint32_t n_children_spawned_ = 0;
};

// numpy.random.PCG64: 128-bit LCG with XSL-RR output, seeded from a SeedSequence.
class Pcg64 {
 public:
  explicit Pcg64(const SeedSequence& seed_sequence);
  // The complete state, as NumPy's bit_generator.state: the LCG and the buffered 32-bit half.
  Pcg64(Uint128 state, Uint128 increment, bool has_uint32 = false, std::uint32_t uinteger = 0);

  std::uint64_t next_u64();
  // NumPy buffers the upper half of a 64-bit draw for the next 32-bit request.
  std::uint32_t next_u32();
  Uint128 state() const { return state_; }
  Uint128 increment() const { return increment_; }
  bool has_uint32() const { return has_u32_; }
  std::uint32_t uinteger() const { return buffered_u32_; }

 private:
  Uint128 state_ = 0;
  Uint128 increment_ = 0;
  bool has_u32_ = false;
  std::uint32_t buffered_u32_ = 0;
};

// numpy.random.Generator over PCG64: only the methods whose results must match NumPy exactly.
class Generator {
 public:
  explicit Generator(std::uint64_t seed);  // Generator(PCG64(SeedSequence(seed)))
  explicit Generator(const SeedSequence& seed_sequence);
  // A Generator seeded from OS entropy (what `np_random(None)` does).
  static Generator from_entropy();

  std::uint64_t next_u64() { return bit_generator_.next_u64(); }
  // `random()`: a double in [0, 1) with 53 random bits.
  double random();
  // `uniform(low, high)`: low + (high - low) * random().
  double uniform(double low, double high);
  // `integers(low, high)`: int64 in [low, high) (high exclusive), Lemire's method as NumPy.
  // Precondition low < high; otherwise throws std::invalid_argument (NumPy raises ValueError).
  std::int64_t integers(std::int64_t low, std::int64_t high);
  // `standard_normal()`: NumPy's 256-layer ziggurat.
  double standard_normal();
  // `normal(loc, scale)`.
  double normal(double loc, double scale) { return loc + scale * standard_normal(); }

  Pcg64& bit_generator() { return bit_generator_; }
  const Pcg64& bit_generator() const { return bit_generator_; }

 private:
  // Uniform in [0, range] (inclusive) by Lemire's rejection; range must be < 2^32 - 1.
  std::uint32_t bounded_lemire_u32(std::uint32_t range);
  // Uniform in [0, range] (inclusive); range must be < 2^64 - 1.
  std::uint64_t bounded_lemire_u64(std::uint64_t range);

  Pcg64 bit_generator_;
};

}  // namespace tars::core
