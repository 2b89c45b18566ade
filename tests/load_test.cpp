// SPDX-License-Identifier: MIT
// Tests of load_input_table and load_inputs: long tables, JSON tables, joins
// of several inputs, --models and --aliases.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/load.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;
using Names = std::vector<std::string>;

// Path of a fixture in tests/data/inputs.
std::string input_path(const std::string& name) { return test::data_path("inputs/" + name); }

std::string write_temp(const std::string& name, const std::string& content) {
  std::string path = test::temp_folder() + "/" + name;
  test::write_text(path, content);
  return path;
}

ScoreTable load_one(const std::string& path, const LoadOptions& options = {}) {
  Warnings warnings;
  return load_input_table(path, options, warnings);
}

// Returns the message of the InputError that loading `paths` throws, or an
// empty string when loading succeeds.
std::string load_error(const std::vector<std::string>& paths, const LoadOptions& options = {}) {
  Warnings warnings;
  try {
    load_inputs(paths, options, warnings);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

// Returns the score of `model` on `benchmark`. Fails the test when either is absent.
double score_of(const ScoreTable& table, const std::string& model, const std::string& benchmark) {
  auto row = std::find(table.models.begin(), table.models.end(), model);
  REQUIRE(row != table.models.end());
  auto column = table.find_benchmark(benchmark);
  REQUIRE(column.has_value());
  return table.scores(static_cast<Eigen::Index>(row - table.models.begin()),
                      static_cast<Eigen::Index>(*column));
}

std::size_t row_of(const ScoreTable& table, const std::string& model) {
  auto row = std::find(table.models.begin(), table.models.end(), model);
  REQUIRE(row != table.models.end());
  return static_cast<std::size_t>(row - table.models.begin());
}

// Writes a table as a long CSV (model,benchmark,score,training_flop) with
// every cell, empty ones included, in table order. Numbers are written in
// the shortest form that reads back to the same double.
std::string to_long_csv(const ScoreTable& table) {
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  std::string out = "model,benchmark,score,training_flop\n";
  auto number = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); };
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    for (std::size_t j = 0; j < table.benchmarks.size(); ++j) {
      double value = table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      out += fmt::format("{},{},{},{}\n", table.models[i], table.benchmarks[j], number(value),
                         number(compute->values[i]));
    }
  }
  return out;
}

void check_same_correlation(const CorrelationSummary& actual, const CorrelationSummary& expected) {
  CHECK(actual.n == expected.n);
  CHECK(actual.r == expected.r);
  CHECK(actual.p == expected.p);
  CHECK(actual.p_adjusted == expected.p_adjusted);
  CHECK(actual.interval.has_value() == expected.interval.has_value());
  if (actual.interval && expected.interval) {
    CHECK(actual.interval->low == expected.interval->low);
    CHECK(actual.interval->high == expected.interval->high);
  }
}

}  // namespace

TEST_CASE("long table pivots to wide", "[load]") {
  ScoreTable table = load_one(input_path("long_scores.csv"));
  CHECK(table.models == Names{"kite-1b", "wren-7b"});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k", "truthfulqa_mc1"});
  CHECK(score_of(table, "kite-1b", "mmlu") == 0.262);
  CHECK(score_of(table, "kite-1b", "gsm8k") == 0.021);
  CHECK(std::isnan(score_of(table, "kite-1b", "truthfulqa_mc1")));
  CHECK(score_of(table, "wren-7b", "truthfulqa_mc1") == 0.251);
}

TEST_CASE("long table attributes keep kind", "[load]") {
  ScoreTable table = load_one(input_path("long_scores.csv"));
  const Attribute* family = table.find_attribute("family");
  REQUIRE(family != nullptr);
  CHECK_FALSE(family->numeric);
  CHECK(family->text == Names{"kite", "wren"});
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->numeric);
  CHECK(compute->values == std::vector<double>{2.1e21, 8.4e22});
  CHECK_FALSE(table.find_benchmark("family").has_value());
  CHECK_FALSE(table.find_benchmark("training_flop").has_value());
}

TEST_CASE("long table with task and value", "[load]") {
  ScoreTable table = load_one(input_path("long_task_value.tsv"));
  CHECK(table.models == Names{"kite-1b", "wren-7b"});
  CHECK(table.benchmarks == Names{"mmlu", "arc_challenge"});
  CHECK(std::isnan(score_of(table, "kite-1b", "arc_challenge")));
  CHECK(score_of(table, "wren-7b", "arc_challenge") == 0.463);
}

