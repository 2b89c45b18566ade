// SPDX-License-Identifier: MIT
// Tests of ranks, coefficients, p-values and intervals against scipy references.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "safetywash/correlation.h"
#include "safetywash/error.h"
#include "test_support.h"

namespace safetywash {
namespace {

using nlohmann::json;

std::vector<double> doubles(const json& array) { return array.get<std::vector<double>>(); }

// Kendall's tau-b by counting every pair, as a check of the O(n log n) path.
double kendall_by_pairs(const std::vector<double>& x, const std::vector<double>& y) {
  double concordant = 0, discordant = 0, ties_x = 0, ties_y = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0) continue;
      if (dx == 0) {
        ties_x += 1;
      } else if (dy == 0) {
        ties_y += 1;
      } else if ((dx > 0) == (dy > 0)) {
        concordant += 1;
      } else {
        discordant += 1;
      }
    }
  }
  return (concordant - discordant) /
         std::sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y));
}

// Average ranks by counting, for every entry, the smaller and equal values.
std::vector<double> ranks_by_counting(const std::vector<double>& values) {
  std::vector<double> ranks;
  for (double v : values) {
    double smaller = 0, equal = 0;
    for (double w : values) {
      smaller += w < v ? 1 : 0;
      equal += w == v ? 1 : 0;
    }
    ranks.push_back(smaller + (equal + 1) / 2);
  }
  return ranks;
}

// Values that are hard to order: ties, doubles that round to one float,
// values beyond the float range, subnormals and both zeros, shuffled.
std::vector<double> hard_values(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const double specials[] = {0.0,
                             -0.0,
                             1.0,
                             1.0 + std::ldexp(1.0, -40),
                             1.0 - std::ldexp(1.0, -45),
                             1e300,
                             -1e300,
                             std::numeric_limits<double>::max(),
                             -std::numeric_limits<double>::max(),
                             5e-324,
                             -5e-324,
                             1e-320,
                             3.4028235677973366e38,
                             3.4028234663852886e38};
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0: values.push_back(specials[(i / 4) % std::size(specials)]); break;
      case 1: values.push_back(std::round(uniform(rng) * 20) / 4); break;  // many ties
      default: values.push_back(uniform(rng) * std::pow(10.0, static_cast<int>(i % 9) - 4));
    }
  }
  std::shuffle(values.begin(), values.end(), rng);
  return values;
}

}  // namespace

TEST_CASE("large inputs rank as by counting", "[correlation]") {
  // From 2,048 values on, ranking takes the radix path.
  for (std::size_t n : {100, 2047, 2048, 5000}) {
    INFO("n: " << n);
    std::vector<double> values = hard_values(n, n);
    CHECK(average_ranks(values) == ranks_by_counting(values));
  }
}

TEST_CASE("subset ranks equal ranking the subset", "[correlation]") {
  std::vector<double> values = hard_values(2500, 9);
  std::mt19937_64 rng(10);
  std::vector<std::uint8_t> keep(values.size());
  std::vector<double> subset;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i % 97 == 0) values[i] = std::numeric_limits<double>::quiet_NaN();
    keep[i] = rng() % 5 != 0 && !std::isnan(values[i]) ? 1 : 0;
    if (keep[i]) subset.push_back(values[i]);
  }
  SortedVariable sorted(values);
  std::vector<double> ranks(values.size(), -1.0);
  std::vector<std::int32_t> doubled(values.size(), -1);
  sorted.subset_ranks(keep, ranks);
  sorted.subset_doubled_ranks(keep, doubled);
  std::vector<double> expected = ranks_by_counting(subset);
  std::size_t next = 0, wrong = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (keep[i]) {
      wrong += ranks[i] == expected[next] && doubled[i] == 2 * expected[next] ? 0 : 1;
      ++next;
    } else {
      // Ranks are left as they were, and doubled ranks of present values
      // are 0.
      wrong += ranks[i] == -1.0 && doubled[i] == (std::isnan(values[i]) ? -1 : 0) ? 0 : 1;
    }
  }
  CHECK(wrong == 0);
}

