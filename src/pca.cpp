// SPDX-License-Identifier: MIT
// The capabilities component: standardization, eigendecomposition, scores.
#include "safetywash/pca.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "parallel.h"
#include "safetywash/error.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxImputeIterations = 1000;
constexpr double kImputeTolerance = 1e-10;

Eigen::MatrixXd take_rows(const Eigen::MatrixXd& m, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), m.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.row(static_cast<Eigen::Index>(r)) = m.row(static_cast<Eigen::Index>(rows[r]));
  }
  return out;
}

Method method_for(PcaMatrix matrix) {
  switch (matrix) {
    case PcaMatrix::Pearson: return Method::Pearson;
    case PcaMatrix::Kendall: return Method::Kendall;
    default: return Method::Spearman;
  }
}

// Sample covariance (n - 1 denominator) of the columns of a complete matrix.
Eigen::MatrixXd covariance_matrix(const Eigen::MatrixXd& data) {
  Eigen::MatrixXd centered = data.rowwise() - data.colwise().mean();
  return centered.transpose() * centered / static_cast<double>(data.rows() - 1);
}

// Each entry over the rows where both columns are present.
Eigen::MatrixXd pairwise_matrix(PcaMatrix kind, const Eigen::MatrixXd& data,
                                const std::vector<std::string>& names) {
  Eigen::Index k = data.cols();
  Eigen::MatrixXd matrix = Eigen::MatrixXd::Identity(k, k);
  for (Eigen::Index a = 0; a < k; ++a) {
    for (Eigen::Index b = a; b < k; ++b) {
      if (a == b && kind != PcaMatrix::Covariance) continue;
      std::vector<double> x, y;
      for (Eigen::Index i = 0; i < data.rows(); ++i) {
        if (std::isnan(data(i, a)) || std::isnan(data(i, b))) continue;
        x.push_back(data(i, a));
        y.push_back(data(i, b));
      }
      double value = kNaN;
      if (x.size() >= 3) {
        if (kind == PcaMatrix::Covariance) {
          Eigen::Map<Eigen::VectorXd> vx(x.data(), static_cast<Eigen::Index>(x.size()));
          Eigen::Map<Eigen::VectorXd> vy(y.data(), static_cast<Eigen::Index>(y.size()));
          value = (vx.array() - vx.mean()).matrix().dot((vy.array() - vy.mean()).matrix()) /
                  static_cast<double>(x.size() - 1);
        } else {
          value = correlation(method_for(kind), x, y);
        }
      }
      if (std::isnan(value)) {
        auto name = [&](Eigen::Index c) {
          return static_cast<std::size_t>(c) < names.size()
                     ? fmt::format("'{}'", names[static_cast<std::size_t>(c)])
                     : fmt::format("{}", c + 1);
        };
        throw InputError(fmt::format(
            "capability benchmarks {} and {} share {} model(s) with values, too few or too "
            "constant for a pairwise correlation; drop one of them from --capabilities or use "
            "--missing impute",
            name(a), name(b), x.size()));
      }
      matrix(a, b) = matrix(b, a) = value;
    }
  }
  return matrix;
}

// Sets negative eigenvalues to 0, which gives the nearest positive
// semi-definite matrix in the Frobenius norm. Returns true when it changed
// the matrix.
bool repair_to_psd(Eigen::MatrixXd& matrix) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(matrix);
  double scale = std::max(1.0, solver.eigenvalues().cwiseAbs().maxCoeff());
  if (solver.eigenvalues().minCoeff() >= -1e-12 * scale) return false;
  Eigen::VectorXd clipped = solver.eigenvalues().cwiseMax(0.0);
  matrix = solver.eigenvectors() * clipped.asDiagonal() * solver.eigenvectors().transpose();
  return true;
}

