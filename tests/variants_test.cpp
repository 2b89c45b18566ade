// SPDX-License-Identifier: MIT
// Tests of the analysis variants (missing-value policies, PCA matrices,
// anchor, excluding-self correlations, regression, jackknife and
// leave-one-family-out ranges) against numpy references written by
// tests/data/make_variant_references.py into tests/data/variants/.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using nlohmann::json;

// Tolerance of closed-form results (eigendecompositions, correlations, OLS).
constexpr double kTolerance = 1e-9;
// Tolerance of the iterative imputation, which stops once a step changes no
// imputed cell by more than 1e-10 and so ends short of its fixed point.
constexpr double kImputeTolerance = 1e-6;

// Parses a table in tests/data, e.g. "general_30.csv" or "variants/anchor_10.csv".
ScoreTable load_fixture(const std::string& path) {
  Warnings warnings;
  return parse_table(test::read_data(path), path, {}, warnings);
}

json load_reference(const std::string& name) { return test::read_json("variants/" + name); }

AnalysisOptions fixture_options(const json& ref) {
  AnalysisOptions options;
  options.capabilities = ref["capabilities"].get<std::vector<std::string>>();
  options.compute = "flops";
  return options;
}

const BenchmarkResult* find_result(const AnalysisResult& result, const std::string& id) {
  for (const BenchmarkResult& b : result.benchmarks) {
    if (b.info.id == id) return &b;
  }
  return nullptr;
}