TEST_CASE("long table repeated pair names lines", "[load]") {
  std::string message = load_error({input_path("long_duplicate.csv")});
  CHECK_THAT(message, Contains("long_duplicate.csv:5"));
  CHECK_THAT(message, Contains("lines 3 and 5"));
  CHECK_THAT(message, Contains("wren-7b"));
  CHECK_THAT(message, Contains("mmlu"));
}

TEST_CASE("long table bad score names cell", "[load]") {
  std::string message = load_error({input_path("long_bad_cell.csv")});
  CHECK_THAT(message, Contains("long_bad_cell.csv:4:2:"));
  CHECK_THAT(message, Contains("'0.45o'"));
}

TEST_CASE("long table short row is error", "[load]") {
  std::string path = write_temp("short.csv",
                                "model,benchmark,score\n"
                                "kite-1b,mmlu,0.262\n"
                                "wren-7b,mmlu\n");
  CHECK_THAT(load_error({path}), Contains("short.csv:3"));
}

TEST_CASE("long table attribute conflict is error", "[load]") {
  std::string path = write_temp("family.csv",
                                "model,benchmark,score,family\n"
                                "kite-1b,mmlu,0.262,kite\n"
                                "kite-1b,gsm8k,0.021,kestrel\n");
  std::string message = load_error({path});
  CHECK_THAT(message, Contains("family.csv:3"));
  CHECK_THAT(message, Contains("family.csv:2"));
}

TEST_CASE("long table mixed attribute column", "[load]") {
  std::string path = write_temp("mixed.csv",
                                "model,benchmark,score,family\n"
                                "kite-1b,mmlu,0.262,llama\n"
                                "wren-7b,mmlu,0.452,2\n");
  ScoreTable table = load_one(path);
  auto named_family = [](const Attribute& a) { return a.name == "family"; };
  CHECK(std::count_if(table.attributes.begin(), table.attributes.end(), named_family) == 1);
}

TEST_CASE("long table percent attribute kept", "[load]") {
  std::string path = write_temp("percent.csv",
                                "model,benchmark,score,share\n"
                                "kite-1b,mmlu,0.262,50%\n"
                                "wren-7b,mmlu,0.452,40%\n");
  ScoreTable table = load_one(path);
  const Attribute* share = table.find_attribute("share");
  REQUIRE(share != nullptr);
  CHECK(share->numeric);
  CHECK(share->values == std::vector<double>{0.5, 0.4});
}

TEST_CASE("long table percent scores", "[load]") {
  std::string path = write_temp("percent_scores.csv",
                                "model,benchmark,score\n"
                                "kite-1b,mmlu,26.2%\n"
                                "wren-7b,mmlu,45.2%\n");
  ScoreTable table = load_one(path);
  CHECK(score_of(table, "kite-1b", "mmlu") == 26.2 / 100);
  CHECK(score_of(table, "wren-7b", "mmlu") == 45.2 / 100);
}

TEST_CASE("long paper table matches wide", "[load]") {
  Warnings warnings;
  ScoreTable wide = load_dataset("paper-base", warnings);
  std::string path = write_temp("paper_base_long.csv", to_long_csv(wide));
  ScoreTable long_table = load_one(path);
  REQUIRE(long_table.models == wide.models);
  REQUIRE(long_table.benchmarks == wide.benchmarks);

  AnalysisResult expected = analyze(wide, Registry::builtin(), AnalysisOptions{});
  AnalysisResult actual = analyze(long_table, Registry::builtin(), AnalysisOptions{});
  CHECK(actual.compute_column == expected.compute_column);
  CHECK(actual.compute_models == expected.compute_models);
  CHECK(actual.capabilities.benchmarks == expected.capabilities.benchmarks);
  CHECK(actual.capabilities.loadings == expected.capabilities.loadings);
  CHECK(actual.capabilities.eigenvalues == expected.capabilities.eigenvalues);
  CHECK(actual.capabilities.explained_variance == expected.capabilities.explained_variance);
  CHECK(actual.capabilities.models == expected.capabilities.models);
  CHECK(actual.capabilities.scores == expected.capabilities.scores);
  REQUIRE(actual.benchmarks.size() == expected.benchmarks.size());
  for (std::size_t k = 0; k < expected.benchmarks.size(); ++k) {
    const BenchmarkResult& want = expected.benchmarks[k];
    const BenchmarkResult& got = actual.benchmarks[k];
    INFO("benchmark " << want.info.id);
    CHECK(got.info.id == want.info.id);
    CHECK(got.values == want.values);
    CHECK(got.skipped == want.skipped);
    CHECK(got.risk == want.risk);
    check_same_correlation(got.capabilities, want.capabilities);
    check_same_correlation(got.compute, want.compute);
    check_same_correlation(got.capabilities_given_compute, want.capabilities_given_compute);
    check_same_correlation(got.compute_given_capabilities, want.compute_given_capabilities);
  }
}