// Iterative low-rank PCA imputation of the NaN cells of z-scores.
Eigen::MatrixXd impute_low_rank(const Eigen::MatrixXd& z, std::size_t rank, Imputation& report) {
  Eigen::MatrixXd filled = z;
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      if (!std::isnan(z(i, j))) continue;
      report.cells.emplace_back(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
      filled(i, j) = 0.0;
    }
  }
  report.converged = true;
  report.iterations = 0;
  if (report.cells.empty()) return filled;

  auto k = static_cast<Eigen::Index>(
      std::min<std::size_t>(rank, static_cast<std::size_t>(std::min(z.rows(), z.cols()))));
  report.converged = false;
  for (std::size_t iteration = 1; iteration <= kMaxImputeIterations; ++iteration) {
    Eigen::RowVectorXd means = filled.colwise().mean();
    Eigen::MatrixXd centered = filled.rowwise() - means;
    Eigen::BDCSVD<Eigen::MatrixXd> svd(centered, Eigen::ComputeThinU | Eigen::ComputeThinV);
    Eigen::MatrixXd reconstruction =
        svd.matrixU().leftCols(k) * svd.singularValues().head(k).asDiagonal() *
            svd.matrixV().leftCols(k).transpose();
    reconstruction.rowwise() += means;
    double change = 0.0;
    for (const auto& [row, column] : report.cells) {
      auto i = static_cast<Eigen::Index>(row), j = static_cast<Eigen::Index>(column);
      change = std::max(change, std::abs(reconstruction(i, j) - filled(i, j)));
      filled(i, j) = reconstruction(i, j);
    }
    report.iterations = iteration;
    if (change <= kImputeTolerance) {
      report.converged = true;
      break;
    }
  }
  for (const auto& [row, column] : report.cells) {
    report.values.push_back(filled(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)));
  }
  return filled;
}

// Scores every row of z (NaN = absent) from the loadings of its columns,
// leaving out column `skip` of z when given (loadings then has one entry
// fewer).
Eigen::VectorXd score_rows(const Eigen::MatrixXd& z, const Eigen::VectorXd& loadings,
                           ScoreKind kind, std::optional<Eigen::Index> skip = std::nullopt) {
  // Blocks of rows, column by column within a block, as the matrix is
  // stored. The block's running sums stay in cache, and each row still sums
  // its columns in order. A NaN entry adds 0.0 (or -0.0), which leaves a
  // sum as it was, instead of a branch that defeats vectorization.
  constexpr Eigen::Index kBlock = 256;
  Eigen::Index rows = z.rows();
  Eigen::VectorXd scores(rows);
  std::array<double, kBlock> total{};
  std::array<Eigen::Index, kBlock> present{};
  auto column_of = [&](Eigen::Index used) { return skip && used >= *skip ? used + 1 : used; };
  for (Eigen::Index start = 0; start < rows; start += kBlock) {
    Eigen::Index size = std::min(kBlock, rows - start);
    total.fill(0.0), present.fill(0);
    // Sums of the z-scores for their mean, or of loading times z-score.
    for (Eigen::Index used = 0; used < loadings.size(); ++used) {
      double weight = kind == ScoreKind::MeanZ ? 1.0 : loadings(used);
      const double* column = z.col(column_of(used)).data() + start;
      for (Eigen::Index i = 0; i < size; ++i) {
        double v = column[i];
        bool observed = !std::isnan(v);
        auto b = static_cast<std::size_t>(i);
        total[b] += observed ? v * weight : 0.0;
        present[b] += observed ? 1 : 0;
      }
    }
    for (Eigen::Index i = 0; i < size; ++i) {
      auto b = static_cast<std::size_t>(i);
      if (kind == ScoreKind::MeanZ) {
        scores(start + i) = present[b] > 0 ? total[b] / static_cast<double>(present[b]) : kNaN;
      } else if (present[b] == loadings.size()) {
        scores(start + i) = total[b];  // the loadings have unit norm
      } else {
        // A row with absent values, which is rare: the weighted sum over
        // the loadings of its present values.
        double weights = 0.0;
        for (Eigen::Index used = 0; used < loadings.size(); ++used) {
          if (!std::isnan(z(start + i, column_of(used)))) weights += loadings(used) * loadings(used);
        }
        scores(start + i) = weights > 0 ? total[b] / weights : kNaN;
      }
    }
  }
  return scores;
}

}  // namespace

bool is_constant_column(const Eigen::VectorXd& column) {
  bool seen = false;
  double first = 0.0;
  for (double v : column) {
    if (std::isnan(v)) continue;
    if (!seen) {
      first = v;
      seen = true;
    } else if (v != first) {
      return false;
    }
  }
  return true;
}