TEST_CASE("spearman test from sums equals the test from ranks", "[correlation]") {
  for (std::size_t n : {11, 40, 3000}) {
    INFO("n: " << n);
    std::vector<double> x = hard_values(n, n + 1), y = hard_values(n, n + 2);
    for (std::size_t i = 0; i < n; i += 3) y[i] = x[i];  // some association
    std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
    std::int64_t ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < n; ++i) {
      auto a = static_cast<std::int64_t>(2 * rx[i]), b = static_cast<std::int64_t>(2 * ry[i]);
      ab += a * b, aa += a * a, bb += b * b;
    }
    std::optional<CorrelationTest> from_sums = test_spearman_sums(n, ab, aa, bb);
    CorrelationTest from_ranks = test_spearman_ranks(rx, ry);
    REQUIRE(from_sums);
    CHECK(from_sums->r == from_ranks.r);
    CHECK(from_sums->p == from_ranks.p);
    CHECK(from_sums->p_method == from_ranks.p_method);
  }
  // Exact p-values need the ranks; beyond the limit the sums could overflow.
  CHECK_FALSE(test_spearman_sums(10, 1, 1, 1));
  CHECK_FALSE(test_spearman_sums(kMaxRankSumPairs + 1, 1, 1, 1));
}

TEST_CASE("spearman matrix equals pairwise coefficients", "[correlation]") {
  Eigen::MatrixXd data(2500, 4);
  for (Eigen::Index j = 0; j < data.cols(); ++j) {
    std::vector<double> column = hard_values(2500, 20 + static_cast<std::uint64_t>(j));
    for (Eigen::Index i = 0; i < data.rows(); ++i) data(i, j) = column[static_cast<std::size_t>(i)];
  }
  data.col(3) = data.col(0) * 2.0;  // the same ranks as column 0
  Eigen::MatrixXd m = correlation_matrix(Method::Spearman, data);
  for (Eigen::Index a = 0; a < 4; ++a) {
    for (Eigen::Index b = 0; b < 4; ++b) {
      std::vector<double> x(data.col(a).data(), data.col(a).data() + data.rows());
      std::vector<double> y(data.col(b).data(), data.col(b).data() + data.rows());
      CHECK(m(a, b) == (a == b ? 1.0 : spearman(x, y)));
    }
  }
  CHECK(m(0, 3) == 1.0);
}

TEST_CASE("coefficients match scipy", "[correlation]") {
  json cases = test::read_json("correlation_cases.json");
  REQUIRE(cases.size() >= 10);
  for (const json& c : cases) {
    std::vector<double> x = doubles(c["x"]), y = doubles(c["y"]);
    INFO("case " << c["name"].get<std::string>());
    auto check = [](double actual, const json& expected) {
      if (expected.is_null()) {
        CHECK(std::isnan(actual));
      } else {
        CHECK_THAT(actual, Catch::Matchers::WithinAbs(expected.get<double>(), 1e-12));
      }
    };
    check(pearson(x, y), c["pearson"]["r"]);
    check(spearman(x, y), c["spearman"]["r"]);
    check(kendall_tau_b(x, y), c["kendall"]["r"]);
  }
}

TEST_CASE("average ranks match scipy", "[correlation]") {
  json cases = test::read_json("correlation_cases.json");
  for (const json& c : cases) {
    INFO("case " << c["name"].get<std::string>());
    CHECK(average_ranks(doubles(c["x"])) == doubles(c["ranks_x"]));
    CHECK(average_ranks(doubles(c["y"])) == doubles(c["ranks_y"]));
  }
}

TEST_CASE("p-values match scipy", "[correlation]") {
  json cases = test::read_json("correlation_cases.json");
  for (const json& c : cases) {
    std::vector<double> x = doubles(c["x"]), y = doubles(c["y"]);
    INFO("case " << c["name"].get<std::string>());
    auto check = [&](Method method, const json& expected, const char* key) {
      CorrelationTest t = test_correlation(method, x, y);
      if (expected[key].is_null()) {
        CHECK(std::isnan(t.p));
        return;
      }
      double want = expected[key].get<double>();
      CHECK(t.p >= 0);
      CHECK(t.p <= 1);
      CHECK_THAT(t.p, Catch::Matchers::WithinRel(want, 1e-9) ||
                          Catch::Matchers::WithinAbs(want, 1e-15));
    };
    check(Method::Pearson, c["pearson"], "p");
    check(Method::Kendall, c["kendall"], "p");
    check(Method::Spearman, c["spearman"], x.size() <= 10 ? "p_exact" : "p");
  }
}

TEST_CASE("spearman p is exact up to n = 10", "[correlation]") {
  std::vector<double> x = {1, 2, 3, 4}, y = {1, 3, 2, 4};
  CorrelationTest t = test_correlation(Method::Spearman, x, y);
  CHECK(t.p_method == PValueMethod::ExactPermutation);
  // rho = 0.8; 8 of the 24 orderings reach |rho| >= 0.8.
  CHECK_THAT(t.r, Catch::Matchers::WithinAbs(0.8, 1e-15));
  CHECK_THAT(t.p, Catch::Matchers::WithinAbs(1.0 / 3.0, 1e-15));
}