bool has_warning(const Warnings& warnings, const std::string& text) {
  for (const std::string& w : warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

double loading_of(const CapabilitiesSummary& summary, const std::string& benchmark) {
  for (std::size_t k = 0; k < summary.benchmarks.size(); ++k) {
    if (summary.benchmarks[k] == benchmark) return summary.loadings[k];
  }
  FAIL("no loading for " << benchmark);
  return 0.0;
}

std::map<std::string, double> scores_by_model(const CapabilitiesSummary& summary) {
  std::map<std::string, double> scores;
  for (std::size_t i = 0; i < summary.models.size(); ++i) {
    scores[summary.models[i]] = summary.scores[i];
  }
  return scores;
}

// Compares loadings, eigenvalues, explained variance and scores with a
// reference entry written by component_json() of make_variant_references.py.
void check_component(const CapabilitiesSummary& summary, const json& ref, double tolerance) {
  REQUIRE(summary.benchmarks.size() == ref["loadings"].size());
  for (const auto& [benchmark, loading] : ref["loadings"].items()) {
    INFO("loading " << benchmark);
    CHECK_THAT(loading_of(summary, benchmark), WithinAbs(loading.get<double>(), tolerance));
  }
  auto eigenvalues = ref["eigenvalues"].get<std::vector<double>>();
  REQUIRE(summary.eigenvalues.size() == eigenvalues.size());
  for (std::size_t k = 0; k < eigenvalues.size(); ++k) {
    INFO("eigenvalue " << k);
    CHECK_THAT(summary.eigenvalues[k], WithinAbs(eigenvalues[k], tolerance));
  }
  CHECK_THAT(summary.explained_variance,
             WithinAbs(ref["explained_variance"].get<double>(), tolerance));
  std::map<std::string, double> scores = scores_by_model(summary);
  CHECK(scores.size() == ref["scores"].size());
  for (const auto& [model, score] : ref["scores"].items()) {
    INFO("score " << model);
    REQUIRE(scores.count(model) == 1);
    CHECK_THAT(scores[model], WithinAbs(score.get<double>(), tolerance));
  }
}

// Compares the capabilities correlation (n and r) of every benchmark in
// `expected`, an object {id: {"n", "r"}}.
void check_correlations(const AnalysisResult& result, const json& expected, double tolerance) {
  for (const auto& [id, want] : expected.items()) {
    INFO("benchmark " << id);
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    CHECK(b->capabilities.n == want["n"].get<std::size_t>());
    if (want["r"].is_null()) {
      CHECK_FALSE(b->capabilities.r.has_value());
      continue;
    }
    REQUIRE(b->capabilities.r.has_value());
    CHECK_THAT(*b->capabilities.r, WithinAbs(want["r"].get<double>(), tolerance));
  }
}

void check_range(const std::optional<RefitRange>& range, const json& want) {
  REQUIRE(range.has_value());
  CHECK(range->refits == want["refits"].get<std::size_t>());
  CHECK(range->undefined == want["undefined"].get<std::size_t>());
  CHECK(range->risk_changes == want["risk_changes"].get<bool>());
  if (want["min"].is_null()) {
    CHECK(std::isnan(range->min));
    CHECK(std::isnan(range->max));
    return;
  }
  CHECK_THAT(range->min, WithinAbs(want["min"].get<double>(), kTolerance));
  CHECK_THAT(range->max, WithinAbs(want["max"].get<double>(), kTolerance));
}

PcaMatrix matrix_kind(const json& name) { return parse_pca_matrix(name.get<std::string>()); }

}  // namespace

TEST_CASE("excluding-self matches paper base", "[variants]") {
  json ref = load_reference("paper_base.json");
  Warnings warnings;
  AnalysisResult result = analyze(load_dataset("paper-base", warnings), Registry::builtin(), {});
  REQUIRE(result.capabilities.benchmarks.size() == ref["capabilities"].size());
  for (const auto& [id, want] : ref["excluding_self"].items()) {
    INFO("benchmark " << id);
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    CHECK(b->role == Role::Capability);
    REQUIRE(b->capabilities_excluding_self.has_value());
    const CorrelationSummary& summary = *b->capabilities_excluding_self;
    CHECK(summary.n == want["n"].get<std::size_t>());
    REQUIRE(summary.r.has_value());
    CHECK_THAT(*summary.r, WithinAbs(want["r"].get<double>(), kTolerance));
    REQUIRE(summary.p.has_value());
    CHECK_THAT(*summary.p, WithinRel(want["p"].get<double>(), 1e-9));
  }
}

TEST_CASE("excluding-self only for capabilities", "[variants]") {
  Warnings warnings;
  AnalysisResult result = analyze(load_dataset("paper-base", warnings), Registry::builtin(), {});
  for (const BenchmarkResult& b : result.benchmarks) {
    if (b.role != Role::Safety) continue;
    INFO("benchmark " << b.info.id);
    CHECK_FALSE(b.capabilities_excluding_self.has_value());
  }
}

TEST_CASE("excluding-self refits complete cases", "[variants]") {
  // numwise_math is the only capability column with an empty cell, so the
  // refit without it scores 30 models instead of 29.
  json ref = load_reference("general_30.json");
  CHECK(ref["excluding_self"]["numwise_math"]["refit_models"] == 30);
  AnalysisResult result =
      analyze(load_fixture("general_30.csv"), Registry::builtin(), fixture_options(ref));
  for (const auto& [id, want] : ref["excluding_self"].items()) {
    INFO("benchmark " << id);
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    REQUIRE(b->capabilities_excluding_self.has_value());
    CHECK(b->capabilities_excluding_self->n == want["n"].get<std::size_t>());
    REQUIRE(b->capabilities_excluding_self->r.has_value());
    CHECK_THAT(*b->capabilities_excluding_self->r, WithinAbs(want["r"].get<double>(), kTolerance));
  }
}

TEST_CASE("impute keeps every model", "[variants]") {
  json ref = load_reference("impute_15.json");
  AnalysisOptions options = fixture_options(ref);
  options.missing = MissingPolicy::Impute;
  AnalysisResult result = analyze(load_fixture("variants/impute_15.csv"), Registry::builtin(),
                                  options);
  CHECK(result.capabilities.missing == MissingPolicy::Impute);
  CHECK(result.capabilities.models.size() == 15);
  CHECK(result.capabilities.excluded_models.empty());
  CHECK(result.capabilities.imputed.size() == 5);
  CHECK(has_warning(result.warnings, "imputed 5 missing capability value(s)"));
  CHECK_FALSE(has_warning(result.warnings, "get no capabilities score"));
  for (double score : result.capabilities.scores) CHECK(std::isfinite(score));
}

TEST_CASE("impute matches numpy iteration", "[variants]") {
  json ref = load_reference("impute_15.json");
  for (const auto& [name, want] : ref["cases"].items()) {
    DYNAMIC_SECTION(name) {
      AnalysisOptions options = fixture_options(ref);
      options.missing = MissingPolicy::Impute;
      options.pca_matrix = matrix_kind(want["pca_matrix"]);
      options.impute_rank = want["impute_rank"].get<std::size_t>();
      AnalysisResult result = analyze(load_fixture("variants/impute_15.csv"),
                                      Registry::builtin(), options);
      const CapabilitiesSummary& summary = result.capabilities;
      CHECK(summary.impute_iterations == want["iterations"].get<std::size_t>());
      CHECK(summary.impute_converged == want["converged"].get<bool>());
      REQUIRE(summary.imputed.size() == want["imputed"].size());
      for (const json& cell : want["imputed"]) {
        auto model = cell["model"].get<std::string>();
        auto benchmark = cell["benchmark"].get<std::string>();
        INFO("imputed " << model << " " << benchmark);
        const CapabilitiesSummary::ImputedCell* found = nullptr;
        for (const auto& imputed : summary.imputed) {
          if (imputed.model == model && imputed.benchmark == benchmark) found = &imputed;
        }
        REQUIRE(found != nullptr);
        CHECK_THAT(found->z, WithinAbs(cell["z"].get<double>(), kImputeTolerance));
      }
      check_component(summary, want, kImputeTolerance);
      check_correlations(result, want["benchmarks"], kImputeTolerance);
    }
  }
}

TEST_CASE("pairwise matches numpy", "[variants]") {
  json ref = load_reference("pairwise_14.json");
  for (const auto& [name, want] : ref["cases"].items()) {
    DYNAMIC_SECTION(name) {
      AnalysisOptions options = fixture_options(ref);
      options.missing = MissingPolicy::Pairwise;
      options.pca_matrix = matrix_kind(want["pca_matrix"]);
      AnalysisResult result = analyze(load_fixture("variants/pairwise_14.csv"),
                                      Registry::builtin(), options);
      const CapabilitiesSummary& summary = result.capabilities;
      CHECK(summary.missing == MissingPolicy::Pairwise);
      CHECK(summary.repaired == want["repaired"].get<bool>());
      REQUIRE(summary.excluded_models.size() == ref["excluded_models"].size());
      CHECK(summary.excluded_models[0].first == ref["excluded_models"][0].get<std::string>());
      CHECK(summary.excluded_models[0].second.size() == 4);
      check_component(summary, want, kTolerance);
      check_correlations(result, want["benchmarks"], kTolerance);
    }
  }
}

TEST_CASE("pairwise repairs non-PSD matrix", "[variants]") {
  json ref = load_reference("pairwise_not_psd.json");
  const json& want = ref["cases"]["spearman"];
  REQUIRE(want["unrepaired_eigenvalues"][2].get<double>() < -0.5);
  AnalysisOptions options = fixture_options(ref);
  options.missing = MissingPolicy::Pairwise;
  AnalysisResult result = analyze(load_fixture("variants/pairwise_not_psd.csv"),
                                  Registry::builtin(), options);
  const CapabilitiesSummary& summary = result.capabilities;
  CHECK(summary.repaired);
  CHECK(has_warning(result.warnings, "not positive semi-definite"));
  CHECK(summary.models.size() == 15);
  check_component(summary, want, kTolerance);
  check_correlations(result, want["benchmarks"], kTolerance);
}

TEST_CASE("pairwise error names both benchmarks", "[variants]") {
  // glyph_read and rhyme_pick share only Ibis-1B and Ibis-3B. The list is
  // not in table order, so a message giving positions must not point at
  // another pair.
  AnalysisOptions options;
  options.capabilities = {"count_dots", "rhyme_pick", "glyph_read"};
  options.compute = "flops";
  options.missing = MissingPolicy::Pairwise;
  std::string message;
  try {
    analyze(load_fixture("variants/pairwise_too_few.csv"), Registry::builtin(), options);
  } catch (const InputError& error) {
    message = error.what();
  }
  INFO("message: " << message);
  CHECK_FALSE(message.empty());
  CHECK(message.find("glyph_read") != std::string::npos);
  CHECK(message.find("rhyme_pick") != std::string::npos);
}

TEST_CASE("complete policy keeps complete rows", "[variants]") {
  json ref = load_reference("pairwise_14.json");
  AnalysisResult result = analyze(load_fixture("variants/pairwise_14.csv"),
                                  Registry::builtin(), fixture_options(ref));
  CHECK(result.capabilities.missing == MissingPolicy::Complete);
  CHECK_FALSE(result.capabilities.repaired);
  CHECK(result.capabilities.imputed.empty());
  CHECK(result.capabilities.models.size() == 5);
}

TEST_CASE("PCA matrix kinds match numpy", "[variants]") {
  json ref = load_reference("general_30.json");
  for (const auto& [name, want] : ref["matrices"].items()) {
    DYNAMIC_SECTION(name) {
      AnalysisOptions options = fixture_options(ref);
      options.method = Method::Spearman;
      options.pca_matrix = matrix_kind(json(name));
      options.components = want["components"].size();
      AnalysisResult result = analyze(load_fixture("general_30.csv"), Registry::builtin(),
                                      options);
      const CapabilitiesSummary& summary = result.capabilities;
      CHECK(summary.pca_matrix == *options.pca_matrix);
      check_component(summary, want, kTolerance);
      check_correlations(result, want["benchmarks"], kTolerance);
      REQUIRE(summary.components.size() == want["components"].size());
      for (std::size_t c = 0; c < summary.components.size(); ++c) {
        auto expected = want["components"][c].get<std::vector<double>>();
        REQUIRE(summary.components[c].size() == expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k) {
          INFO("component " << c << " loading " << summary.benchmarks[k]);
          CHECK_THAT(summary.components[c][k], WithinAbs(expected[k], kTolerance));
        }
      }
    }
  }
}

TEST_CASE("default reports one component", "[variants]") {
  json ref = load_reference("general_30.json");
  AnalysisResult result = analyze(load_fixture("general_30.csv"), Registry::builtin(),
                                  fixture_options(ref));
  REQUIRE(result.capabilities.components.size() == 1);
  CHECK(result.capabilities.components[0] == result.capabilities.loadings);
}

TEST_CASE("too many components is rejected", "[variants]") {
  json ref = load_reference("general_30.json");
  AnalysisOptions options = fixture_options(ref);
  options.components = ref["capabilities"].size() + 1;
  CHECK_THROWS_AS(analyze(load_fixture("general_30.csv"), Registry::builtin(), options),
                  UsageError);
}

TEST_CASE("mean-z score matches numpy", "[variants]") {
  json ref = load_reference("general_30.json");
  const json& want = ref["mean_z"];
  AnalysisOptions options = fixture_options(ref);
  options.score = ScoreKind::MeanZ;
  AnalysisResult result = analyze(load_fixture("general_30.csv"), Registry::builtin(), options);
  CHECK(result.capabilities.score == ScoreKind::MeanZ);
  check_component(result.capabilities, want, kTolerance);
  check_correlations(result, want["benchmarks"], kTolerance);
}

TEST_CASE("anchor flips default sign", "[variants]") {
  json ref = load_reference("anchor_10.json");
  const json& want = ref["cases"]["vocab_mc"];
  REQUIRE(ref["cases"]["default"]["loadings"]["vocab_mc"].get<double>() < 0);
  AnalysisOptions options = fixture_options(ref);
  options.anchor = "vocab_mc";
  AnalysisResult result = analyze(load_fixture("variants/anchor_10.csv"), Registry::builtin(),
                                  options);
  const CapabilitiesSummary& summary = result.capabilities;
  CHECK(summary.anchor == std::optional<std::string>("vocab_mc"));
  CHECK(summary.anchor_disagrees);
  CHECK(has_warning(result.warnings, "--anchor vocab_mc flipped"));
  CHECK(loading_of(summary, "vocab_mc") > 0);
  check_component(summary, want, kTolerance);
  check_correlations(result, want["benchmarks"], kTolerance);
}

TEST_CASE("default sign without anchor", "[variants]") {
  json ref = load_reference("anchor_10.json");
  AnalysisResult result = analyze(load_fixture("variants/anchor_10.csv"), Registry::builtin(),
                                  fixture_options(ref));
  CHECK_FALSE(result.capabilities.anchor.has_value());
  CHECK_FALSE(result.capabilities.anchor_disagrees);
  check_component(result.capabilities, ref["cases"]["default"], kTolerance);
  check_correlations(result, ref["cases"]["default"]["benchmarks"], kTolerance);
}

TEST_CASE("agreeing anchor keeps sign", "[variants]") {
  json ref = load_reference("anchor_10.json");
  AnalysisOptions options = fixture_options(ref);
  options.anchor = "slip_rate";
  AnalysisResult result = analyze(load_fixture("variants/anchor_10.csv"), Registry::builtin(),
                                  options);
  CHECK_FALSE(result.capabilities.anchor_disagrees);
  CHECK_FALSE(has_warning(result.warnings, "--anchor"));
  check_component(result.capabilities, ref["cases"]["slip_rate"], kTolerance);
}

TEST_CASE("anchor must be a capability", "[variants]") {
  json ref = load_reference("anchor_10.json");
  AnalysisOptions options = fixture_options(ref);
  options.anchor = "harm_refusal_x";
  CHECK_THROWS_AS(analyze(load_fixture("variants/anchor_10.csv"), Registry::builtin(), options),
                  InputError);
}

TEST_CASE("regression matches lstsq on paper", "[variants]") {
  json ref = load_reference("paper_base.json");
  Warnings warnings;
  AnalysisResult result = analyze(load_dataset("paper-base", warnings), Registry::builtin(), {});
  std::size_t reported = 0;
  for (const BenchmarkResult& b : result.benchmarks) {
    if (b.role != Role::Safety || b.skipped) continue;
    ++reported;
    INFO("benchmark " << b.info.id);
    CHECK(ref["regression"].contains(b.info.id));
  }
  CHECK(reported == ref["regression"].size());
  for (const auto& [id, want] : ref["regression"].items()) {
    INFO("benchmark " << id);
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    if (want.is_null()) {
      CHECK_FALSE(b->regression.has_value());
      continue;
    }
    REQUIRE(b->regression.has_value());
    CHECK(b->regression->n == want["n"].get<std::size_t>());
    CHECK_THAT(b->regression->slope, WithinAbs(want["slope"].get<double>(), kTolerance));
    CHECK_THAT(b->regression->intercept, WithinAbs(want["intercept"].get<double>(), kTolerance));
    CHECK_THAT(b->regression->r_squared, WithinAbs(want["r_squared"].get<double>(), kTolerance));
  }
}

TEST_CASE("adjusted scores match lstsq", "[variants]") {
  json ref = load_reference("paper_base.json");
  Warnings load_warnings, warnings;
  std::vector<AdjustedScore> adjusted = adjusted_scores(
      load_dataset("paper-base", load_warnings), Registry::builtin(), {}, warnings);
  std::map<std::pair<std::string, std::string>, const AdjustedScore*> rows;
  for (const AdjustedScore& row : adjusted) rows[{row.benchmark, row.model}] = &row;
  CHECK(rows.size() == adjusted.size());

  std::size_t expected_rows = 0;
  for (const auto& [id, want] : ref["regression"].items()) {
    if (want.is_null()) continue;
    auto models = want["models"].get<std::vector<std::string>>();
    expected_rows += models.size();
    for (std::size_t i = 0; i < models.size(); ++i) {
      INFO("benchmark " << id << " model " << models[i]);
      auto it = rows.find({id, models[i]});
      REQUIRE(it != rows.end());
      const AdjustedScore& row = *it->second;
      CHECK_THAT(row.z, WithinAbs(want["z"][i].get<double>(), kTolerance));
      CHECK_THAT(row.predicted, WithinAbs(want["predicted"][i].get<double>(), kTolerance));
      CHECK_THAT(row.residual, WithinAbs(want["residual"][i].get<double>(), kTolerance));
      CHECK(row.rank == want["rank"][i].get<std::size_t>());
    }
  }
  CHECK(adjusted.size() == expected_rows);
}

TEST_CASE("jackknife matches leave-one-out refits", "[variants]") {
  json ref = load_reference("general_30.json");
  AnalysisOptions options = fixture_options(ref);
  options.jackknife = true;
  AnalysisResult result = analyze(load_fixture("general_30.csv"), Registry::builtin(), options);
  for (const auto& [id, want] : ref["jackknife"].items()) {
    INFO("benchmark " << id);
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    check_range(b->jackknife, want);
    CHECK_FALSE(b->by_family.has_value());
  }
}

TEST_CASE("jackknife is off by default", "[variants]") {
  json ref = load_reference("general_30.json");
  AnalysisResult result = analyze(load_fixture("general_30.csv"), Registry::builtin(),
                                  fixture_options(ref));
  for (const BenchmarkResult& b : result.benchmarks) {
    INFO("benchmark " << b.info.id);
    CHECK_FALSE(b.jackknife.has_value());
  }
}

TEST_CASE("by-family matches family refits", "[variants]") {
  json ref = load_reference("family_16.json");
  AnalysisOptions options = fixture_options(ref);
  options.family_column = ref["family_column"].get<std::string>();
  options.jackknife = true;
  AnalysisResult result = analyze(load_fixture("variants/family_16.csv"), Registry::builtin(),
                                  options);
  CHECK(has_warning(result.warnings, "1 model(s) have no family in column 'family'"));
  for (const auto& [id, want] : ref["by_family"].items()) {
    INFO("benchmark " << id << " by family");
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    check_range(b->by_family, want);
  }
  for (const auto& [id, want] : ref["jackknife"].items()) {
    INFO("benchmark " << id << " jackknife");
    const BenchmarkResult* b = find_result(result, id);
    REQUIRE(b != nullptr);
    check_range(b->jackknife, want);
  }
}

}  // namespace safetywash
