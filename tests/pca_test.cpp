// SPDX-License-Identifier: MIT
// Tests of standardization, the sign rule and the capabilities component.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "safetywash/pca.h"
#include "safetywash/table.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::WithinAbs;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Eigen::VectorXd vector_of(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v(i++) = x;
  return v;
}

Eigen::MatrixXd fixture_capabilities(const std::string& fixture, const std::string& method) {
  Warnings warnings;
  ScoreTable table = parse_table(test::read_data(fixture + ".csv"), fixture, {}, warnings);
  auto names = test::read_json(fixture + "." + method + ".json")["capabilities"]
                   .get<std::vector<std::string>>();
  Eigen::MatrixXd m(table.scores.rows(), static_cast<Eigen::Index>(names.size()));
  for (std::size_t k = 0; k < names.size(); ++k) {
    m.col(static_cast<Eigen::Index>(k)) =
        table.scores.col(static_cast<Eigen::Index>(*table.find_benchmark(names[k])));
  }
  return m;
}

}  // namespace

TEST_CASE("z-scores use the population SD", "[pca]") {
  Eigen::MatrixXd values(4, 1);
  values << 1, 2, kNaN, 3;
  Eigen::MatrixXd z = standardize_columns(values);
  // Mean 2, population SD sqrt(2/3) over the three present values.
  double sd = std::sqrt(2.0 / 3.0);
  CHECK_THAT(z(0, 0), WithinAbs(-1 / sd, 1e-15));
  CHECK(z(1, 0) == 0.0);
  CHECK(std::isnan(z(2, 0)));
  CHECK_THAT(z(3, 0), WithinAbs(1 / sd, 1e-15));
}

TEST_CASE("constant columns are detected exactly", "[pca]") {
  CHECK(is_constant_column(vector_of({61.3, 61.3, kNaN, 61.3})));
  CHECK(is_constant_column(vector_of({kNaN, kNaN})));
  CHECK_FALSE(is_constant_column(vector_of({1e-300, 2e-300, 1e-300})));
  CHECK_FALSE(is_constant_column(vector_of({0.42, 0.42, 0.4200000000000001})));
}

TEST_CASE("sign rule makes largest loading positive", "[pca]") {
  Eigen::VectorXd v = vector_of({0.3, -0.8, 0.5});
  orient_loadings(v);
  CHECK(v(1) == 0.8);
  CHECK(v(0) == -0.3);
}

TEST_CASE("sign rule breaks ties by the sum", "[pca]") {
  SECTION("sum decides") {
    Eigen::VectorXd v = vector_of({-0.6, 0.6, -0.4});
    orient_loadings(v);
    CHECK(v(0) == 0.6);
    CHECK(v(2) == 0.4);
  }
  SECTION("zero sum makes the first loading positive") {
    Eigen::VectorXd v = vector_of({-0.5, 0.5, 0.5, -0.5});
    orient_loadings(v);
    CHECK(v(0) == 0.5);
  }
  SECTION("near-equal magnitudes count as a tie") {
    Eigen::VectorXd v = vector_of({0.6, -0.6 * (1 + 1e-14), -0.3});
    orient_loadings(v);
    CHECK(v(2) == 0.3);
  }
}

TEST_CASE("component is invariant to row order", "[pca]") {
  Eigen::MatrixXd caps = fixture_capabilities("general_30", "spearman");
  CapabilitiesComponent a = fit_capabilities_component(caps, Method::Spearman);
  Eigen::MatrixXd reversed = caps.colwise().reverse();
  CapabilitiesComponent b = fit_capabilities_component(reversed, Method::Spearman);
  REQUIRE(a.loadings.size() == b.loadings.size());
  for (Eigen::Index k = 0; k < a.loadings.size(); ++k) {
    CHECK_THAT(a.loadings(k), WithinAbs(b.loadings(k), 1e-12));
  }
  CHECK_THAT(a.scores(0), WithinAbs(b.scores(b.scores.size() - 1), 1e-12));
}

TEST_CASE("component is invariant to column scale", "[pca]") {
  Eigen::MatrixXd caps = fixture_capabilities("general_30", "pearson");
  CapabilitiesComponent a = fit_capabilities_component(caps, Method::Pearson);
  Eigen::MatrixXd scaled = caps;
  scaled.col(0) = scaled.col(0) * 100.0 + Eigen::VectorXd::Constant(caps.rows(), 7.0);
  CapabilitiesComponent b = fit_capabilities_component(scaled, Method::Pearson);
  for (Eigen::Index i = 0; i < a.scores.size(); ++i) {
    CHECK_THAT(a.scores(i), WithinAbs(b.scores(i), 1e-9));
  }
}

TEST_CASE("negative loading survives orientation", "[pca]") {
  // sign_rule.csv has one capability benchmark that runs against the others.
  Eigen::MatrixXd caps = fixture_capabilities("sign_rule", "spearman");
  CapabilitiesComponent c = fit_capabilities_component(caps, Method::Spearman);
  Eigen::Index top = 0;
  c.loadings.cwiseAbs().maxCoeff(&top);
  CHECK(c.loadings(top) > 0);
  CHECK(c.loadings.minCoeff() < 0);
  CHECK_THAT(c.explained_variance, WithinAbs(c.eigenvalues(0) / c.eigenvalues.sum(), 1e-15));
}

TEST_CASE("incomplete rows get no score", "[pca]") {
  Eigen::MatrixXd caps(5, 2);
  caps << 1, 2, 2, kNaN, 3, 3, 4, 5, 5, 4;
  CapabilitiesComponent c = fit_capabilities_component(caps, Method::Spearman);
  CHECK(c.models == std::vector<std::size_t>{0, 2, 3, 4});
  CHECK(c.scores.size() == 4);
}

}  // namespace safetywash
