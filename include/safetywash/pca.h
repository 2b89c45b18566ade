// SPDX-License-Identifier: MIT
// The capabilities component: standardization, eigendecomposition, scores.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "safetywash/correlation.h"

namespace safetywash {

/// z-scores every column over its present (non-NaN) cells with the
/// population standard deviation (divide by n). NaN cells stay NaN. A column
/// whose present values are all equal has no z-scores; the caller must skip
/// such columns beforehand (see is_constant_column).
Eigen::MatrixXd standardize_columns(const Eigen::MatrixXd& values);

/// True when the present cells of `column` all hold the same value, compared
/// exactly (so a rounding-level spread after centring does not count as
/// variation), or when no cell is present.
bool is_constant_column(const Eigen::VectorXd& column);

/// The first principal component of the capability benchmarks.
struct CapabilitiesComponent {
  std::vector<std::size_t> models;  ///< Rows used: those with every capability value.
  Eigen::VectorXd eigenvalues;      ///< Of the correlation matrix, descending.
  Eigen::VectorXd loadings;         ///< Top eigenvector, oriented by the sign rule.
  Eigen::VectorXd scores;           ///< One per entry of `models`.
  Eigen::MatrixXd matrix;           ///< The correlation matrix that was decomposed.
  double explained_variance = 0.0;  ///< Top eigenvalue over the sum of eigenvalues.
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

/// Applies the sign rule of fit_capabilities_component to `vector`.
void orient_loadings(Eigen::VectorXd& vector);

}  // namespace safetywash
