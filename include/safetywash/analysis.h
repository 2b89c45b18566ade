// SPDX-License-Identifier: MIT
// The safetywashing analysis: options in, AnalysisResult out. No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "safetywash/benchmarks.h"
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
  /// Confidence level of the intervals of capabilities correlations.
  double confidence = 0.95;
};

/// A correlation with its sample size; r and p are empty when undefined.
struct CorrelationSummary {
  std::size_t n = 0;
  std::optional<double> r;
  std::optional<double> p;
  PValueMethod p_method = PValueMethod::None;
  std::optional<Interval> interval;  ///< Fisher-z interval, when defined.
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