Eigen::MatrixXd standardize_columns(const Eigen::MatrixXd& values, unsigned threads) {
  Eigen::MatrixXd z = values;
  for_each_index(static_cast<std::size_t>(values.cols()), threads, [&](std::size_t column) {
    auto j = static_cast<Eigen::Index>(column);
    // The mean is summed from values divided by their largest magnitude, and
    // deviations are taken from halved values (an exact operation) and
    // divided by the largest deviation before squaring. z-scores do not
    // change under this scaling, and no step overflows near 1e308 or
    // underflows near 1e-308, while the usual two-pass accuracy is kept.
    double scale = 0.0;
    Eigen::Index count = 0;
    for (double v : values.col(j)) {
      if (!std::isnan(v)) scale = std::max(scale, std::abs(v)), ++count;
    }
    if (count == 0) return;
    if (scale == 0.0) scale = 1.0;
    double sum = 0.0;
    for (double v : values.col(j)) {
      if (!std::isnan(v)) sum += v / scale;
    }
    double half_mean = sum / static_cast<double>(count) * scale / 2;
    double spread = 0.0;
    for (double v : values.col(j)) {
      if (!std::isnan(v)) spread = std::max(spread, std::abs(v / 2 - half_mean));
    }
    if (spread == 0.0) spread = 1.0;
    double squares = 0.0;
    for (double v : values.col(j)) {
      if (std::isnan(v)) continue;
      double d = (v / 2 - half_mean) / spread;
      squares += d * d;
    }
    double sd = std::sqrt(squares / static_cast<double>(count));
    for (Eigen::Index i = 0; i < values.rows(); ++i) {
      double v = values(i, j);
      if (!std::isnan(v)) z(i, j) = (v / 2 - half_mean) / spread / sd;
    }
  });
  return z;
}

void orient_loadings(Eigen::VectorXd& vector) {
  Eigen::Index top = 0;
  vector.cwiseAbs().maxCoeff(&top);
  double magnitude = std::abs(vector(top));
  bool has_positive = false, has_negative = false;
  for (double v : vector) {
    if (std::abs(std::abs(v) - magnitude) > 1e-12 * magnitude) continue;
    if (v > 0) has_positive = true;
    if (v < 0) has_negative = true;
  }
  double sign = vector(top) < 0 ? -1.0 : 1.0;
  if (has_positive && has_negative) {
    // A sum within rounding of 0 (such as 1/sqrt(2) - 1/sqrt(2) computed
    // from two eigenvector entries) counts as 0.
    double sum = vector.sum();
    if (std::abs(sum) > 1e-12 * vector.cwiseAbs().sum()) {
      sign = sum < 0 ? -1.0 : 1.0;
    } else {
      sign = vector(0) < 0 ? -1.0 : 1.0;
    }
  }
  vector *= sign;
}

CapabilitiesComponent fit_capabilities_component(const Eigen::MatrixXd& capabilities,
                                                 Method matrix_method) {
  ComponentOptions options;
  options.matrix = pca_matrix_for(matrix_method);
  return fit_capabilities_component(capabilities, options);
}

