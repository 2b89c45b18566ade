// SPDX-License-Identifier: MIT
// Correlation coefficients, p-values and correlation matrices.
#include "safetywash/correlation.h"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <utility>

#include "parallel.h"
#include "safetywash/error.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Largest n for which Spearman's p-value uses the exact null distribution
// over all n! orderings.
constexpr std::size_t kMaxExactSpearman = 10;
// Largest n for which Kendall's p-value uses the exact null distribution
// (without ties), as scipy 1.10's kendalltau(method="auto") does.
constexpr std::size_t kMaxExactKendall = 33;

double clamp_unit(double r) { return std::clamp(r, -1.0, 1.0); }

// Mean computed on values scaled by their largest magnitude, so that values
// near the top of the double range do not overflow the sum.
double stable_mean(std::span<const double> v, double scale) {
  double sum = 0.0;
  for (double x : v) sum += x / scale;
  return sum / static_cast<double>(v.size()) * scale;
}

// Sum of t * (t - 1) / 2 over runs of equal values in sorted order, plus the
// two sums scipy's tie-corrected variance needs.
struct TieSums {
  double pairs = 0.0;      // sum t(t-1)/2
  double cubic = 0.0;      // sum t(t-1)(t-2)
  double variance = 0.0;   // sum t(t-1)(2t+5)
};

TieSums tie_sums(std::vector<double> sorted) {
  std::sort(sorted.begin(), sorted.end());
  TieSums sums;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    auto t = static_cast<double>(j - i);
    sums.pairs += t * (t - 1) / 2;
    sums.cubic += t * (t - 1) * (t - 2);
    sums.variance += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  return sums;
}

// Counts inversions (pairs i < j with v[i] > v[j]) while merge-sorting v.
std::uint64_t count_inversions(std::vector<double>& v) {
  std::vector<double> buffer(v.size());
  std::uint64_t inversions = 0;
  for (std::size_t width = 1; width < v.size(); width *= 2) {
    for (std::size_t lo = 0; lo < v.size(); lo += 2 * width) {
      std::size_t mid = std::min(lo + width, v.size());
      std::size_t hi = std::min(lo + 2 * width, v.size());
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (v[j] < v[i]) {
          inversions += mid - i;
          buffer[k++] = v[j++];
        } else {
          buffer[k++] = v[i++];
        }
      }
      while (i < mid) buffer[k++] = v[i++];
      while (j < hi) buffer[k++] = v[j++];
    }
    v.swap(buffer);
  }
  return inversions;
}

struct KendallCounts {
  double tau = kNaN;
  double con_minus_dis = 0.0;
  double discordant = 0.0;
  double total_pairs = 0.0;
  TieSums x_ties, y_ties;
};

// Knight's O(n log n) algorithm: sort by (x, y), count ties, then count the
// discordant pairs as the inversions of y in that order.
KendallCounts kendall_counts(std::span<const double> x, std::span<const double> y) {
  std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return x[a] < x[b] || (x[a] == x[b] && y[a] < y[b]);
  });
  double joint_ties = 0.0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && x[order[j]] == x[order[i]] && y[order[j]] == y[order[i]]) ++j;
    auto t = static_cast<double>(j - i);
    joint_ties += t * (t - 1) / 2;
    i = j;
  }
  std::vector<double> y_sorted(n);
  for (std::size_t i = 0; i < n; ++i) y_sorted[i] = y[order[i]];

  KendallCounts counts;
  counts.x_ties = tie_sums(std::vector<double>(x.begin(), x.end()));
  counts.y_ties = tie_sums(y_sorted);
  counts.discordant = static_cast<double>(count_inversions(y_sorted));
  counts.total_pairs = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  counts.con_minus_dis = counts.total_pairs - counts.x_ties.pairs - counts.y_ties.pairs +
                         joint_ties - 2 * counts.discordant;
  // One square root of the product, so a perfect ordering gives exactly 1
  // (sqrt(15) * sqrt(15) is 15.000000000000002).
  double denominator = std::sqrt((counts.total_pairs - counts.x_ties.pairs) *
                                 (counts.total_pairs - counts.y_ties.pairs));
  if (denominator > 0) counts.tau = clamp_unit(counts.con_minus_dis / denominator);
  return counts;
}

