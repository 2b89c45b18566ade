// SPDX-License-Identifier: MIT
// The capabilities component: standardization, eigendecomposition, scores.
#include "safetywash/pca.h"

#include <cmath>
#include <limits>

namespace safetywash {

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

Eigen::MatrixXd standardize_columns(const Eigen::MatrixXd& values) {
  Eigen::MatrixXd z = values;
  for (Eigen::Index j = 0; j < values.cols(); ++j) {
    double sum = 0.0;
    Eigen::Index count = 0;
    for (double v : values.col(j)) {
      if (!std::isnan(v)) sum += v, ++count;
    }
    if (count == 0) continue;
    double mean = sum / static_cast<double>(count);
    double squares = 0.0;
    for (double v : values.col(j)) {
      if (!std::isnan(v)) squares += (v - mean) * (v - mean);
    }
    double sd = std::sqrt(squares / static_cast<double>(count));
    for (Eigen::Index i = 0; i < values.rows(); ++i) {
      if (!std::isnan(values(i, j))) z(i, j) = (values(i, j) - mean) / sd;
    }
  }
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
    double sum = vector.sum();
    if (sum != 0.0) {
      sign = sum < 0 ? -1.0 : 1.0;
    } else {
      sign = vector(0) < 0 ? -1.0 : 1.0;
    }
  }
  vector *= sign;
}

CapabilitiesComponent fit_capabilities_component(const Eigen::MatrixXd& capabilities,
                                                 Method matrix_method) {
  CapabilitiesComponent component;
  Eigen::MatrixXd z = standardize_columns(capabilities);

  // Complete cases: models with every capability value.
  for (Eigen::Index i = 0; i < capabilities.rows(); ++i) {
    if (!capabilities.row(i).hasNaN()) component.models.push_back(static_cast<std::size_t>(i));
  }
  auto n = static_cast<Eigen::Index>(component.models.size());
  Eigen::MatrixXd complete(n, capabilities.cols());
  Eigen::MatrixXd complete_z(n, capabilities.cols());
  for (Eigen::Index r = 0; r < n; ++r) {
    auto row = static_cast<Eigen::Index>(component.models[static_cast<std::size_t>(r)]);
    complete.row(r) = capabilities.row(row);
    complete_z.row(r) = z.row(row);
  }

  // Eigen returns eigenvalues in ascending order; the last pair is the top one.
  component.matrix = correlation_matrix(matrix_method, complete);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(component.matrix);
  Eigen::Index k = component.matrix.rows();
  component.eigenvalues = solver.eigenvalues().reverse();
  component.loadings = solver.eigenvectors().col(k - 1);
  orient_loadings(component.loadings);
  component.explained_variance = component.eigenvalues(0) / component.eigenvalues.sum();
  component.scores = complete_z * component.loadings;
  return component;
}

}  // namespace safetywash