TEST_CASE("wide table is not pivoted", "[load]") {
  ScoreTable table = load_one(input_path("join_left.csv"));
  CHECK(table.models == Names{"kite-1b", "wren-7b", "heron-13b"});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
}

TEST_CASE("JSON records become rows", "[load]") {
  ScoreTable table = load_one(input_path("records.json"));
  CHECK(table.models == Names{"kite-1b", "wren-7b"});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
  CHECK(score_of(table, "wren-7b", "mmlu") == 0.452);
  CHECK(std::isnan(score_of(table, "wren-7b", "gsm8k")));
  const Attribute* family = table.find_attribute("family");
  REQUIRE(family != nullptr);
  CHECK_FALSE(family->numeric);
  CHECK(family->text == Names{"kite", "wren"});
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->numeric);
  CHECK(compute->values == std::vector<double>{2.1e21, 8.4e22});
}

TEST_CASE("JSON object of models", "[load]") {
  ScoreTable table = load_one(input_path("by_model.json"));
  CHECK(table.models == Names{"kite-1b", "wren-7b"});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
  CHECK(score_of(table, "kite-1b", "gsm8k") == 0.021);
  const Attribute* compute = table.find_attribute("FLOP");
  REQUIRE(compute != nullptr);
  CHECK(compute->numeric);
  CHECK(compute->values == std::vector<double>{2.1e21, 8.4e22});
  const Attribute* family = table.find_attribute("family");
  REQUIRE(family != nullptr);
  CHECK_FALSE(family->numeric);
}

TEST_CASE("JSON strings become text attributes", "[load]") {
  std::string path = write_temp("notes.json",
                                R"([{"model": "kite-1b", "mmlu": 0.262, "note": "base model",)"
                                R"( "parameters": 1.1e9}])");
  ScoreTable table = load_one(path);
  CHECK(table.benchmarks == Names{"mmlu"});
  const Attribute* note = table.find_attribute("note");
  REQUIRE(note != nullptr);
  CHECK_FALSE(note->numeric);
  CHECK(note->text == Names{"base model"});
  const Attribute* parameters = table.find_attribute("parameters");
  REQUIRE(parameters != nullptr);
  CHECK(parameters->numeric);
}

TEST_CASE("JSON wrong types are errors", "[load]") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"boolean score", R"([{"model": "kite-1b", "mmlu": true}])"},
      {"array score", R"([{"model": "kite-1b", "mmlu": [0.26]}])"},
      {"object score", R"([{"model": "kite-1b", "mmlu": {"acc": 0.26}}])"},
      {"record without model", R"([{"mmlu": 0.26}])"},
      {"numeric model", R"([{"model": 7, "mmlu": 0.26}])"},
      {"record not an object", R"([0.26])"},
      {"model value not an object", R"({"kite-1b": 0.26})"},
      {"boolean in object form", R"({"kite-1b": {"mmlu": false}})"},
  };
  for (const auto& [name, text] : cases) {
    INFO(name);
    std::string path = write_temp("table.json", text);
    CHECK_THAT(load_error({path}), Contains("table.json"));
  }
}

TEST_CASE("JSON number overflow names file", "[load]") {
  std::string path = write_temp("overflow.json",
                                "[\n"
                                "  {\"model\": \"kite-1b\", \"mmlu\": 1e400}\n"
                                "]\n");
  Warnings warnings;
  LoadOptions options;
  CHECK_THROWS_AS(load_input_table(path, options, warnings), InputError);
  CHECK_THAT(load_error({path}), Contains("overflow.json:2"));
}

TEST_CASE("invalid JSON table names line", "[load]") {
  std::string path = write_temp("broken.json",
                                "[\n"
                                "  {\"model\": \"kite-1b\",\n"
                                "   \"mmlu\": 0.262,,\n"
                                "  }\n"
                                "]\n");
  CHECK_THAT(load_error({path}), Contains("broken.json:3"));
}