// Two-sided p-value of Kendall's statistic without ties: the number of
// permutations of n items with at most c inversions, doubled, over n!.
// c is the smaller of the discordant and concordant counts.
double kendall_exact_p(std::size_t n, double discordant) {
  double total = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  auto c = static_cast<std::size_t>(std::min(discordant, total - discordant));
  if (n <= 2) return 1.0;
  if (4.0 * static_cast<double>(c) == static_cast<double>(n) * static_cast<double>(n - 1)) {
    return 1.0;
  }
  // counts[k] = number of permutations of j items with exactly k inversions,
  // truncated at c; built up one item at a time.
  std::vector<double> counts(c + 1, 0.0);
  counts[0] = 1.0;
  double factorial = 1.0;
  for (std::size_t j = 2; j <= n; ++j) {
    factorial *= static_cast<double>(j);
    std::vector<double> next(c + 1, 0.0);
    double window = 0.0;
    for (std::size_t k = 0; k <= c; ++k) {
      window += counts[k];
      if (k >= j) window -= counts[k - j];
      next[k] = window;
    }
    counts.swap(next);
  }
  double tail = std::accumulate(counts.begin(), counts.end(), 0.0);
  return std::clamp(2.0 * tail / factorial, 0.0, 1.0);
}

double kendall_normal_p(std::size_t size, const KendallCounts& k) {
  auto n = static_cast<double>(size);
  double m = n * (n - 1);
  double variance = (m * (2 * n + 5) - k.x_ties.variance - k.y_ties.variance) / 18 +
                    2 * k.x_ties.pairs * k.y_ties.pairs / m +
                    k.x_ties.cubic * k.y_ties.cubic / (9 * m * (n - 2));
  double z = k.con_minus_dis / std::sqrt(variance);
  return std::clamp(std::erfc(std::abs(z) / std::sqrt(2.0)), 0.0, 1.0);
}

// Boost evaluates double functions in long double by default, which on
// x86-64 runs on the x87 unit and made the incomplete beta function the
// largest cost of a small analysis. Double precision keeps about 1e-15
// relative accuracy, far inside the 1e-9 the references are checked to.
using DoublePolicy =
    boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// Two-sided p of a correlation coefficient under the t distribution with
// n - 2 degrees of freedom, written through the regularized incomplete beta
// function: p = I_{1 - r^2}((n - 2) / 2, 1 / 2).
double t_test_p(double r, std::size_t n) {
  if (std::abs(r) >= 1.0) return 0.0;
  double df = static_cast<double>(n) - 2;
  double x = (1.0 - r) * (1.0 + r);
  return std::clamp(boost::math::ibeta(df / 2, 0.5, x, DoublePolicy()), 0.0, 1.0);
}

// Two-sided p of Pearson's r from its exact null distribution, a beta
// distribution on [-1, 1]: p = 2 I_{(1 - |r|) / 2}(n/2 - 1, n/2 - 1).
double pearson_p(double r, std::size_t n) {
  if (std::abs(r) >= 1.0) return 0.0;
  double a = static_cast<double>(n) / 2 - 1;
  return std::clamp(2 * boost::math::ibeta(a, a, 0.5 * (1 - std::abs(r)), DoublePolicy()), 0.0, 1.0);
}

// Null distribution of Spearman's statistic for given rank multisets: the
// distinct values of |sum(a_i b_pi(i)) - n (n + 1)^2| over all orderings,
// descending, with the number of orderings reaching at least each value.
struct SpearmanNull {
  std::vector<std::int64_t> values;
  std::vector<std::uint64_t> at_least;
  std::uint64_t total = 0;
};

