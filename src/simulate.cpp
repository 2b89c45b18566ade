// SPDX-License-Identifier: MIT
// Synthetic score tables with known true correlations, for checking the method.
#include "safetywash/simulate.h"

#include <Eigen/Dense>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numbers>

#include "safetywash/error.h"
#include "safetywash/pca.h"
#include "safetywash/random.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr Method kMethods[] = {Method::Spearman, Method::Pearson, Method::Kendall};

void check_spec(const SimulationSpec& spec) {
  if (spec.models < 3) throw UsageError("--models must be at least 3");
  if (spec.loadings.size() < 2) throw UsageError("at least 2 capability loadings are needed");
  auto inside = [](double v) { return v > -1 && v < 1; };
  for (double v : spec.loadings) {
    if (!inside(v) || v == 0) {
      throw UsageError(fmt::format("loading {} is outside (-1, 1) or 0", v));
    }
  }
  for (double v : spec.safety) {
    if (!inside(v)) throw UsageError(fmt::format("safety correlation {} is outside (-1, 1)", v));
  }
  if (!inside(spec.compute_correlation)) {
    throw UsageError(fmt::format("compute correlation {} is outside (-1, 1)",
                                 spec.compute_correlation));
  }
  if (!(spec.missing >= 0 && spec.missing < 1)) {
    throw UsageError(fmt::format("--missing {} is outside [0, 1)", spec.missing));
  }
}

// Correlation between the latent capability and the population score of
// `method`: the score is the z-scores dotted with the top eigenvector of the
// population `method` correlation matrix of the capability benchmarks.
double score_latent_correlation(Method method, const std::vector<double>& loadings) {
  auto k = static_cast<Eigen::Index>(loadings.size());
  Eigen::VectorXd lambda(k);
  for (Eigen::Index i = 0; i < k; ++i) lambda(i) = loadings[static_cast<std::size_t>(i)];
  Eigen::MatrixXd pearson = lambda * lambda.transpose();
  pearson.diagonal().setOnes();
  Eigen::MatrixXd matrix = pearson.unaryExpr([&](double r) {
    return r >= 1 ? 1.0 : normal_correlation_as(method, r);
  });
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(matrix);
  Eigen::VectorXd v = solver.eigenvectors().col(k - 1);
  orient_loadings(v);
  return v.dot(lambda) / std::sqrt(v.dot(pearson * v));
}

}  // namespace

double normal_correlation_as(Method method, double pearson_r) {
  switch (method) {
    case Method::Pearson: return pearson_r;
    case Method::Spearman: return 6 / std::numbers::pi * std::asin(pearson_r / 2);
    case Method::Kendall: return 2 / std::numbers::pi * std::asin(pearson_r);
  }
  return pearson_r;
}

SimulatedTable simulate_table(const SimulationSpec& spec) {
  check_spec(spec);
  SimulatedTable table;
  for (std::size_t k = 0; k < spec.loadings.size(); ++k) {
    table.capabilities.push_back(fmt::format("cap_{}", k + 1));
  }
  for (std::size_t j = 0; j < spec.safety.size(); ++j) {
    table.safety.push_back(fmt::format("safety_{}", j + 1));
  }

  SplitMix64 rng(spec.seed);
  auto mix = [&](double rho, double latent) {
    return rho * latent + std::sqrt(1 - rho * rho) * rng.normal();
  };
  auto maybe_missing = [&](double v) { return rng.uniform() < spec.missing ? kNaN : v; };
  for (std::size_t i = 0; i < spec.models; ++i) {
    table.models.push_back(fmt::format("sim-{:03}", i + 1));
    double latent = rng.normal();
    std::vector<double> row;
    for (double lambda : spec.loadings) row.push_back(maybe_missing(mix(lambda, latent)));
    for (double rho : spec.safety) row.push_back(maybe_missing(mix(rho, latent)));
    table.values.push_back(std::move(row));
    table.flop.push_back(maybe_missing(std::pow(10.0, 23 + 1.5 * mix(spec.compute_correlation,
                                                                      latent))));
  }

  for (Method method : kMethods) {
    double attenuation = score_latent_correlation(method, spec.loadings);
    std::vector<double> capabilities, compute;
    for (double rho : spec.safety) {
      capabilities.push_back(normal_correlation_as(method, rho * attenuation));
      compute.push_back(normal_correlation_as(method, rho * spec.compute_correlation));
    }
    table.true_capabilities_correlation.push_back(capabilities);
    table.true_compute_correlation.push_back(compute);
  }
  return table;
}

std::string simulated_csv(const SimulatedTable& table) {
  std::string out = "model";
  for (const std::string& name : table.capabilities) out += "," + name;
  for (const std::string& name : table.safety) out += "," + name;
  out += ",training_flop\n";
  auto cell = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); };
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    out += table.models[i];
    for (double v : table.values[i]) out += "," + cell(v);
    out += "," + cell(table.flop[i]) + "\n";
  }
  return out;
}

}  // namespace safetywash
