// SPDX-License-Identifier: MIT
// Synthetic score tables with known true correlations, for checking the method.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "safetywash/correlation.h"

namespace safetywash {

/// Parameters of a simulated table. Every model has a latent capability c
/// drawn from N(0, 1). Capability benchmark k is lambda_k c + sqrt(1 -
/// lambda_k^2) e_k, safety benchmark j is rho_j c + sqrt(1 - rho_j^2) e_j,
/// and log10 training FLOP is 23 + 1.5 (rho_c c + sqrt(1 - rho_c^2) e), with
/// independent N(0, 1) noise e.
struct SimulationSpec {
  std::size_t models = 28;
  std::vector<double> loadings = {0.95, 0.9, 0.9, 0.85, 0.8, 0.75};  ///< lambda, one per capability benchmark.
  std::vector<double> safety = {0.7, 0.4, 0.0, -0.4};  ///< rho, one per safety benchmark.
  double compute_correlation = 0.9;  ///< rho_c.
  double missing = 0.0;  ///< Share of benchmark and compute cells left empty, at random.
  std::uint64_t seed = 1;
};

/// A simulated table and the population values of what analyze estimates.
struct SimulatedTable {
  std::vector<std::string> models;
  std::vector<std::string> capabilities;  ///< Column names of capability benchmarks.
  std::vector<std::string> safety;        ///< Column names of safety benchmarks.
  std::vector<std::vector<double>> values;  ///< Per model: capabilities, safety; NaN = missing.
  std::vector<double> flop;                 ///< Per model; NaN = missing.
  /// Population capabilities correlation of each safety benchmark under each
  /// method (indexed by Method): the correlation with the score computed
  /// from the population correlation matrix of the capability benchmarks.
  std::vector<std::vector<double>> true_capabilities_correlation;
  /// Population compute correlation of each safety benchmark, by method.
  std::vector<std::vector<double>> true_compute_correlation;
};

/// Draws a table. Throws UsageError for loadings or correlations outside
/// (-1, 1), fewer than 2 capability benchmarks, fewer than 3 models, or a
/// missing share outside [0, 1).
SimulatedTable simulate_table(const SimulationSpec& spec);

/// The population correlation of a bivariate normal pair with Pearson r,
/// expressed as Spearman's rho (6/pi asin(r/2)) or Kendall's tau
/// (2/pi asin(r)).
double normal_correlation_as(Method method, double pearson_r);

/// The table as CSV: model, capability columns, safety columns, training_flop.
std::string simulated_csv(const SimulatedTable& table);

}  // namespace safetywash
