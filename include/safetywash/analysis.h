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
#include "safetywash/pca.h"
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

  /// Matrix of the capabilities component; default: the kind of `method`.
  std::optional<PcaMatrix> pca_matrix;
  MissingPolicy missing = MissingPolicy::Complete;
  std::size_t impute_rank = 1;
  ScoreKind score = ScoreKind::Pc1;
  /// Capability benchmark that must load positively.
  std::optional<std::string> anchor;
  /// Eigenvectors to report (the first is the capabilities component).
  std::size_t components = 1;
  /// Ranges of the capabilities correlation over leave-one-model-out refits.
  bool jackknife = false;
  /// Attribute column of model families for leave-one-family-out refits.
  std::optional<std::string> family_column;
  /// Keep each benchmark's (model, score, value) points, which plots need;
  /// off by default because they hold a copy of the table.
  bool points = false;
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

/// Least-squares fit of a benchmark's z-scores on the capabilities score.
struct Regression {
  std::size_t n = 0;
  double slope = 0.0;
  double intercept = 0.0;
  double r_squared = 0.0;
};

/// Range of a capabilities correlation over refits that leave out models.
struct RefitRange {
  std::size_t refits = 0;     ///< Refits where the correlation was defined.
  std::size_t undefined = 0;  ///< Refits where it was not.
  double min = 0.0;
  double max = 0.0;
  bool risk_changes = false;  ///< The risk label differs somewhere in the range.
};

/// One model's position in a scatter of a benchmark against the score.
struct ModelPoint {
  std::string model;
  double score = 0.0;  ///< Capabilities score.
  double value = 0.0;  ///< Benchmark value, negated when lower is better.
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
  /// Capability benchmarks only: correlation with a score refit without them.
  std::optional<CorrelationSummary> capabilities_excluding_self;
  std::optional<Regression> regression;
  std::optional<RefitRange> jackknife;   ///< Leave one model out.
  std::optional<RefitRange> by_family;   ///< Leave one family out.
  /// Models with both a value and a score, for plots; filled only when
  /// AnalysisOptions::points is set.
  std::vector<ModelPoint> points;
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

  PcaMatrix pca_matrix = PcaMatrix::Spearman;
  MissingPolicy missing = MissingPolicy::Complete;
  ScoreKind score = ScoreKind::Pc1;
  std::optional<std::string> anchor;
  bool anchor_disagrees = false;
  bool repaired = false;  ///< Pairwise matrix repaired to be positive semi-definite.
  /// The first K eigenvectors, one vector of loadings per component.
  std::vector<std::vector<double>> components;
  /// The decomposed matrix (rows and columns in the order of `benchmarks`).
  std::vector<std::vector<double>> matrix;

  /// A cell filled by imputation.
  struct ImputedCell {
    std::string model;
    std::string benchmark;
    double z = 0.0;  ///< Imputed z-score.
  };
  std::vector<ImputedCell> imputed;
  std::size_t impute_iterations = 0;
  bool impute_converged = true;
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
/// non-positive compute). Pass the table with std::move when it is no
/// longer needed, so that a large table is not copied.
AnalysisResult analyze(ScoreTable table,
                       const Registry& registry,
                       const AnalysisOptions& options);

/// Per model and reported benchmark: the z-scored value, the value predicted
/// from the capabilities score by ordinary least squares with intercept, the
/// residual and the rank of the residual within the benchmark (1 = furthest
/// above its prediction).
struct AdjustedScore {
  std::string model;
  std::string benchmark;
  double z = 0.0;
  double predicted = 0.0;
  double residual = 0.0;
  std::size_t rank = 0;
};

/// Runs the analysis and returns the capabilities-adjusted scores of every
/// reported benchmark, in table order of benchmarks and then models.
std::vector<AdjustedScore> adjusted_scores(const ScoreTable& table,
                                           const Registry& registry,
                                           const AnalysisOptions& options,
                                           Warnings& warnings);

/// Fits only the capabilities component, with the same selection rules.
CapabilitiesSummary fit_capabilities(const ScoreTable& table,
                                     const Registry& registry,
                                     const AnalysisOptions& options,
                                     Warnings& warnings);

}  // namespace safetywash
