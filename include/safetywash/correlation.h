// SPDX-License-Identifier: MIT
// Rank and product-moment correlation coefficients and their p-values.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace safetywash {

/// Correlation coefficient used for the capabilities matrix and the reports.
enum class Method { Spearman, Pearson, Kendall };

std::string_view method_name(Method method);

/// Parses "spearman", "pearson" or "kendall". Throws UsageError otherwise.
Method parse_method(std::string_view name);

/// Method of computing a p-value.
enum class PValueMethod {
  None,            ///< No p-value (fewer than 3 pairs or undefined r).
  StudentT,        ///< t distribution with n - 2 degrees of freedom.
  ExactPermutation,///< All n! orderings of one variable (Spearman, n <= 10).
  ExactKendall,    ///< Exact null distribution of tau without ties.
  Normal,          ///< Normal approximation with tie-corrected variance.
};

std::string_view p_value_method_name(PValueMethod method);

/// Average (mid) ranks, 1-based; ties share the mean of their positions.
std::vector<double> average_ranks(std::span<const double> values);

/// The positions of a variable's present (non-NaN) values in ascending
/// order of value, and the runs of positions that hold equal values, each as
/// [begin, end) into `order`, in ascending order and at least two long.
struct Ordering {
  std::vector<std::uint32_t> order;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
};

/// Sorts the present values of `values`. Throws InputError for more than
/// 2^32 - 1 values.
Ordering sorted_order(std::span<const double> values);

/// One variable's present values in ascending order, for ranking many
/// subsets of it: the average ranks over any subset of entries then take one
/// pass instead of a sort. Analyses that correlate many benchmarks with the
/// same capabilities score sort the score once this way.
class SortedVariable {
 public:
  /// Leaves out NaN entries. Entries are indexed as in `values`.
  explicit SortedVariable(std::span<const double> values);
  /// Writes to ranks[i], for each i with keep[i] set, the average rank of
  /// values[i] among the kept entries. keep must be false where values is
  /// NaN; other entries of ranks are left as they were.
  void subset_ranks(std::span<const std::uint8_t> keep, std::span<double> ranks) const;
  /// As subset_ranks, but writes twice the average rank, which is an
  /// integer, for sums of products that are exact, and writes 0 to the
  /// present entries that are not kept.
  void subset_doubled_ranks(std::span<const std::uint8_t> keep,
                            std::span<std::int32_t> doubled) const;

 private:
  Ordering ordering_;
};

/// Pearson's r; NaN when either variable is constant or n < 2. The result
/// is clamped to [-1, 1].
double pearson(std::span<const double> x, std::span<const double> y);

/// Spearman's rho: Pearson's r of the average ranks.
double spearman(std::span<const double> x, std::span<const double> y);

/// Spearman's rho given the average ranks of x and y (no NaN), computed
/// with exact integer sums; NaN when either is constant or n < 2.
double spearman_from_ranks(std::span<const double> rx, std::span<const double> ry);

/// Spearman's rho of n pairs from the sums of a_i b_i, a_i^2 and b_i^2 over
/// doubled average ranks a and b (integers); NaN when either is constant.
double spearman_from_sums(std::size_t n, std::int64_t sum_ab, std::int64_t sum_aa,
                          std::int64_t sum_bb);

/// Most pairs whose doubled-rank sums fit in 64-bit integers: each product
/// is at most (2n)^2, so n (2n)^2 stays below 2^63.
constexpr std::size_t kMaxRankSumPairs = 1'000'000;

/// Kendall's tau-b, computed in O(n log n) by merge sort; NaN when either
/// variable is constant.
double kendall_tau_b(std::span<const double> x, std::span<const double> y);

/// The coefficient of `method`.
double correlation(Method method, std::span<const double> x, std::span<const double> y);

/// A coefficient with its two-sided p-value.
struct CorrelationTest {
  double r = 0.0;  ///< NaN when undefined.
  double p = 0.0;  ///< NaN when undefined.
  PValueMethod p_method = PValueMethod::None;
};

/// Tests x and y (complete pairs, no NaN) for association:
/// - Pearson: t distribution with n - 2 df (p = 0 when |r| = 1);
/// - Spearman: exact permutation p for n <= 10 (ties kept), else t with n - 2 df;
/// - Kendall tau-b: exact without ties for n <= 33, else the normal
///   approximation with the tie-corrected variance (as scipy 1.10).
/// Fewer than 3 pairs or an undefined r give NaN for both values.
CorrelationTest test_correlation(Method method, std::span<const double> x, std::span<const double> y);

/// The same as test_correlation(Method::Spearman, x, y), given the average
/// ranks of x and y (no NaN) instead of the values.
CorrelationTest test_spearman_ranks(std::span<const double> rx, std::span<const double> ry);

/// Runs the same test from the sums taken by spearman_from_sums, for n
/// between 11 and kMaxRankSumPairs pairs. Returns nullopt for other n,
/// because the exact permutation p-value needs the ranks themselves.
std::optional<CorrelationTest> test_spearman_sums(std::size_t n, std::int64_t sum_ab,
                                                  std::int64_t sum_aa, std::int64_t sum_bb);

/// A confidence interval for a correlation coefficient.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

/// Computes the Fisher-z interval tanh(atanh(r) -/+ q * SE) at `confidence`
/// (e.g. 0.95), where q is the normal quantile. The standard error SE is
/// 1 / sqrt(n - 3) for Pearson, sqrt((1 + r^2 / 2) / (n - 3)) for Spearman
/// (Bonett and Wright, 2000), and sqrt(0.437 / (n - 4)) for Kendall
/// (Fieller, Hartley and Pearson, 1957).
/// Returns nullopt when r is NaN or the SE is undefined (n <= 3, or n <= 4
/// for Kendall); returns [r, r] when |r| = 1.
std::optional<Interval> fisher_interval(Method method, double r, std::size_t n, double confidence);

/// Correction of p-values for testing many benchmarks at once.
enum class Adjustment {
  Holm,               ///< Holm's step-down method; controls the family-wise error rate.
  BenjaminiHochberg,  ///< Benjamini-Hochberg; controls the false discovery rate.
  Bonferroni,         ///< min(1, m p).
  None,
};

std::string_view adjustment_name(Adjustment adjustment);

/// Parses "holm", "bh", "bonferroni" or "none". Throws UsageError otherwise.
Adjustment parse_adjustment(std::string_view name);

/// Adjusts p-values for multiple testing. NaN entries are not tests: they
/// stay NaN and do not count in m. Results are the same as R's p.adjust.
std::vector<double> adjust_p_values(const std::vector<double>& p, Adjustment adjustment);

/// Partial correlation of x and y given z, from the three pairwise
/// coefficients: (r_xy - r_xz r_yz) / sqrt((1 - r_xz^2)(1 - r_yz^2)). With
/// Spearman or Kendall coefficients this is the rank-based partial
/// correlation. NaN when undefined.
double partial_correlation(double r_xy, double r_xz, double r_yz);

/// Tests a partial correlation with one controlled variable: the t
/// distribution with n - 3 degrees of freedom. NaN when n < 4.
double partial_correlation_p(double r, std::size_t n);

/// Correlation matrix of the columns of `data` (rows = observations, no NaN),
/// computed on up to `threads` threads. For Spearman, when `orderings` is
/// given, it receives the sorted order of each column.
Eigen::MatrixXd correlation_matrix(Method method, const Eigen::MatrixXd& data,
                                   unsigned threads = 1,
                                   std::vector<std::optional<SortedVariable>>* orderings = nullptr);

}  // namespace safetywash
