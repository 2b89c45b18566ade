// SPDX-License-Identifier: MIT
// Tests of the bootstrap: determinism, thread independence, interval rules.
#include <catch2/catch.hpp>
#include <cmath>

#include "safetywash/analysis.h"
#include "safetywash/bootstrap.h"
#include "safetywash/input.h"
#include "test_support.h"

namespace safetywash {
namespace {

AnalysisResult run_bootstrap(std::size_t resamples, unsigned threads, std::uint64_t seed,
                             BootstrapInterval kind = BootstrapInterval::Bca) {
  Warnings warnings;
  ScoreTable table = parse_table(test::read_data("general_30.csv"), "general_30.csv", {}, warnings);
  nlohmann::json ref = test::read_json("general_30.spearman.json");
  AnalysisOptions options;
  options.capabilities = ref["capabilities"].get<std::vector<std::string>>();
  options.compute = "flops";
  options.bootstrap = resamples;
  options.threads = threads;
  options.seed = seed;
  options.bootstrap_interval = kind;
  return analyze(table, Registry::builtin(), options);
}

}  // namespace

TEST_CASE("quantiles interpolate like numpy", "[bootstrap]") {
  std::vector<double> sorted = {1, 2, 4, 8};
  // numpy.quantile([1, 2, 4, 8], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 3, 6.8, 8]
  CHECK(quantile_sorted(sorted, 0.0) == 1.0);
  CHECK_THAT(quantile_sorted(sorted, 0.25), Catch::Matchers::WithinAbs(1.75, 1e-15));
  CHECK_THAT(quantile_sorted(sorted, 0.5), Catch::Matchers::WithinAbs(3.0, 1e-15));
  CHECK_THAT(quantile_sorted(sorted, 0.9), Catch::Matchers::WithinAbs(6.8, 1e-15));
  CHECK(quantile_sorted(sorted, 1.0) == 8.0);
}

TEST_CASE("bootstrap ignores the thread count", "[bootstrap]") {
  AnalysisResult one = run_bootstrap(300, 1, 42);
  AnalysisResult four = run_bootstrap(300, 4, 42);
  REQUIRE(one.benchmarks.size() == four.benchmarks.size());
  for (std::size_t k = 0; k < one.benchmarks.size(); ++k) {
    const auto& a = one.benchmarks[k].capabilities;
    const auto& b = four.benchmarks[k].capabilities;
    INFO(one.benchmarks[k].info.id);
    REQUIRE(a.interval.has_value());
    REQUIRE(b.interval.has_value());
    CHECK(a.interval->low == b.interval->low);
    CHECK(a.interval->high == b.interval->high);
  }
}

TEST_CASE("bootstrap seed changes the draw", "[bootstrap]") {
  AnalysisResult a = run_bootstrap(200, 2, 1);
  AnalysisResult b = run_bootstrap(200, 2, 2);
  bool differs = false;
  for (std::size_t k = 0; k < a.benchmarks.size(); ++k) {
    differs = differs || a.benchmarks[k].capabilities.interval->low !=
                             b.benchmarks[k].capabilities.interval->low;
  }
  CHECK(differs);
}

TEST_CASE("bootstrap intervals contain the estimate", "[bootstrap]") {
  for (BootstrapInterval kind : {BootstrapInterval::Bca, BootstrapInterval::Percentile}) {
    AnalysisResult result = run_bootstrap(500, 2, 7, kind);
    for (const BenchmarkResult& b : result.benchmarks) {
      for (const CorrelationSummary* c : {&b.capabilities, &b.compute}) {
        if (!c->r) continue;
        INFO(b.info.id << " " << bootstrap_interval_name(kind));
        REQUIRE(c->interval.has_value());
        CHECK(c->interval->low <= *c->r);
        CHECK(*c->r <= c->interval->high);
        CHECK(c->interval->low >= -1.0);
        CHECK(c->interval->high <= 1.0);
        CHECK(c->bootstrap_defined + c->bootstrap_undefined == 500);
      }
    }
  }
}

TEST_CASE("percentile interval is the plain quantiles", "[bootstrap]") {
  // With an estimate in the middle of the resamples and no skew the BCa
  // correction is small, so both kinds must agree to a few hundredths.
  AnalysisResult bca = run_bootstrap(1000, 2, 5, BootstrapInterval::Bca);
  AnalysisResult percentile = run_bootstrap(1000, 2, 5, BootstrapInterval::Percentile);
  for (std::size_t k = 0; k < bca.benchmarks.size(); ++k) {
    const auto& a = *bca.benchmarks[k].capabilities.interval;
    const auto& b = *percentile.benchmarks[k].capabilities.interval;
    CHECK(std::abs(a.low - b.low) < 0.15);
    CHECK(std::abs(a.high - b.high) < 0.15);
    CHECK(percentile.benchmarks[k].capabilities.interval_method == "percentile");
  }
}

TEST_CASE("failed refits are counted", "[bootstrap]") {
  // Three models with every capability value: most resamples draw fewer than
  // three distinct complete models, so the score cannot be refit there.
  std::string csv =
      "model,mmlu,gsm8k,s,flops\n"
      "a,0.3,0.1,0.2,1e21\nb,0.4,,0.3,2e21\nc,0.5,0.3,0.25,3e21\n"
      "d,0.6,,0.4,4e21\ne,0.7,0.5,0.5,5e21\n";
  Warnings warnings;
  ScoreTable table = parse_table(csv, "small.csv", {}, warnings);
  AnalysisOptions options;
  options.bootstrap = 200;
  options.seed = 3;
  AnalysisResult result = analyze(table, Registry::builtin(), options);
  CHECK(result.failed_fits > 0);
  const BenchmarkResult& s = result.benchmarks.back();
  CHECK(s.capabilities.bootstrap_undefined >= result.failed_fits);
  bool warned = false;
  for (const std::string& w : result.warnings) warned = warned || w.find("could not refit") != std::string::npos;
  CHECK(warned);
}

}  // namespace safetywash
