// SPDX-License-Identifier: MIT
// The capabilities component: standardization, eigendecomposition, scores.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "safetywash/correlation.h"

namespace safetywash {

/// z-scores every column over its present (non-NaN) cells with the
/// population standard deviation (divide by n). NaN cells stay NaN. A column
/// whose present values are all equal has no z-scores; the caller must skip
/// such columns beforehand (see is_constant_column). Columns are split
/// among up to `threads` threads.
Eigen::MatrixXd standardize_columns(const Eigen::MatrixXd& values, unsigned threads = 1);

/// True when the present cells of `column` all hold the same value, compared
/// exactly (so a rounding-level spread after centring does not count as
/// variation), or when no cell is present.
bool is_constant_column(const Eigen::VectorXd& column);

/// Matrix whose top eigenvector gives the loadings.
enum class PcaMatrix { Spearman, Pearson, Kendall, Covariance };

/// Treatment of models that lack some capability values.
enum class MissingPolicy {
  Complete,  ///< Use only models with every value (the paper's rule).
  Impute,    ///< Fill missing z-scores by iterative low-rank PCA, keep every model.
  Pairwise,  ///< Correlations over pairwise-complete models; score from present values.
};

/// The capabilities score: the first component, or the mean of z-scores.
enum class ScoreKind { Pc1, MeanZ };

/// Settings of the capabilities component.
struct ComponentOptions {
  PcaMatrix matrix = PcaMatrix::Spearman;
  MissingPolicy missing = MissingPolicy::Complete;
  std::size_t impute_rank = 1;  ///< Rank K of the imputation's reconstruction.
  ScoreKind score = ScoreKind::Pc1;
  std::optional<std::size_t> anchor;  ///< Column that must load positively.
  std::size_t components = 1;         ///< Loading vectors to report (at least 1).
  std::vector<std::string> names;     ///< Column names for error messages; may be empty.
  /// The matrix of the columns over all rows, when the caller has it
  /// already (a refit that drops one column of a table without missing
  /// values). Used only under MissingPolicy::Complete when every row is
  /// complete; otherwise the matrix is computed.
  std::optional<Eigen::MatrixXd> known_matrix;
  /// The z-scores of the columns, when the caller has them already. Each
  /// column is standardized on its own, so dropping a column keeps the
  /// others' z-scores. The fit does not copy them, so the caller keeps
  /// them alive during the call.
  const Eigen::MatrixXd* known_z = nullptr;
  /// A column of known_z, and of the values passed with it, that the fit
  /// leaves out, so that a refit without one benchmark need not copy the
  /// other columns. Used only with known_matrix (of the other columns) under
  /// MissingPolicy::Complete when every row is complete.
  std::optional<std::size_t> skip_column;
  /// Threads that standardize the columns and compute the matrix.
  unsigned threads = 1;
};

/// Cells filled by MissingPolicy::Impute.
struct Imputation {
  std::vector<std::pair<std::size_t, std::size_t>> cells;  ///< (row, column) pairs.
  std::vector<double> values;  ///< Imputed z-scores, one per cell.
  std::size_t iterations = 0;
  bool converged = true;
};

/// The first principal component of the capability benchmarks.
struct CapabilitiesComponent {
  std::vector<std::size_t> models;  ///< Rows with a score, ascending.
  Eigen::VectorXd eigenvalues;      ///< Of the decomposed matrix, descending.
  Eigen::VectorXd loadings;         ///< Top eigenvector, oriented by the sign rule.
  Eigen::VectorXd scores;           ///< One per entry of `models`.
  Eigen::MatrixXd matrix;           ///< The matrix that was decomposed.
  double explained_variance = 0.0;  ///< Top eigenvalue over the sum of eigenvalues.
  /// The first `components` eigenvectors as columns, each oriented by the
  /// sign rule (the first equals `loadings`).
  Eigen::MatrixXd components;
  std::optional<Imputation> imputation;  ///< Set for MissingPolicy::Impute.
  bool repaired = false;           ///< A pairwise matrix was not PSD and was repaired.
  bool anchor_disagrees = false;   ///< The anchor flipped the default sign.
  /// The z-scores of the columns over all rows, NaN where a value is
  /// missing. Empty when the caller passed known_z.
  Eigen::MatrixXd z;
  /// The sorted order of each column over all rows, kept when a Spearman
  /// matrix was computed from every row. Empty otherwise.
  std::vector<std::optional<SortedVariable>> orderings;
};

/// Fits the capabilities component to `capabilities` (rows = models, columns
/// = capability benchmarks, NaN = missing; no constant columns):
/// 1. z-score each column over the models that have a value;
/// 2. over the models that have every value, build the `matrix_method`
///    correlation matrix and take the eigenvector of its largest eigenvalue;
/// 3. orient it so the largest-magnitude loading is positive. When loadings
///    of equal magnitude (within 1e-12 relative) have opposite signs, the
///    sum of loadings is made positive instead, or the first loading when
///    that sum is 0;
/// 4. score each complete model as its z-scores dotted with the loadings.
/// Needs at least 2 columns and 3 complete rows; the caller checks that.
CapabilitiesComponent fit_capabilities_component(const Eigen::MatrixXd& capabilities,
                                                 Method matrix_method);

/// Fits the capabilities component with the variants of ComponentOptions:
/// - Impute: z-score each column over its observed values, set missing cells
///   to 0, then repeat at most 1000 times: subtract the column means M of the
///   filled matrix, take its SVD, and copy the rank-K reconstruction plus M
///   into the missing cells only; stop when no imputed cell changed by more
///   than 1e-10. The matrix of `matrix` kind is then built from the completed
///   z-scores over all models, and every model is scored.
/// - Pairwise: each correlation uses the models that have both columns; a
///   matrix that is not positive semi-definite gets its negative eigenvalues
///   set to 0 (the nearest PSD matrix in the Frobenius norm) and `repaired`
///   set. A model is scored from the values it has, by least squares on the
///   loadings: sum(z_k v_k) / sum(v_k^2) over its present columns, which is
///   the usual score when no value is missing.
/// - Covariance: the covariance matrix (n - 1 denominator) of the z-scores.
/// - MeanZ: the score is the mean of a model's z-scores; loadings and
///   eigenvalues are still those of the first component.
/// - anchor: after the sign rule, the component is flipped if needed so the
///   anchor column loads positively; `anchor_disagrees` records a flip.
CapabilitiesComponent fit_capabilities_component(const Eigen::MatrixXd& capabilities,
                                                 const ComponentOptions& options);

/// Maps a correlation method to the matrix of the same kind.
PcaMatrix pca_matrix_for(Method method);

std::string_view pca_matrix_name(PcaMatrix matrix);
std::string_view missing_policy_name(MissingPolicy policy);
std::string_view score_kind_name(ScoreKind kind);

/// Parsers of option values; each throws UsageError for an unknown name.
PcaMatrix parse_pca_matrix(std::string_view name);
MissingPolicy parse_missing_policy(std::string_view name);
ScoreKind parse_score_kind(std::string_view name);

/// Applies the sign rule of fit_capabilities_component to `vector`.
void orient_loadings(Eigen::VectorXd& vector);

}  // namespace safetywash
