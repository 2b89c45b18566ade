// SPDX-License-Identifier: MIT
// Tests of the whole analysis against pandas/scipy references (tests/data/*.json).
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>

#include "safetywash/analysis.h"
#include "safetywash/correlation.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "test_support.h"

namespace safetywash {
namespace {

using nlohmann::json;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

constexpr double kTolerance = 1e-9;

ScoreTable load_fixture(const std::string& name) {
  Warnings warnings;
  return parse_table(test::read_data(name), name, {}, warnings);
}

const BenchmarkResult* find_result(const AnalysisResult& result, const std::string& id) {
  for (const BenchmarkResult& b : result.benchmarks) {
    if (b.info.id == id) return &b;
  }
  return nullptr;
}

void check_p(const CorrelationSummary& actual, const json& expected, std::size_t n) {
  // For n <= 10 the tool reports Spearman's exact permutation p; the
  // reference stores it as p_exact next to scipy's t-based p.
  const json& want = (n <= 10 && expected.contains("p_exact")) ? expected["p_exact"]
                                                               : expected["p"];
  if (want.is_null()) {
    CHECK_FALSE(actual.p.has_value());
    return;
  }
  REQUIRE(actual.p.has_value());
  CHECK_THAT(*actual.p, WithinRel(want.get<double>(), 1e-9) || WithinAbs(want.get<double>(), 1e-15));
}

void check_correlation(const CorrelationSummary& actual, const json& expected, bool with_p) {
  CHECK(actual.n == expected["n"].get<std::size_t>());
  if (expected["r"].is_null()) {
    CHECK_FALSE(actual.r.has_value());
    return;
  }
  REQUIRE(actual.r.has_value());
  CHECK_THAT(*actual.r, WithinAbs(expected["r"].get<double>(), kTolerance));
  if (with_p) check_p(actual, expected, actual.n);
}

// Compares every number of `result` with a reference written by
// tests/data/make_references.py. `ignored` lists reference columns that the
// registry marks as ignored, so the tool does not report them.
void check_against_reference(const AnalysisResult& result, const json& ref, bool with_p) {
  const CapabilitiesSummary& caps = result.capabilities;
  CHECK(caps.models.size() == ref["capabilities_models"].get<std::size_t>());
  CHECK_THAT(caps.explained_variance, WithinAbs(ref["explained_variance"].get<double>(), kTolerance));
  auto eigenvalues = ref["eigenvalues"].get<std::vector<double>>();
  REQUIRE(caps.eigenvalues.size() == eigenvalues.size());
  for (std::size_t k = 0; k < eigenvalues.size(); ++k) {
    CHECK_THAT(caps.eigenvalues[k], WithinAbs(eigenvalues[k], kTolerance));
  }
  REQUIRE(caps.benchmarks.size() == ref["loadings"].size());
  for (std::size_t k = 0; k < caps.benchmarks.size(); ++k) {
    INFO("loading " << caps.benchmarks[k]);
    CHECK_THAT(caps.loadings[k], WithinAbs(ref["loadings"][caps.benchmarks[k]].get<double>(),
                                           kTolerance));
  }
  REQUIRE(caps.models.size() == ref["scores"].size());
  for (std::size_t i = 0; i < caps.models.size(); ++i) {
    INFO("score " << caps.models[i]);
    CHECK_THAT(caps.scores[i], WithinAbs(ref["scores"][caps.models[i]].get<double>(), kTolerance));
  }
  for (const auto& [id, expected] : ref["benchmarks"].items()) {
    INFO("benchmark " << id);
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    CHECK_FALSE(b->skipped.has_value());
    check_correlation(b->capabilities, expected, with_p);
    if (expected.contains("compute")) check_correlation(b->compute, expected["compute"], with_p);
  }
}

AnalysisOptions options_from(const json& ref) {
  AnalysisOptions options;
  options.method = parse_method(ref["method"].get<std::string>());
  options.capabilities = ref["capabilities"].get<std::vector<std::string>>();
  options.compute = ref["compute"].get<std::string>();
  return options;
}

}  // namespace

TEST_CASE("fixtures match references", "[analysis]") {
  Registry registry = Registry::builtin();
  for (std::string fixture : {"ties_missing", "small_n", "constant_columns", "sign_rule",
                              "missing_capability", "general_30"}) {
    for (std::string method : {"spearman", "pearson", "kendall"}) {
      DYNAMIC_SECTION(fixture << " " << method) {
        json ref = test::read_json(fixture + "." + method + ".json");
        AnalysisResult result = analyze(load_fixture(fixture + ".csv"), registry,
                                        options_from(ref));
        check_against_reference(result, ref, true);
        for (const auto& skipped : ref["skipped_constant"]) {
          const BenchmarkResult* b = find_result(result, skipped.get<std::string>());
          REQUIRE(b != nullptr);
          CHECK(b->skipped == std::optional<std::string>("constant"));
          CHECK_FALSE(b->capabilities.r.has_value());
        }
      }
    }
  }
}

TEST_CASE("paper tables match references", "[analysis]") {
  Registry registry = Registry::builtin();
  for (std::string table : {"paper_base", "paper_chat"}) {
    for (std::string method : {"spearman", "pearson", "kendall"}) {
      DYNAMIC_SECTION(table << " " << method) {
        json ref = test::read_json(table + "." + method + ".json");
        Warnings warnings;
        std::string dataset = table == "paper_base" ? "paper-base" : "paper-chat";
        AnalysisOptions options;
        options.method = parse_method(method);
        AnalysisResult result = analyze(load_dataset(dataset, warnings), registry, options);
        auto expected_capabilities = ref["capabilities"].get<std::vector<std::string>>();
        CHECK(std::set<std::string>(result.capabilities.benchmarks.begin(),
                                    result.capabilities.benchmarks.end()) ==
              std::set<std::string>(expected_capabilities.begin(), expected_capabilities.end()));

        // The registry marks bookkeeping columns (sample and game counts) as
        // ignored; they are in the reference but not in the report.
        json expected = ref;
        for (const auto& [id, value] : ref["benchmarks"].items()) {
          const BenchmarkInfo* info = registry.find(id);
          REQUIRE(info != nullptr);
          if (info->role == Role::Ignore) expected["benchmarks"].erase(id);
        }
        CHECK(expected["benchmarks"].size() + 3 == ref["benchmarks"].size());
        check_against_reference(result, expected, true);
      }
    }
  }
}

TEST_CASE("paper chat table gives published values", "[analysis]") {
  Warnings warnings;
  AnalysisResult result =
      analyze(load_dataset("paper-chat", warnings), Registry::builtin(), AnalysisOptions{});
  auto percent = [&](const std::string& id) {
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    REQUIRE(b->capabilities.r.has_value());
    return std::round(*b->capabilities.r * 1000) / 10;
  };
  CHECK(percent("MT_Bench") == 78.7);
  CHECK(percent("ethics_all") == 82.2);
  CHECK(percent("bbq_amb") == -37.3);
  CHECK(percent("wmdp_bio") == -87.5);
  CHECK(std::round(result.capabilities.explained_variance * 1000) / 10 == 70.8);
}

TEST_CASE("constant capability column is skipped", "[analysis]") {
  json ref = test::read_json("constant_columns.spearman.json");
  AnalysisOptions options = options_from(ref);
  options.capabilities.push_back("legacy_cloze");
  AnalysisResult result = analyze(load_fixture("constant_columns.csv"), Registry::builtin(), options);
  check_against_reference(result, ref, true);
  const BenchmarkResult* b = find_result(result, "legacy_cloze");
  REQUIRE(b != nullptr);
  CHECK(b->role == Role::Capability);
  CHECK(b->skipped == std::optional<std::string>("constant"));
  bool warned = false;
  for (const std::string& w : result.warnings) warned = warned || w.find("legacy_cloze") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("models without capability values are named", "[analysis]") {
  json ref = test::read_json("missing_capability.spearman.json");
  AnalysisResult result =
      analyze(load_fixture("missing_capability.csv"), Registry::builtin(), options_from(ref));
  std::set<std::string> scored(result.capabilities.models.begin(), result.capabilities.models.end());
  REQUIRE(result.capabilities.excluded_models.size() == 2);
  for (const auto& [model, lacking] : result.capabilities.excluded_models) {
    CHECK(scored.count(model) == 0);
    CHECK(lacking.size() == 1);
    bool named = false;
    for (const std::string& w : result.warnings) named = named || w.find(model) != std::string::npos;
    CHECK(named);
  }
}

TEST_CASE("lower-is-better benchmarks are negated", "[analysis]") {
  ScoreTable table = load_fixture("general_30.csv");
  json ref = test::read_json("general_30.spearman.json");
  Registry registry = Registry::builtin();
  std::string safety = ref["benchmarks"].items().begin().key();
  for (const auto& [id, value] : ref["benchmarks"].items()) {
    if (std::find(ref["capabilities"].begin(), ref["capabilities"].end(), id) ==
        ref["capabilities"].end()) {
      safety = id;
      break;
    }
  }
  registry.merge("id,higher_is_better\n" + safety + ",false\n", "meta.csv");
  AnalysisResult result = analyze(table, registry, options_from(ref));
  const BenchmarkResult* b = find_result(result, safety);
  REQUIRE(b != nullptr);
  CHECK(b->negated);
  double expected = ref["benchmarks"][safety]["r"].get<double>();
  REQUIRE(b->capabilities.r.has_value());
  CHECK_THAT(*b->capabilities.r, WithinAbs(-expected, kTolerance));
}

TEST_CASE("default capabilities come from the registry", "[analysis]") {
  std::string csv =
      "model,mmlu,gsm8k,truthfulqa_mc1\n"
      "a,0.30,0.05,0.21\nb,0.45,0.12,0.25\nc,0.52,0.30,0.24\nd,0.61,0.41,0.33\ne,0.70,0.55,0.38\n";
  Warnings warnings;
  ScoreTable table = parse_table(csv, "mine.csv", {}, warnings);
  AnalysisResult result = analyze(table, Registry::builtin(), AnalysisOptions{});
  CHECK(result.capabilities.benchmarks == std::vector<std::string>{"mmlu", "gsm8k"});
  const BenchmarkResult* b = find_result(result, "truthfulqa_mc1");
  REQUIRE(b != nullptr);
  CHECK(b->role == Role::Safety);
  CHECK(b->info.category == "truthfulness");
  CHECK_FALSE(result.compute_column.has_value());
}

TEST_CASE("option errors name the problem", "[analysis]") {
  ScoreTable table = load_fixture("general_30.csv");
  json ref = test::read_json("general_30.spearman.json");
  AnalysisOptions options = options_from(ref);
  SECTION("unknown capability suggests a name") {
    options.capabilities = {ref["capabilities"][0].get<std::string>() + "x",
                            ref["capabilities"][1].get<std::string>()};
    CHECK_THROWS_WITH(analyze(table, Registry::builtin(), options),
                      Catch::Contains("did you mean '" + ref["capabilities"][0].get<std::string>()));
  }
  SECTION("one capability is too few") {
    options.capabilities = {ref["capabilities"][0].get<std::string>()};
    CHECK_THROWS_WITH(analyze(table, Registry::builtin(), options),
                      Catch::Contains("at least 2") && Catch::Contains("--capabilities"));
  }
  SECTION("unknown compute column") {
    options.compute = "flop_count";
    CHECK_THROWS_AS(analyze(table, Registry::builtin(), options), InputError);
  }
  SECTION("default capabilities absent") {
    options.capabilities.clear();
    CHECK_THROWS_WITH(analyze(table, Registry::builtin(), options),
                      Catch::Contains("0 usable capability"));
  }
}

TEST_CASE("non-positive compute is an input error", "[analysis]") {
  std::string csv =
      "model,mmlu,gsm8k,x,flops\n"
      "a,0.30,0.05,0.21,1e21\nb,0.45,0.12,0.25,0\nc,0.52,0.30,0.24,3e22\nd,0.61,0.41,0.33,1e23\n";
  Warnings warnings;
  ScoreTable table = parse_table(csv, "mine.csv", {}, warnings);
  CHECK_THROWS_WITH(analyze(table, Registry::builtin(), AnalysisOptions{}),
                    Catch::Contains("mine.csv:3:5") && Catch::Contains("'b'"));
}

TEST_CASE("compute may name a benchmark column", "[analysis]") {
  std::string csv =
      "model,mmlu,gsm8k,x,train_compute_est\n"
      "a,0.30,0.05,0.21,1e21\nb,0.45,0.12,0.25,2e21\nc,0.52,0.30,0.24,3e22\nd,0.61,0.41,0.33,1e23\n";
  Warnings warnings;
  ScoreTable table = parse_table(csv, "mine.csv", {}, warnings);
  AnalysisOptions options;
  options.compute = "train_compute_est";
  AnalysisResult result = analyze(table, Registry::builtin(), options);
  CHECK(result.compute_column == std::optional<std::string>("train_compute_est"));
  CHECK(find_result(result, "train_compute_est") == nullptr);
  const BenchmarkResult* x = find_result(result, "x");
  REQUIRE(x != nullptr);
  CHECK(x->compute.n == 4);
  REQUIRE(x->compute.r.has_value());
  CHECK_THAT(*x->compute.r, WithinAbs(0.8, 1e-12));
}

namespace {

// A table large enough for the threaded paths of the analysis: 10,000
// models, 20 capability benchmarks with ties (4 decimals), 4 safety
// benchmarks with 5% of cells missing, and compute.
ScoreTable large_table() {
  constexpr std::size_t kModels = 10'000, kCapabilities = 20, kSafety = 4;
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  auto logistic = [](double x) { return 1 / (1 + std::exp(-x)); };
  ScoreTable table;
  table.source = "large.csv";
  for (std::size_t k = 0; k < kCapabilities + kSafety; ++k) {
    table.benchmarks.push_back(k < kCapabilities ? "cap_" + std::to_string(k)
                                                 : "safety_" + std::to_string(k - kCapabilities));
    table.benchmark_positions.push_back(k + 2);
  }
  table.scores.resize(kModels, static_cast<Eigen::Index>(kCapabilities + kSafety));
  Attribute compute{"FLOP", kCapabilities + kSafety + 2, true, {}, {}};
  for (std::size_t i = 0; i < kModels; ++i) {
    table.models.push_back("model-" + std::to_string(i));
    table.model_lines.push_back(i + 2);
    double ability = normal(rng);
    for (std::size_t k = 0; k < kCapabilities + kSafety; ++k) {
      double value = std::round(logistic(ability + normal(rng)) * 1e4) / 1e4;
      if (k >= kCapabilities && uniform(rng) < 0.05) value = std::nan("");
      table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = value;
    }
    compute.values.push_back(std::pow(10.0, 21 + ability + 0.5 * normal(rng)));
  }
  table.attributes.push_back(compute);
  return table;
}

void check_same(const CorrelationSummary& a, const CorrelationSummary& b) {
  CHECK(a.n == b.n);
  CHECK(a.r == b.r);
  CHECK(a.p == b.p);
}

}  // namespace

TEST_CASE("large table is the same on any thread count", "[analysis]") {
  ScoreTable table = large_table();
  Registry registry = Registry::builtin();
  AnalysisOptions options;
  for (std::size_t k = 0; k < 20; ++k) options.capabilities.push_back("cap_" + std::to_string(k));
  options.compute = "FLOP";
  options.threads = 1;
  AnalysisResult single = analyze(table, registry, options);
  options.threads = 4;
  AnalysisResult four = analyze(table, registry, options);

  CHECK(single.capabilities.scores == four.capabilities.scores);
  CHECK(single.capabilities.loadings == four.capabilities.loadings);
  REQUIRE(single.benchmarks.size() == 24);
  REQUIRE(four.benchmarks.size() == 24);
  for (std::size_t b = 0; b < single.benchmarks.size(); ++b) {
    const BenchmarkResult &x = single.benchmarks[b], &y = four.benchmarks[b];
    INFO("benchmark: " << x.info.id);
    CHECK(x.info.id == y.info.id);
    check_same(x.capabilities, y.capabilities);
    check_same(x.compute, y.compute);
    check_same(x.capabilities_given_compute, y.capabilities_given_compute);
    check_same(x.compute_given_capabilities, y.compute_given_capabilities);
    REQUIRE(x.regression.has_value() == y.regression.has_value());
    if (x.regression) CHECK(x.regression->slope == y.regression->slope);
    REQUIRE(x.capabilities_excluding_self.has_value() == y.capabilities_excluding_self.has_value());
    if (x.capabilities_excluding_self) {
      check_same(*x.capabilities_excluding_self, *y.capabilities_excluding_self);
    }
  }

  // A safety benchmark's correlations, recomputed from its complete cases
  // with the general functions.
  const BenchmarkResult* safety = find_result(single, "safety_0");
  REQUIRE(safety != nullptr);
  std::vector<double> score(table.models.size(), std::nan(""));
  for (std::size_t i = 0; i < single.capabilities.models.size(); ++i) {
    score[std::stoul(single.capabilities.models[i].substr(6))] = single.capabilities.scores[i];
  }
  std::vector<double> x, s, c;
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    double value = table.scores(static_cast<Eigen::Index>(i), 20);
    if (std::isnan(value) || std::isnan(score[i])) continue;
    x.push_back(value);
    s.push_back(score[i]);
    c.push_back(table.attributes[0].values[i]);
  }
  CorrelationTest with_score = test_correlation(Method::Spearman, x, s);
  CorrelationTest with_compute = test_correlation(Method::Spearman, x, c);
  CHECK(safety->capabilities.n == x.size());
  CHECK(safety->capabilities.r == with_score.r);
  CHECK(safety->capabilities.p == with_score.p);
  CHECK(safety->compute.r == with_compute.r);
  CHECK(safety->compute.p == with_compute.p);
  REQUIRE(safety->capabilities_given_compute.r.has_value());
  double r_sc = spearman(s, c);
  CHECK_THAT(*safety->capabilities_given_compute.r,
             WithinAbs(partial_correlation(with_score.r, with_compute.r, r_sc), 1e-15));
}

TEST_CASE("large table capability correlations match recomputing", "[analysis]") {
  // The analysis reuses the orderings the component fit sorted, which must
  // only happen when they match the reported method.
  ScoreTable table = large_table();
  Registry registry = Registry::builtin();
  for (auto [method, matrix] : {std::pair{Method::Spearman, PcaMatrix::Spearman},
                                std::pair{Method::Pearson, PcaMatrix::Spearman},
                                std::pair{Method::Spearman, PcaMatrix::Pearson}}) {
    INFO("method: " << method_name(method) << ", matrix: " << pca_matrix_name(matrix));
    AnalysisOptions options;
    for (std::size_t k = 0; k < 20; ++k) options.capabilities.push_back("cap_" + std::to_string(k));
    options.compute = "FLOP";
    options.method = method;
    options.pca_matrix = matrix;
    AnalysisResult result = analyze(table, registry, options);
    REQUIRE(result.capabilities.models.size() == table.models.size());
    std::vector<double> score(result.capabilities.scores.begin(),
                              result.capabilities.scores.end());
    for (std::size_t column : {0u, 7u, 19u}) {
      const BenchmarkResult* entry = find_result(result, "cap_" + std::to_string(column));
      REQUIRE(entry != nullptr);
      std::vector<double> values(table.models.size());
      for (std::size_t i = 0; i < values.size(); ++i) {
        values[i] = table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(column));
      }
      CorrelationTest expected = test_correlation(method, values, score);
      REQUIRE(entry->capabilities.r.has_value());
      CHECK(*entry->capabilities.r == expected.r);
    }
  }
}

}  // namespace safetywash