TEST_CASE("exact spearman p agrees with listing every ordering", "[correlation]") {
  // Values drawn from a few levels give many tie patterns on either side.
  std::mt19937_64 rng(20261204);
  for (int trial = 0; trial < 40; ++trial) {
    std::size_t n = 3 + static_cast<std::size_t>(trial % 6);
    std::uniform_int_distribution<int> level(0, 1 + trial % 5);
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = level(rng);
      y[i] = level(rng);
    }
    CorrelationTest t = test_correlation(Method::Spearman, x, y);
    if (std::isnan(t.r)) continue;
    INFO("trial " << trial << ", n = " << n);
    REQUIRE(t.p_method == PValueMethod::ExactPermutation);
    // Doubled average ranks are integers, so the centred cross products
    // compare exactly.
    std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
    auto centred = [&](const std::vector<std::size_t>& order) {
      long long sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        sum += std::llround(2 * rx[i]) * std::llround(2 * ry[order[i]]);
      }
      return std::llabs(sum - static_cast<long long>(n * (n + 1) * (n + 1)));
    };
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    long long observed = centred(order);
    double at_least = 0, total = 0;
    do {
      total += 1;
      if (centred(order) >= observed) at_least += 1;
    } while (std::next_permutation(order.begin(), order.end()));
    CHECK_THAT(t.p, Catch::Matchers::WithinRel(at_least / total, 1e-15));
  }
}

TEST_CASE("perfect correlation has finite p", "[correlation]") {
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<double> y = {9, 8, 7, 6, 5, 4, 3, 2, 1};
  SECTION("spearman exact p is 2 / 9!") {
    CorrelationTest t = test_correlation(Method::Spearman, x, y);
    CHECK(t.r == -1.0);
    CHECK_THAT(t.p, Catch::Matchers::WithinRel(2.0 / 362880.0, 1e-12));
  }
  SECTION("pearson p is 0") {
    CorrelationTest t = test_correlation(Method::Pearson, x, y);
    CHECK(t.r == -1.0);
    CHECK(t.p == 0.0);
  }
  SECTION("kendall exact p is 2 / 9!") {
    CorrelationTest t = test_correlation(Method::Kendall, x, y);
    CHECK(t.r == -1.0);
    CHECK_THAT(t.p, Catch::Matchers::WithinRel(2.0 / 362880.0, 1e-12));
  }
}

TEST_CASE("fewer than three pairs give NaN", "[correlation]") {
  std::vector<double> x = {1, 2}, y = {2, 1};
  for (Method method : {Method::Spearman, Method::Pearson, Method::Kendall}) {
    CorrelationTest t = test_correlation(method, x, y);
    CHECK(std::isnan(t.r));
    CHECK(std::isnan(t.p));
    CHECK(t.p_method == PValueMethod::None);
  }
}

TEST_CASE("constant variable gives NaN", "[correlation]") {
  // The mean of ten 0.42 values is not exactly 0.42 in double precision, so a
  // test on the spread after centring would see a tiny nonzero variance.
  std::vector<double> x(10, 0.42);
  std::vector<double> y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  for (Method method : {Method::Spearman, Method::Pearson, Method::Kendall}) {
    CorrelationTest t = test_correlation(method, x, y);
    CHECK(std::isnan(t.r));
    CHECK(std::isnan(t.p));
  }
}

TEST_CASE("pearson stays within [-1, 1]", "[correlation]") {
  std::vector<double> x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = 100 - 3.7 * x[i];
  double r = pearson(x, y);
  CHECK(r >= -1.0);
  CHECK_THAT(r, Catch::Matchers::WithinAbs(-1.0, 1e-12));
}

TEST_CASE("kendall matches pair counting", "[correlation]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> coarse(0, 6);
  for (int trial = 0; trial < 50; ++trial) {
    std::size_t n = 3 + static_cast<std::size_t>(trial) * 3;
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = coarse(rng);
      y[i] = coarse(rng) + 0.5 * x[i];
    }
    double expected = kendall_by_pairs(x, y);
    if (std::isnan(expected)) continue;
    INFO("trial " << trial);
    CHECK_THAT(kendall_tau_b(x, y), Catch::Matchers::WithinAbs(expected, 1e-12));
  }
}

