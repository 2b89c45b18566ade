// SPDX-License-Identifier: MIT
// Bootstrap intervals that resample models and refit the capabilities score.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "safetywash/correlation.h"
#include "safetywash/pca.h"

namespace safetywash {

/// Kind of bootstrap interval.
enum class BootstrapInterval {
  Bca,         ///< Bias-corrected and accelerated (Efron 1987), jackknife acceleration.
  Percentile,  ///< Quantiles of the bootstrap distribution.
};

std::string_view bootstrap_interval_name(BootstrapInterval kind);

/// Parses "bca" or "percentile". Throws UsageError otherwise.
BootstrapInterval parse_bootstrap_interval(std::string_view name);

/// Data of one analysis in the form every resample needs. All columns are
/// oriented (lower-is-better ones negated) and rows are models.
struct BootstrapData {
  Eigen::MatrixXd capabilities;  ///< Capability benchmarks; NaN = missing.
  Eigen::MatrixXd benchmarks;    ///< Every benchmark whose correlations get intervals.
  std::vector<double> compute;   ///< Per model, already log10 for Pearson; NaN = missing.
  Method method = Method::Spearman;  ///< Coefficient of the reported correlations.
  ComponentOptions component;        ///< How the capabilities score is fit.
};

/// Settings of a bootstrap run.
struct BootstrapSettings {
  std::size_t resamples = 0;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  double confidence = 0.95;
  BootstrapInterval interval = BootstrapInterval::Bca;
  /// Called now and then with the number of finished resamples; may be empty.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

/// Interval of one correlation and the resamples behind it.
struct BootstrapEstimate {
  std::optional<Interval> interval;
  BootstrapInterval kind = BootstrapInterval::Bca;  ///< May fall back to Percentile.
  std::size_t defined = 0;    ///< Resamples where the correlation was defined.
  std::size_t undefined = 0;  ///< Resamples where it was not (constant, n < 3, failed fit).
};

/// Intervals for every column of BootstrapData::benchmarks.
struct BootstrapResult {
  std::vector<BootstrapEstimate> capabilities;  ///< Correlation with the score.
  std::vector<BootstrapEstimate> compute;       ///< Correlation with compute.
  std::size_t failed_fits = 0;  ///< Resamples where the capabilities score could not be fit.
};

/// Resamples models with replacement and reruns the whole method in every
/// resample: z-scores, the capabilities component with its sign rule,
/// scores, and the correlations of each benchmark with the score and with
/// compute over the pairs present. Resample b draws from its own generator
/// seeded by (seed, b), so the result does not depend on the thread count.
/// `estimates_capabilities` and `estimates_compute` are the full-data
/// coefficients (NaN when undefined), needed for the BCa correction. BCa
/// falls back to a percentile interval when every resample lies on one side
/// of the estimate.
BootstrapResult bootstrap_correlations(const BootstrapData& data,
                                       const std::vector<double>& estimates_capabilities,
                                       const std::vector<double>& estimates_compute,
                                       const BootstrapSettings& settings);

/// Reruns the whole method on each set of rows (models, repeats allowed)
/// and returns, per set, the capabilities correlation of every benchmark
/// column (NaN where undefined or where the score could not be fit). Used
/// for leave-one-out ranges.
std::vector<std::vector<double>> refit_correlations(
    const BootstrapData& data, const std::vector<std::vector<std::size_t>>& row_sets);

/// The quantile of sorted values at probability q, interpolating linearly
/// between order statistics (the default method of numpy and R type 7).
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace safetywash
