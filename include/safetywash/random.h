// SPDX-License-Identifier: MIT
// A small random number generator whose output is the same on every platform.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>

namespace safetywash {

/// SplitMix64 (Steele, Lea and Flood, 2014). The distributions of <random>
/// differ between standard libraries, so seeded output built on them would
/// not be reproducible across platforms; this generator and the helpers
/// below are.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform integer in [0, n), without modulo bias. n must be positive.
  std::size_t below(std::size_t n) {
    auto bound = static_cast<std::uint64_t>(n);
    std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                          std::numeric_limits<std::uint64_t>::max() % bound;
    std::uint64_t draw = next();
    while (draw >= limit) draw = next();
    return static_cast<std::size_t>(draw % bound);
  }

  /// Uniform double in (0, 1), from the top 53 bits.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  /// Standard normal draw by the Box-Muller transform.
  double normal() {
    double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
  }

 private:
  std::uint64_t state_;
};

}  // namespace safetywash
