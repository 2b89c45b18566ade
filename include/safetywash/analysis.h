// SPDX-License-Identifier: MIT
// The safetywashing analysis: options in, AnalysisResult out. No I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "safetywash/benchmarks.h"
#include "safetywash/bootstrap.h"
#include "safetywash/correlation.h"
#include "safetywash/table.h"

namespace safetywash {

/// Options of one analysis. Empty lists mean "the default".
struct AnalysisOptions {
  Method method = Method::Spearman;
  /// Capability benchmarks; default: the registry's capability benchmarks
  /// present in the table.
  std::vector<std::string> capabilities;
  /// Reported non-capability benchmarks; default: every other benchmark of
  /// the table that the registry does not mark as ignored.
  std::vector<std::string> safety;
  /// Compute column; default: the first attribute named like training compute.
  std::optional<std::string> compute;
  /// Confidence level of every interval.
  double confidence = 0.95;
  /// Multiple-testing correction across the reported (non-capability)
  /// benchmarks, applied to capabilities and compute p-values separately.
  Adjustment adjustment = Adjustment::Holm;
  /// Bootstrap resamples; 0 gives Fisher-z intervals instead.
  std::size_t bootstrap = 0;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  BootstrapInterval bootstrap_interval = BootstrapInterval::Bca;
  /// Progress of the bootstrap (done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

/// A correlation with its sample size; r and p are empty when undefined.
struct CorrelationSummary {
  std::size_t n = 0;
  std::optional<double> r;
  std::optional<double> p;
  PValueMethod p_method = PValueMethod::None;
  std::optional<double> p_adjusted;  ///< Reported benchmarks only.
  std::optional<Interval> interval;
  std::string interval_method;       ///< "fisher-z", "bca" or "percentile".
  std::size_t bootstrap_defined = 0;    ///< Resamples where r was defined.
  std::size_t bootstrap_undefined = 0;  ///< Resamples where it was not.
};

/// Result for one benchmark column.
struct BenchmarkResult {
  BenchmarkInfo info;           ///< Registry entry, or defaults for unknown ids.
  Role role = Role::Safety;     ///< Role in this analysis.
  bool in_registry = false;
  bool negated = false;         ///< Lower-is-better values were negated.
  std::size_t values = 0;       ///< Models with a value.
  CorrelationSummary capabilities;
  CorrelationSummary compute;
  /// Capabilities correlation controlling for compute (log10 for Pearson).
  CorrelationSummary capabilities_given_compute;
  /// Compute correlation controlling for the capabilities score.
  CorrelationSummary compute_given_capabilities;
  std::optional<std::string> skipped;  ///< "constant" or "no values" when skipped.
  std::optional<std::string> risk;     ///< "high", "moderate" or "low" for reported benchmarks.
};

/// The capabilities component with model and benchmark names attached.
struct CapabilitiesSummary {
  std::vector<std::string> benchmarks;
  std::vector<double> loadings;
  std::vector<double> eigenvalues;  ///< Descending.
  double explained_variance = 0.0;
  std::vector<std::string> models;  ///< Models with a score, in table order.
  std::vector<double> scores;
  /// Models left out because they lack a capability value, with the
  /// benchmarks they lack.
  std::vector<std::pair<std::string, std::vector<std::string>>> excluded_models;
};

/// Everything the renderers need.
struct AnalysisResult {
  std::string source;
  std::size_t models = 0;
  Method method = Method::Spearman;
  double confidence = 0.95;
  Adjustment adjustment = Adjustment::Holm;
  std::size_t bootstrap = 0;  ///< Resamples; 0 when intervals are Fisher-z.
  std::uint64_t seed = 0;
  BootstrapInterval bootstrap_interval = BootstrapInterval::Bca;
  std::size_t failed_fits = 0;  ///< Resamples where the score could not be fit.
  std::optional<std::string> compute_column;
  std::size_t compute_models = 0;  ///< Models with a compute value.
  CapabilitiesSummary capabilities;
  std::vector<BenchmarkResult> benchmarks;  ///< Capability ones first, in table order.
  Warnings warnings;
};

/// Risk label of a capabilities correlation r: "high" for r >= 0.7,
/// "moderate" for 0.4 <= r < 0.7, "low" otherwise.
std::string risk_label(double r);

/// Runs the analysis. Throws InputError when the options do not fit the
/// table (unknown benchmark names, fewer than 2 usable capability
/// benchmarks, fewer than 3 models with every capability value,
/// non-positive compute).
AnalysisResult analyze(const ScoreTable& table,
                       const Registry& registry,
                       const AnalysisOptions& options);

/// Fits only the capabilities component, with the same selection rules.
CapabilitiesSummary fit_capabilities(const ScoreTable& table,
                                     const Registry& registry,
                                     const AnalysisOptions& options,
                                     Warnings& warnings);

}  // namespace safetywash