// Builds the null distribution over all n! orderings of b by dynamic
// programming instead of listing the orderings. The values of b are placed
// in sorted order; a state records how many positions of each distinct value
// of a are taken so far (positions with equal a are interchangeable), and
// contains the number of ways to reach each partial cross product. Counting
// the positions within a group as one choice divides every final count by
// the same product of group-size factorials, so the shares, and the p-value,
// equal those over all n! orderings. Without ties this is 2^n states of at
// most sum(a_i b_i) + 1 sums each, about 30 times fewer steps than n! at
// n = 10.
SpearmanNull build_spearman_null(const std::vector<std::int64_t>& a_sorted,
                                 const std::vector<std::int64_t>& b_sorted) {
  std::size_t n = a_sorted.size();
  std::vector<std::int64_t> group_value;
  std::vector<std::size_t> group_size;
  for (std::int64_t v : a_sorted) {
    if (group_value.empty() || group_value.back() != v) {
      group_value.push_back(v);
      group_size.push_back(0);
    }
    ++group_size.back();
  }
  std::size_t groups = group_value.size();
  std::vector<std::size_t> stride(groups);
  std::size_t states = 1;
  for (std::size_t g = 0; g < groups; ++g) {
    stride[g] = states;
    states *= group_size[g] + 1;
  }
  // Ranks are positive, so every cross product lies in [0, max], and by the
  // rearrangement inequality max pairs the sorted values.
  std::int64_t max_sum = 0;
  for (std::size_t i = 0; i < n; ++i) max_sum += a_sorted[i] * b_sorted[i];
  auto width = static_cast<std::size_t>(max_sum) + 1;
  std::vector<std::uint64_t> counts(states * width, 0);
  // Lowest and highest sum reached in each state, so empty ends are skipped.
  std::vector<std::size_t> lo(states, width), hi(states, 0);
  counts[0] = 1;
  lo[0] = 0;
  std::vector<std::size_t> used(groups, 0);
  for (std::size_t s = 0; s + 1 < states; ++s) {
    std::size_t placed = 0;
    for (std::size_t g = 0, rest = s; g < groups; ++g) {
      used[g] = rest % (group_size[g] + 1);
      rest /= group_size[g] + 1;
      placed += used[g];
    }
    if (lo[s] > hi[s]) continue;
    const std::uint64_t* from = &counts[s * width];
    for (std::size_t g = 0; g < groups; ++g) {
      if (used[g] == group_size[g]) continue;
      std::size_t t = s + stride[g];
      auto shift = static_cast<std::size_t>(group_value[g] * b_sorted[placed]);
      std::uint64_t* to = &counts[t * width] + shift;
      for (std::size_t v = lo[s]; v <= hi[s]; ++v) to[v] += from[v];
      lo[t] = std::min(lo[t], lo[s] + shift);
      hi[t] = std::max(hi[t], hi[s] + shift);
    }
  }

  // Fold the final state's sums into |sum - offset|, where doubled ranks
  // average n + 1 and so the centred cross product is sum - n (n + 1)^2.
  auto offset = static_cast<std::int64_t>(n * (n + 1) * (n + 1));
  const std::uint64_t* last = &counts[(states - 1) * width];
  std::map<std::int64_t, std::uint64_t, std::greater<std::int64_t>> by_distance;
  for (std::size_t v = 0; v < width; ++v) {
    if (last[v] != 0) by_distance[std::llabs(static_cast<std::int64_t>(v) - offset)] += last[v];
  }
  SpearmanNull null;
  std::uint64_t running = 0;
  for (const auto& [distance, count] : by_distance) {
    running += count;
    null.values.push_back(distance);
    null.at_least.push_back(running);
  }
  null.total = running;
  return null;
}

// Exact permutation p-value of Spearman's rho: the share of orderings of y
// whose |rho| is at least the observed one. Doubled average ranks are
// integers, so the comparison is exact. The null distribution depends only
// on the two rank multisets, so it is computed once per tie pattern and
// cached: a table of many benchmarks without ties needs one enumeration.
double spearman_exact_p(std::span<const double> x, std::span<const double> y) {
  std::size_t n = x.size();
  std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
  std::vector<std::int64_t> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = std::llround(2 * rx[i]);
    b[i] = std::llround(2 * ry[i]);
  }
  // Doubled ranks average n + 1, so the centred cross product is
  // sum(a * b) - n (n + 1)^2.
  auto offset = static_cast<std::int64_t>(n * (n + 1) * (n + 1));
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  std::int64_t observed = std::llabs(sum - offset);

  std::vector<std::int64_t> a_sorted = a, b_sorted = b;
  std::sort(a_sorted.begin(), a_sorted.end());
  std::sort(b_sorted.begin(), b_sorted.end());
  static std::mutex mutex;
  static std::map<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>, SpearmanNull>
      cache;
  constexpr std::size_t kMaxCached = 256;
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_pair(a_sorted, b_sorted);
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() >= kMaxCached) cache.clear();
    it = cache.emplace(key, build_spearman_null(a_sorted, b_sorted)).first;
  }
  const SpearmanNull& null = it->second;
  // values are descending: count the orderings whose value is >= observed.
  auto position = std::upper_bound(null.values.begin(), null.values.end(), observed,
                                   std::greater<std::int64_t>());
  if (position == null.values.begin()) return 1.0 / static_cast<double>(null.total);
  std::uint64_t at_least = null.at_least[static_cast<std::size_t>(position - null.values.begin()) - 1];
  return static_cast<double>(at_least) / static_cast<double>(null.total);
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::Spearman: return "spearman";
    case Method::Pearson: return "pearson";
    case Method::Kendall: return "kendall";
  }
  return "spearman";
}