TEST_CASE("inputs join by model id", "[load]") {
  Warnings warnings;
  ScoreTable table =
      load_inputs({input_path("join_left.csv"), input_path("join_right.csv")}, {}, warnings);
  CHECK(table.models == Names{"kite-1b", "wren-7b", "heron-13b", "osprey-30b"});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k", "truthfulqa_mc1"});
  CHECK(score_of(table, "kite-1b", "gsm8k") == 0.021);
  CHECK(score_of(table, "wren-7b", "gsm8k") == 0.148);
  CHECK(score_of(table, "kite-1b", "truthfulqa_mc1") == 0.231);
  CHECK(std::isnan(score_of(table, "osprey-30b", "mmlu")));
  CHECK(score_of(table, "osprey-30b", "gsm8k") == 0.41);
}

TEST_CASE("conflicting inputs name both places", "[load]") {
  std::string message =
      load_error({input_path("join_left.csv"), input_path("join_conflict.csv")});
  CHECK_THAT(message, Contains("join_conflict.csv:2"));
  CHECK_THAT(message, Contains("join_left.csv:3"));
  CHECK_THAT(message, Contains("gsm8k"));
}

TEST_CASE("same JSON and CSV value accepted", "[load]") {
  Warnings warnings;
  ScoreTable table =
      load_inputs({input_path("records.json"), input_path("join_left.csv")}, {}, warnings);
  CHECK(table.models == Names{"kite-1b", "wren-7b", "heron-13b"});
  CHECK(score_of(table, "wren-7b", "gsm8k") == 0.148);
}

TEST_CASE("normalize model id cases", "[load]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Meta-Llama-3-8B", "metallama38b"},
      {"meta-llama/meta_llama_3_8b", "metallama38b"},
      {"zoo/wren.7b", "wren7b"},
      {"Wren 7B", "wren7b"},
      {"kite-1b", "kite1b"},
  };
  for (const auto& [id, key] : cases) {
    INFO(id);
    CHECK(normalize_model_id(id) == key);
  }
}

TEST_CASE("models file matches exact id first", "[load]") {
  LoadOptions options;
  options.models_file = input_path("models.csv");
  Warnings warnings;
  ScoreTable table = load_inputs({input_path("join_scores.csv")}, options, warnings);
  std::size_t kite = row_of(table, "kite-1b");
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->values[kite] == 2.1e21);
  const Attribute* family = table.find_attribute("family");
  REQUIRE(family != nullptr);
  CHECK(family->text[kite] == "kite");
}

TEST_CASE("models file matches loose ids", "[load]") {
  LoadOptions options;
  options.models_file = input_path("models.csv");
  Warnings warnings;
  ScoreTable table = load_inputs({input_path("join_scores.csv")}, options, warnings);
  CHECK(table.models == Names{"kite-1b", "Meta-Llama-3-8B", "Wren 7B", "orphan-2b"});
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->values[row_of(table, "Meta-Llama-3-8B")] == 7.2e23);
  CHECK(compute->values[row_of(table, "Wren 7B")] == 8.4e22);
  CHECK(std::isnan(compute->values[row_of(table, "orphan-2b")]));
  const Attribute* parameters = table.find_attribute("parameters");
  REQUIRE(parameters != nullptr);
  CHECK(parameters->values[row_of(table, "Meta-Llama-3-8B")] == 8.0e9);
  const Attribute* family = table.find_attribute("family");
  REQUIRE(family != nullptr);
  CHECK(family->text[row_of(table, "Wren 7B")] == "wren");
}

TEST_CASE("unmatched models are warned", "[load]") {
  LoadOptions options;
  options.models_file = input_path("models.csv");
  Warnings warnings;
  load_inputs({input_path("join_scores.csv")}, options, warnings);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings.front(), Contains("orphan-2b"));
  CHECK_THAT(warnings.front(), Contains("models.csv"));
  CHECK_THAT(warnings.front(), !Contains("kite-1b"));
  CHECK_THAT(warnings.front(), !Contains("unused-9b"));
}

TEST_CASE("models file joins every input", "[load]") {
  LoadOptions options;
  options.models_file = input_path("models.csv");
  Warnings warnings;
  ScoreTable table = load_inputs({input_path("join_left.csv"), input_path("join_right.csv")},
                                 options, warnings);
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->values[row_of(table, "wren-7b")] == 8.4e22);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings.front(), Contains("heron-13b"));
  CHECK_THAT(warnings.front(), Contains("osprey-30b"));
}