TEST_CASE("fisher intervals match references", "[correlation]") {
  json cases = test::read_json("intervals.json");
  REQUIRE(!cases.empty());
  for (const json& c : cases) {
    Method method = parse_method(c["method"].get<std::string>());
    auto n = c["n"].get<std::size_t>();
    double r = c["r"].get<double>();
    INFO(c["method"].get<std::string>() << " r=" << r << " n=" << n);
    std::optional<Interval> interval = fisher_interval(method, r, n, c["confidence"].get<double>());
    if (c["low"].is_null()) {
      CHECK_FALSE(interval.has_value());
      continue;
    }
    REQUIRE(interval.has_value());
    CHECK_THAT(interval->low, Catch::Matchers::WithinAbs(c["low"].get<double>(), 1e-12));
    CHECK_THAT(interval->high, Catch::Matchers::WithinAbs(c["high"].get<double>(), 1e-12));
  }
}

TEST_CASE("matrix is symmetric with unit diagonal", "[correlation]") {
  Eigen::MatrixXd data(6, 3);
  data << 1, 2, 9, 2, 1, 8, 3, 4, 7, 4, 3, 7, 5, 6, 2, 6, 5, 1;
  for (Method method : {Method::Spearman, Method::Pearson, Method::Kendall}) {
    Eigen::MatrixXd m = correlation_matrix(method, data);
    CHECK(m.isApprox(m.transpose()));
    CHECK(m.diagonal() == Eigen::VectorXd::Ones(3));
    std::vector<double> a(data.col(0).data(), data.col(0).data() + 6);
    std::vector<double> c(data.col(2).data(), data.col(2).data() + 6);
    CHECK_THAT(m(0, 2), Catch::Matchers::WithinAbs(correlation(method, a, c), 1e-15));
  }
}

TEST_CASE("method names parse", "[correlation]") {
  CHECK(parse_method("spearman") == Method::Spearman);
  CHECK(parse_method("pearson") == Method::Pearson);
  CHECK(parse_method("kendall") == Method::Kendall);
  CHECK_THROWS_AS(parse_method("Spearman"), Error);
}

}  // namespace safetywash

namespace safetywash {

TEST_CASE("adjusted p-values match R", "[correlation]") {
  nlohmann::json cases = test::read_json("adjust_cases.json");
  REQUIRE(cases.size() == 5);
  for (const nlohmann::json& c : cases) {
    auto p = c["p"].get<std::vector<double>>();
    for (auto [name, adjustment] : {std::pair{"holm", Adjustment::Holm},
                                    std::pair{"bh", Adjustment::BenjaminiHochberg},
                                    std::pair{"bonferroni", Adjustment::Bonferroni}}) {
      auto expected = c[name].get<std::vector<double>>();
      std::vector<double> actual = adjust_p_values(p, adjustment);
      REQUIRE(actual.size() == expected.size());
      for (std::size_t i = 0; i < p.size(); ++i) {
        INFO(name << " p[" << i << "] = " << p[i]);
        CHECK_THAT(actual[i], Catch::Matchers::WithinRel(expected[i], 1e-12));
      }
    }
  }
}

TEST_CASE("adjustment skips undefined p-values", "[correlation]") {
  double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> adjusted = adjust_p_values({0.01, nan, 0.04}, Adjustment::Bonferroni);
  CHECK(adjusted[0] == 0.02);
  CHECK(std::isnan(adjusted[1]));
  CHECK(adjusted[2] == 0.08);
  CHECK(adjust_p_values({0.3, 0.01}, Adjustment::None) == std::vector<double>{0.3, 0.01});
}

TEST_CASE("partial correlations match residuals", "[correlation]") {
  nlohmann::json cases = test::read_json("partial_cases.json");
  REQUIRE(!cases.empty());
  for (const nlohmann::json& c : cases) {
    auto x = c["x"].get<std::vector<double>>(), y = c["y"].get<std::vector<double>>();
    auto z = c["z"].get<std::vector<double>>();
    INFO("n = " << x.size());
    for (auto [method, key] : {std::pair{Method::Pearson, "pearson"},
                               std::pair{Method::Spearman, "spearman"}}) {
      double r = partial_correlation(correlation(method, x, y), correlation(method, x, z),
                                     correlation(method, y, z));
      CHECK_THAT(r, Catch::Matchers::WithinAbs(c[key].get<double>(), 1e-12));
    }
  }
}

TEST_CASE("partial correlation p uses n - 3 df", "[correlation]") {
  // With n - 3 = 10 degrees of freedom, t = r sqrt(10 / (1 - r^2)) = 1.8257
  // for r = 0.5, and R's 2 * pt(-t, 10) gives 0.0978546142578.
  CHECK_THAT(partial_correlation_p(0.5, 13), Catch::Matchers::WithinRel(0.0978546142578, 1e-9));
  CHECK(std::isnan(partial_correlation_p(0.5, 3)));
  CHECK(std::isnan(partial_correlation(0.5, 1.0, 0.2)));
}

}  // namespace safetywash