Method parse_method(std::string_view name) {
  if (name == "spearman") return Method::Spearman;
  if (name == "pearson") return Method::Pearson;
  if (name == "kendall") return Method::Kendall;
  throw UsageError(fmt::format("unknown method '{}'; use spearman, pearson or kendall", name));
}

std::string_view p_value_method_name(PValueMethod method) {
  switch (method) {
    case PValueMethod::None: return "none";
    case PValueMethod::StudentT: return "t";
    case PValueMethod::ExactPermutation: return "exact-permutation";
    case PValueMethod::ExactKendall: return "exact";
    case PValueMethod::Normal: return "normal";
  }
  return "none";
}

namespace {

// A 32-bit key whose unsigned order follows the order of the (non-NaN)
// doubles: the value rounded to a float (clamped to the float range first,
// as converting a larger double is undefined), with every bit of negatives
// and the sign bit of the rest flipped. Rounding is monotone, so a smaller
// double never gets a larger key; distinct doubles may share one. Adding
// 0.0f turns -0.0f into 0.0f, so that equal doubles, -0.0 and 0.0 among
// them, always share a key.
std::uint32_t float_order_key(double value) {
  constexpr double kLargest = std::numeric_limits<float>::max();
  float rounded = static_cast<float>(std::clamp(value, -kLargest, kLargest)) + 0.0f;
  auto bits = std::bit_cast<std::uint32_t>(rounded);
  return (bits >> 31) != 0 ? ~bits : bits | (std::uint32_t{1} << 31);
}

}  // namespace