CapabilitiesComponent fit_capabilities_component(const Eigen::MatrixXd& capabilities,
                                                 const ComponentOptions& options) {
  CapabilitiesComponent component;
  Eigen::MatrixXd own_z;
  if (!options.known_z) own_z = standardize_columns(capabilities, options.threads);
  const Eigen::MatrixXd& z = options.known_z ? *options.known_z : own_z;

  // Rows to score and the z-scores they are scored from; NaN stays only
  // under the pairwise policy.
  Eigen::MatrixXd scored_z;
  const Eigen::MatrixXd* scored = &scored_z;
  switch (options.missing) {
    case MissingPolicy::Complete: {
      std::vector<std::uint8_t> complete(static_cast<std::size_t>(capabilities.rows()), 1);
      // A fit that leaves out a column of known z-scores is given complete rows.
      for (Eigen::Index j = 0; !options.skip_column && j < capabilities.cols(); ++j) {
        for (Eigen::Index i = 0; i < capabilities.rows(); ++i) {
          if (std::isnan(capabilities(i, j))) complete[static_cast<std::size_t>(i)] = 0;
        }
      }
      for (std::size_t i = 0; i < complete.size(); ++i) {
        if (complete[i]) component.models.push_back(i);
      }
      bool all_rows = component.models.size() == static_cast<std::size_t>(capabilities.rows());
      // Without dropped rows the z-scores are scored as they are, uncopied.
      if (!all_rows) scored_z = take_rows(z, component.models);
      scored = all_rows ? &z : &scored_z;
      if (options.known_matrix && all_rows) {
        component.matrix = *options.known_matrix;
      } else if (options.skip_column) {
        throw std::logic_error("skip_column needs a known matrix and complete rows");
      } else if (options.matrix == PcaMatrix::Covariance) {
        component.matrix = covariance_matrix(*scored);
      } else if (all_rows) {
        component.matrix = correlation_matrix(method_for(options.matrix), capabilities,
                                              options.threads, &component.orderings);
      } else {
        component.matrix = correlation_matrix(method_for(options.matrix),
                                              take_rows(capabilities, component.models),
                                              options.threads);
      }
      break;
    }
    case MissingPolicy::Impute: {
      Imputation imputation;
      scored_z = impute_low_rank(z, options.impute_rank, imputation);
      component.imputation = imputation;
      for (Eigen::Index i = 0; i < z.rows(); ++i) component.models.push_back(static_cast<std::size_t>(i));
      component.matrix = options.matrix == PcaMatrix::Covariance
                             ? covariance_matrix(scored_z)
                             : correlation_matrix(method_for(options.matrix), scored_z);
      break;
    }
    case MissingPolicy::Pairwise: {
      for (Eigen::Index i = 0; i < z.rows(); ++i) {
        if (!z.row(i).array().isNaN().all()) component.models.push_back(static_cast<std::size_t>(i));
      }
      scored_z = take_rows(z, component.models);
      Eigen::MatrixXd source = options.matrix == PcaMatrix::Covariance ? z : capabilities;
      component.matrix = pairwise_matrix(options.matrix, source, options.names);
      component.repaired = repair_to_psd(component.matrix);
      break;
    }
  }

  // Eigen returns eigenvalues in ascending order; the last pair is the top one.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(component.matrix);
  Eigen::Index k = component.matrix.rows();
  component.eigenvalues = solver.eigenvalues().reverse();
  component.loadings = solver.eigenvectors().col(k - 1);
  orient_loadings(component.loadings);
  if (options.anchor && component.loadings(static_cast<Eigen::Index>(*options.anchor)) < 0) {
    component.loadings = -component.loadings;
    component.anchor_disagrees = true;
  }
  // Rounding can leave eigenvalues of about -1e-16 where 0 is exact, which
  // would put the share above 1.
  component.explained_variance =
      std::min(1.0, component.eigenvalues(0) / component.eigenvalues.cwiseMax(0.0).sum());
  auto count = static_cast<Eigen::Index>(std::clamp<std::size_t>(options.components, 1,
                                                                 static_cast<std::size_t>(k)));
  component.components.resize(k, count);
  component.components.col(0) = component.loadings;
  for (Eigen::Index c = 1; c < count; ++c) {
    Eigen::VectorXd vector = solver.eigenvectors().col(k - 1 - c);
    orient_loadings(vector);
    component.components.col(c) = vector;
  }
  std::optional<Eigen::Index> skip;
  if (options.skip_column) skip = static_cast<Eigen::Index>(*options.skip_column);
  component.scores = score_rows(*scored, component.loadings, options.score, skip);
  component.z = std::move(own_z);
  return component;
}

PcaMatrix pca_matrix_for(Method method) {
  switch (method) {
    case Method::Spearman: return PcaMatrix::Spearman;
    case Method::Pearson: return PcaMatrix::Pearson;
    case Method::Kendall: return PcaMatrix::Kendall;
  }
  return PcaMatrix::Spearman;
}

std::string_view pca_matrix_name(PcaMatrix matrix) {
  switch (matrix) {
    case PcaMatrix::Spearman: return "spearman";
    case PcaMatrix::Pearson: return "pearson";
    case PcaMatrix::Kendall: return "kendall";
    case PcaMatrix::Covariance: return "covariance";
  }
  return "spearman";
}

std::string_view missing_policy_name(MissingPolicy policy) {
  switch (policy) {
    case MissingPolicy::Complete: return "complete";
    case MissingPolicy::Impute: return "impute";
    case MissingPolicy::Pairwise: return "pairwise";
  }
  return "complete";
}

std::string_view score_kind_name(ScoreKind kind) {
  return kind == ScoreKind::Pc1 ? "pc1" : "mean-z";
}

PcaMatrix parse_pca_matrix(std::string_view name) {
  if (name == "spearman") return PcaMatrix::Spearman;
  if (name == "pearson") return PcaMatrix::Pearson;
  if (name == "kendall") return PcaMatrix::Kendall;
  if (name == "covariance") return PcaMatrix::Covariance;
  throw UsageError(fmt::format(
      "unknown PCA matrix '{}'; use spearman, pearson, kendall or covariance", name));
}

MissingPolicy parse_missing_policy(std::string_view name) {
  if (name == "complete") return MissingPolicy::Complete;
  if (name == "impute") return MissingPolicy::Impute;
  if (name == "pairwise") return MissingPolicy::Pairwise;
  throw UsageError(
      fmt::format("unknown missing-value policy '{}'; use complete, impute or pairwise", name));
}

ScoreKind parse_score_kind(std::string_view name) {
  if (name == "pc1") return ScoreKind::Pc1;
  if (name == "mean-z") return ScoreKind::MeanZ;
  throw UsageError(fmt::format("unknown score '{}'; use pc1 or mean-z", name));
}

}  // namespace safetywash