TEST_CASE("aliases rename ids in every input", "[load]") {
  LoadOptions options;
  options.aliases_file = input_path("aliases.csv");
  Warnings warnings;
  ScoreTable table = load_inputs({input_path("join_left.csv"), input_path("alias_scores.csv")},
                                 options, warnings);
  CHECK(table.models == Names{"kite-1b", "wren-7b", "heron-13b"});
  CHECK(score_of(table, "kite-1b", "truthfulqa_mc1") == 0.231);
  CHECK(score_of(table, "wren-7b", "truthfulqa_mc1") == 0.251);
}

TEST_CASE("aliases apply to models file", "[load]") {
  LoadOptions options;
  options.aliases_file = input_path("aliases.csv");
  options.models_file = write_temp("models.csv", "model,training_flop\nkite-1b-v2,3.3e21\n");
  Warnings warnings;
  ScoreTable table = load_inputs({input_path("join_left.csv")}, options, warnings);
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->values[row_of(table, "kite-1b")] == 3.3e21);
}

TEST_CASE("alias file needs both columns", "[load]") {
  LoadOptions options;
  options.aliases_file = write_temp("aliases.csv", "alias,name\nkite-1b-v2,kite-1b\n");
  std::string message = load_error({input_path("join_left.csv")}, options);
  CHECK_THAT(message, Contains("aliases.csv:1"));
  CHECK_THAT(message, Contains("alias and model"));
}

TEST_CASE("aliases joining two ids is error", "[load]") {
  LoadOptions options;
  options.aliases_file = input_path("aliases.csv");
  std::string message = load_error({input_path("alias_clash.csv")}, options);
  CHECK_THAT(message, Contains("alias_clash.csv"));
  CHECK_THAT(message, Contains("'kite-1b'"));
  CHECK_THAT(message, Contains("'kite-1b-v2'"));
}

TEST_CASE("analyze joins two tables", "[load]") {
  test::RunResult run =
      test::run_safetywash({"analyze", input_path("join_left.csv"), input_path("join_right.csv"),
                            "--capabilities", "mmlu,gsm8k", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["input"]["models"] == 4);
  CHECK(doc["capabilities"]["models"] == 3);
  CHECK(doc["input"]["benchmarks"] == 3);
}

TEST_CASE("analyze conflicting tables exits 3", "[load]") {
  test::RunResult run = test::run_safetywash(
      {"analyze", input_path("join_left.csv"), input_path("join_conflict.csv")});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("join_conflict.csv:2"));
  CHECK_THAT(run.err, Contains("join_left.csv:3"));
}

TEST_CASE("analyze joins models file", "[load]") {
  test::RunResult run = test::run_safetywash(
      {"analyze", input_path("join_scores.csv"), "--models", input_path("models.csv"),
       "--capabilities", "mmlu,gsm8k", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["compute"]["column"] == "training_flop");
  CHECK(doc["compute"]["models"] == 3);
  CHECK_THAT(run.err, Contains("orphan-2b"));
}

TEST_CASE("analyze joins models to results", "[load]") {
  test::RunResult run = test::run_safetywash(
      {"analyze", input_path("lm_eval_v04"), "--models", input_path("lm_eval_models.csv"),
       "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["compute"]["column"] == "training_flop");
  CHECK(doc["compute"]["models"] == 4);
  // The join keeps the directions stated by the result files.
  bool negated = false;
  for (const json& b : doc["benchmarks"]) {
    if (b["benchmark"] == "lore_ppl") negated = b["negated"].get<bool>();
  }
  CHECK(negated);
}

TEST_CASE("dataset joins models file", "[load]") {
  std::string models = write_temp("models.csv", "model,family\nMeta-Llama-3-70B,llama\n");
  test::RunResult run = test::run_safetywash(
      {"analyze", "--dataset", "paper-base", "--models", models, "--format", "json"});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.err, !Contains("<stdin>"));
}

TEST_CASE("analyze applies aliases", "[load]") {
  test::RunResult run = test::run_safetywash(
      {"analyze", input_path("join_left.csv"), input_path("alias_scores.csv"), "--aliases",
       input_path("aliases.csv"), "--capabilities", "mmlu,gsm8k", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["input"]["models"] == 3);
}

}  // namespace safetywash