// Large inputs take an LSD radix sort, 11 bits per pass, on 64-bit
// words that hold a 32-bit float_order_key above the entry's index. Passes
// whose digit is the same for every word are skipped. Runs of equal keys
// are then sorted by the exact values, and such runs are short unless many
// values agree to about 7 digits. The order within a run of equal values is
// not specified. -0.0 and 0.0 are equal, so they share a run.
Ordering sorted_order(std::span<const double> values) {
  // In a micro-benchmark std::sort was faster than the radix sort on 1,000
  // values and slower on 20,000.
  constexpr std::size_t kRadixFrom = 2048;
  constexpr int kBits = 11, kPasses = 3;
  constexpr std::uint32_t kMask = (1u << kBits) - 1;
  std::size_t size = values.size();
  if (size > std::numeric_limits<std::uint32_t>::max()) {
    throw InputError(fmt::format("too many values to rank: {} (the maximum is {}); split the "
                                 "table into smaller ones",
                                 size, std::numeric_limits<std::uint32_t>::max()));
  }
  Ordering ordering;
  std::vector<std::uint32_t>& order = ordering.order;
  // Appends the runs of equal values within order[begin, end), which is
  // sorted.
  auto find_ties = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i + 1 < end;) {
      std::size_t j = i + 1;
      while (j < end && values[order[j]] == values[order[i]]) ++j;
      if (j - i > 1) ordering.ties.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
      i = j;
    }
  };
  if (size < kRadixFrom) {
    for (std::size_t i = 0; i < size; ++i) {
      if (!std::isnan(values[i])) order.push_back(static_cast<std::uint32_t>(i));
    }
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
    find_ties(0, order.size());
    return ordering;
  }
  // Every entry is written and only the present ones are counted, which
  // leaves out NaN without a branch.
  std::vector<std::uint64_t> words(size), other(size);
  std::size_t n = 0;
  for (std::size_t i = 0; i < size; ++i) {
    words[n] = std::uint64_t{float_order_key(values[i])} << 32 | i;
    n += std::isnan(values[i]) ? 0 : 1;
  }
  std::array<std::array<std::uint32_t, kMask + 1>, kPasses> counts{};
  for (std::size_t k = 0; k < n; ++k) {
    auto key = static_cast<std::uint32_t>(words[k] >> 32);
    for (int pass = 0; pass < kPasses; ++pass) ++counts[pass][(key >> (kBits * pass)) & kMask];
  }
  for (int pass = 0; pass < kPasses; ++pass) {
    auto& count = counts[pass];
    if (std::find(count.begin(), count.end(), n) != count.end()) continue;
    std::uint32_t offset = 0;
    for (std::uint32_t& c : count) offset += std::exchange(c, offset);
    for (std::size_t k = 0; k < n; ++k) {
      std::uint64_t word = words[k];
      other[count[(word >> (32 + kBits * pass)) & kMask]++] = word;
    }
    words.swap(other);
  }
  order.resize(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = static_cast<std::uint32_t>(words[k]);
  for (std::size_t i = 0; i + 1 < n;) {
    if ((words[i] >> 32) != (words[i + 1] >> 32)) {
      ++i;
      continue;
    }
    std::size_t j = i + 2;
    while (j < n && (words[j] >> 32) == (words[i] >> 32)) ++j;
    std::sort(order.begin() + static_cast<std::ptrdiff_t>(i),
              order.begin() + static_cast<std::ptrdiff_t>(j),
              [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
    find_ties(i, j);
    i = j;
  }
  return ordering;
}

namespace {

// Calls assign(index, selected, doubled) for each entry of the ordering,
// with selected = keep[index] and, for a selected entry, twice its average
// rank among the selected entries.
template <typename Assign>
void walk_subset(const Ordering& ordering, std::span<const std::uint8_t> keep, Assign assign) {
  const std::vector<std::uint32_t>& order = ordering.order;
  std::size_t position = 0, i = 0;
  // Entries without ties, the common case, take the next position.
  auto untied = [&](std::size_t end) {
    for (; i < end; ++i) {
      std::uint32_t index = order[i];
      std::size_t selected = keep[index];
      position += selected;
      assign(index, selected != 0, 2 * position);
    }
  };
  for (auto [begin, end] : ordering.ties) {
    untied(begin);
    // The selected entries of a run of equal values share the mean of the
    // positions they take among the selected entries.
    std::size_t selected_count = 0;
    for (std::size_t k = begin; k < end; ++k) selected_count += keep[order[k]];
    std::size_t doubled = (position + 1) + (position + selected_count);
    for (std::size_t k = begin; k < end; ++k) assign(order[k], keep[order[k]] != 0, doubled);
    position += selected_count;
    i = end;
  }
  untied(order.size());
}

}  // namespace

SortedVariable::SortedVariable(std::span<const double> values)
    : ordering_(sorted_order(values)) {}

void SortedVariable::subset_ranks(std::span<const std::uint8_t> keep,
                                  std::span<double> ranks) const {
  walk_subset(ordering_, keep, [&](std::size_t index, bool selected, std::size_t doubled) {
    if (selected) ranks[index] = static_cast<double>(doubled) / 2;
  });
}

void SortedVariable::subset_doubled_ranks(std::span<const std::uint8_t> keep,
                                          std::span<std::int32_t> doubled) const {
  walk_subset(ordering_, keep, [&](std::size_t index, bool selected, std::size_t value) {
    doubled[index] = selected ? static_cast<std::int32_t>(value) : 0;
  });
}

std::vector<double> average_ranks(std::span<const double> values) {
  Ordering ordering = sorted_order(values);
  std::vector<double> ranks(values.size());
  std::vector<std::uint8_t> keep(values.size(), 1);
  walk_subset(ordering, keep, [&](std::size_t index, bool, std::size_t doubled) {
    ranks[index] = static_cast<double>(doubled) / 2;
  });
  return ranks;
}

double pearson(std::span<const double> x, std::span<const double> y) {
  std::size_t n = x.size();
  if (n < 2) return kNaN;
  auto [x_low, x_high] = std::minmax_element(x.begin(), x.end());
  auto [y_low, y_high] = std::minmax_element(y.begin(), y.end());
  if (*x_low == *x_high || *y_low == *y_high) return kNaN;
  // r does not change when a variable is scaled. Deviations are taken from
  // halved values (exact), so x - mean cannot overflow near 1e308, and they
  // are divided by their largest magnitude before the products below.
  double scale_x = std::max(std::abs(*x_low), std::abs(*x_high));
  double scale_y = std::max(std::abs(*y_low), std::abs(*y_high));
  double mean_x = stable_mean(x, scale_x) / 2, mean_y = stable_mean(y, scale_y) / 2;
  // Rounding is monotone, so the largest deviation belongs to an extreme.
  double sx = std::max(std::abs(*x_high / 2 - mean_x), std::abs(*x_low / 2 - mean_x));
  double sy = std::max(std::abs(*y_high / 2 - mean_y), std::abs(*y_low / 2 - mean_y));
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double a = (x[i] / 2 - mean_x) / sx, b = (y[i] / 2 - mean_y) / sy;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return clamp_unit(sxy / std::sqrt(sxx * syy));
}

double spearman(std::span<const double> x, std::span<const double> y) {
  return spearman_from_ranks(average_ranks(x), average_ranks(y));
}

double kendall_tau_b(std::span<const double> x, std::span<const double> y) {
  if (x.size() < 2) return kNaN;
  return kendall_counts(x, y).tau;
}

double correlation(Method method, std::span<const double> x, std::span<const double> y) {
  switch (method) {
    case Method::Spearman: return spearman(x, y);
    case Method::Pearson: return pearson(x, y);
    case Method::Kendall: return kendall_tau_b(x, y);
  }
  return kNaN;
}

double spearman_from_ranks(std::span<const double> rx, std::span<const double> ry) {
  std::size_t n = rx.size();
  // Doubled average ranks are integers up to 2n, and their mean is n + 1.
  // The sums below are then exact in 64-bit integers for n up to 10^6. Only
  // the final division and square root round, so the result does not
  // depend on the order of the models.
  if (n < 2) return kNaN;
  if (n > kMaxRankSumPairs) return pearson(rx, ry);
  std::int64_t sum_ab = 0, sum_aa = 0, sum_bb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto a = static_cast<std::int64_t>(2 * rx[i]), b = static_cast<std::int64_t>(2 * ry[i]);
    sum_ab += a * b;
    sum_aa += a * a;
    sum_bb += b * b;
  }
  return spearman_from_sums(n, sum_ab, sum_aa, sum_bb);
}

double spearman_from_sums(std::size_t n, std::int64_t sum_ab, std::int64_t sum_aa,
                          std::int64_t sum_bb) {
  auto centre = static_cast<std::int64_t>(n * (n + 1) * (n + 1));
  std::int64_t cross = sum_ab - centre, spread_a = sum_aa - centre, spread_b = sum_bb - centre;
  if (spread_a == 0 || spread_b == 0) return kNaN;  // a constant variable
  return clamp_unit(static_cast<double>(cross) /
                    std::sqrt(static_cast<double>(spread_a) * static_cast<double>(spread_b)));
}

CorrelationTest test_spearman_ranks(std::span<const double> rx, std::span<const double> ry) {
  CorrelationTest test{kNaN, kNaN, PValueMethod::None};
  std::size_t n = rx.size();
  if (n < 3) return test;
  test.r = spearman_from_ranks(rx, ry);
  if (std::isnan(test.r)) return test;
  if (n <= kMaxExactSpearman) {
    test.p = spearman_exact_p(rx, ry);
    test.p_method = PValueMethod::ExactPermutation;
  } else {
    test.p = t_test_p(test.r, n);
    test.p_method = PValueMethod::StudentT;
  }
  return test;
}

std::optional<CorrelationTest> test_spearman_sums(std::size_t n, std::int64_t sum_ab,
                                                  std::int64_t sum_aa, std::int64_t sum_bb) {
  if (n <= kMaxExactSpearman || n > kMaxRankSumPairs) return std::nullopt;
  CorrelationTest test{spearman_from_sums(n, sum_ab, sum_aa, sum_bb), kNaN, PValueMethod::None};
  if (std::isnan(test.r)) return test;
  test.p = t_test_p(test.r, n);
  test.p_method = PValueMethod::StudentT;
  return test;
}

CorrelationTest test_correlation(Method method,
                                 std::span<const double> x,
                                 std::span<const double> y) {
  CorrelationTest test{kNaN, kNaN, PValueMethod::None};
  std::size_t n = x.size();
  if (n < 3) return test;
  // The p-value functions assume a defined r, so an undefined one (a
  // constant variable) returns before any of them runs.
  switch (method) {
    case Method::Pearson:
      test.r = pearson(x, y);
      if (std::isnan(test.r)) return test;
      test.p = pearson_p(test.r, n);
      test.p_method = PValueMethod::StudentT;
      break;
    case Method::Spearman:
      return test_spearman_ranks(average_ranks(x), average_ranks(y));
    case Method::Kendall: {
      KendallCounts counts = kendall_counts(x, y);
      test.r = counts.tau;
      if (std::isnan(test.r)) return test;
      bool ties = counts.x_ties.pairs > 0 || counts.y_ties.pairs > 0;
      double c = std::min(counts.discordant, counts.total_pairs - counts.discordant);
      if (!ties && (n <= kMaxExactKendall || c <= 1)) {
        test.p = kendall_exact_p(n, counts.discordant);
        test.p_method = PValueMethod::ExactKendall;
      } else {
        test.p = kendall_normal_p(n, counts);
        test.p_method = PValueMethod::Normal;
      }
      break;
    }
  }
  return test;
}

std::optional<Interval> fisher_interval(Method method, double r, std::size_t n,
                                       double confidence) {
  if (std::isnan(r)) return std::nullopt;
  auto size = static_cast<double>(n);
  double se = 0.0;
  switch (method) {
    case Method::Pearson:
      if (n <= 3) return std::nullopt;
      se = 1 / std::sqrt(size - 3);
      break;
    case Method::Spearman:
      if (n <= 3) return std::nullopt;
      se = std::sqrt((1 + r * r / 2) / (size - 3));
      break;
    case Method::Kendall:
      if (n <= 4) return std::nullopt;
      se = std::sqrt(0.437 / (size - 4));
      break;
  }
  if (std::abs(r) >= 1) return Interval{r, r};
  double q = boost::math::quantile(boost::math::normal(), (1 + confidence) / 2);
  double z = std::atanh(r);
  return Interval{std::tanh(z - q * se), std::tanh(z + q * se)};
}

std::string_view adjustment_name(Adjustment adjustment) {
  switch (adjustment) {
    case Adjustment::Holm: return "holm";
    case Adjustment::BenjaminiHochberg: return "bh";
    case Adjustment::Bonferroni: return "bonferroni";
    case Adjustment::None: return "none";
  }
  return "none";
}

Adjustment parse_adjustment(std::string_view name) {
  if (name == "holm") return Adjustment::Holm;
  if (name == "bh") return Adjustment::BenjaminiHochberg;
  if (name == "bonferroni") return Adjustment::Bonferroni;
  if (name == "none") return Adjustment::None;
  throw UsageError(
      fmt::format("unknown adjustment '{}'; use holm, bh, bonferroni or none", name));
}

std::vector<double> adjust_p_values(const std::vector<double>& p, Adjustment adjustment) {
  std::vector<double> adjusted(p.size(), kNaN);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  auto m = static_cast<double>(order.size());
  switch (adjustment) {
    case Adjustment::None:
      for (std::size_t i : order) adjusted[i] = p[i];
      break;
    case Adjustment::Bonferroni:
      for (std::size_t i : order) adjusted[i] = std::min(1.0, m * p[i]);
      break;
    case Adjustment::Holm: {
      // Step down from the smallest p: (m - k) p_(k), made non-decreasing.
      double running = 0.0;
      for (std::size_t k = 0; k < order.size(); ++k) {
        double value = std::min(1.0, (m - static_cast<double>(k)) * p[order[k]]);
        running = std::max(running, value);
        adjusted[order[k]] = running;
      }
      break;
    }
    case Adjustment::BenjaminiHochberg: {
      // Step up from the largest p: m / rank * p_(rank), made non-increasing.
      double running = 1.0;
      for (std::size_t k = order.size(); k-- > 0;) {
        double value = std::min(1.0, m / static_cast<double>(k + 1) * p[order[k]]);
        running = std::min(running, value);
        adjusted[order[k]] = running;
      }
      break;
    }
  }
  return adjusted;
}

double partial_correlation(double r_xy, double r_xz, double r_yz) {
  double denominator = std::sqrt((1 - r_xz * r_xz) * (1 - r_yz * r_yz));
  if (!(denominator > 0)) return kNaN;
  return clamp_unit((r_xy - r_xz * r_yz) / denominator);
}

double partial_correlation_p(double r, std::size_t n) {
  if (n < 4 || std::isnan(r)) return kNaN;
  return t_test_p(r, n - 1);
}

Eigen::MatrixXd correlation_matrix(Method method, const Eigen::MatrixXd& data,
                                   unsigned threads,
                                   std::vector<std::optional<SortedVariable>>* orderings) {
  Eigen::Index k = data.cols();
  auto rows = static_cast<std::size_t>(data.rows());
  auto columns = static_cast<std::size_t>(k);
  Eigen::MatrixXd matrix = Eigen::MatrixXd::Identity(k, k);
  if (method == Method::Spearman && rows <= kMaxRankSumPairs) {
    // Doubled average ranks are integers, so every entry comes from exact
    // sums, in one pass per pair, as in spearman_from_ranks.
    // The ranks are non-negative and below 2^31, so their products are taken
    // unsigned, which the compiler can vectorize.
    std::vector<std::vector<std::uint32_t>> doubled(columns);
    std::vector<std::int64_t> squares(columns, 0);
    const std::vector<std::uint8_t> every_row(rows, 1);
    if (orderings != nullptr) orderings->assign(columns, std::nullopt);
    for_each_index(columns, threads, [&](std::size_t j) {
      std::vector<std::int32_t> ranks(rows, 0);  // NaN entries, unranked, stay 0
      SortedVariable sorted(
          std::span<const double>(data.col(static_cast<Eigen::Index>(j)).data(), rows));
      sorted.subset_doubled_ranks(every_row, ranks);
      if (orderings != nullptr) (*orderings)[j] = std::move(sorted);
      doubled[j].assign(ranks.begin(), ranks.end());
      std::uint64_t sum = 0;
      for (std::uint64_t rank : doubled[j]) sum += rank * rank;
      squares[j] = static_cast<std::int64_t>(sum);
    });
    // Each task computes row a of the upper triangle and writes only its
    // own entries.
    for_each_index(columns, threads, [&](std::size_t a) {
      for (std::size_t b = a + 1; b < columns; ++b) {
        std::uint64_t cross = 0;
        for (std::size_t i = 0; i < rows; ++i) cross += std::uint64_t{doubled[a][i]} * doubled[b][i];
        auto ia = static_cast<Eigen::Index>(a), ib = static_cast<Eigen::Index>(b);
        matrix(ia, ib) = matrix(ib, ia) = spearman_from_sums(rows, static_cast<std::int64_t>(cross),
                                                             squares[a], squares[b]);
      }
    });
    return matrix;
  }
  std::vector<std::vector<double>> values(columns);
  for_each_index(columns, threads, [&](std::size_t j) {
    const double* column = data.col(static_cast<Eigen::Index>(j)).data();
    values[j].assign(column, column + rows);
    if (method == Method::Spearman) values[j] = average_ranks(values[j]);
  });
  Method pairwise = method == Method::Spearman ? Method::Pearson : method;
  for_each_index(columns, threads, [&](std::size_t a) {
    for (std::size_t b = a + 1; b < columns; ++b) {
      double r = correlation(pairwise, values[a], values[b]);
      auto ia = static_cast<Eigen::Index>(a), ib = static_cast<Eigen::Index>(b);
      matrix(ia, ib) = matrix(ib, ia) = r;
    }
  });
  return matrix;
}

}  // namespace safetywash
