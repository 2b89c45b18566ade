// SPDX-License-Identifier: MIT
// Tests of reading lm-evaluation-harness result files (0.3 and 0.4 formats),
// `safetywash import lm-eval` and `safetywash analyze` on result folders.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/lm_eval.h"
#include "safetywash/load.h"
#include "test_support.h"

namespace safetywash {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;
using Names = std::vector<std::string>;

// Optional sample data next to the checkout: real result files written by
// lm-evaluation-harness 0.3 and 0.4. The tests that read it are skipped with
// a warning when the folder is absent.
const fs::path kSampleResultsFolder =
    (fs::path(SAFETYWASH_TEST_DATA).parent_path().parent_path().parent_path() / "shared" /
     "data" / "lm-eval-harness")
        .lexically_normal();

std::string input_path(const std::string& name) { return test::data_path("inputs/" + name); }

LmEvalFile parse_fixture(const std::string& name, const LmEvalOptions& options = {}) {
  return parse_lm_eval(test::read_data("inputs/" + name), input_path(name), options);
}

LmEvalFile parse_text(const std::string& text, const std::string& path = "runs/results.json",
                      const LmEvalOptions& options = {}) {
  return parse_lm_eval(text, path, options);
}

std::vector<LmEvalFile> parse_folder(const std::string& folder,
                                     const LmEvalOptions& options = {}) {
  std::vector<LmEvalFile> files;
  for (const std::string& path : find_lm_eval_files(folder)) {
    files.push_back(parse_lm_eval(read_input(path), path, options));
  }
  return files;
}

ScoreTable folder_table(const std::string& folder, const LmEvalOptions& options = {}) {
  Warnings warnings;
  return lm_eval_table(parse_folder(folder, options), warnings);
}

const LmEvalScore* find_score(const LmEvalFile& file, const std::string& task) {
  for (const LmEvalScore& score : file.scores) {
    if (score.task == task) return &score;
  }
  return nullptr;
}

Names tasks_of(const LmEvalFile& file) {
  Names tasks;
  for (const LmEvalScore& score : file.scores) tasks.push_back(score.task);
  return tasks;
}

double score_of(const ScoreTable& table, const std::string& model, const std::string& benchmark) {
  auto row = std::find(table.models.begin(), table.models.end(), model);
  REQUIRE(row != table.models.end());
  auto column = table.find_benchmark(benchmark);
  REQUIRE(column.has_value());
  return table.scores(static_cast<Eigen::Index>(row - table.models.begin()),
                      static_cast<Eigen::Index>(*column));
}

// Returns the message of the InputError that `action` throws, or an empty
// string when it succeeds.
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

const json* find_benchmark(const json& doc, const std::string& id) {
  for (const json& b : doc["benchmarks"]) {
    if (b["benchmark"] == id) return &b;
  }
  return nullptr;
}

Names csv_lines(const std::string& text) {
  Names lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("model id from model_name", "[lm_eval]") {
  // The file's pretrained= value (acme/edge-2b-base) differs, and model_name wins.
  CHECK(parse_fixture("lm_eval_edge_v04.json").model == "acme/edge-2b");
}

TEST_CASE("model id from pretrained argument", "[lm_eval]") {
  LmEvalFile file = parse_fixture("lm_eval_v04/acme__beta-3b/results_2025-01-11T10-00-00.json");
  CHECK(file.model == "acme/beta-3b");
}

TEST_CASE("model id from checkpoint path", "[lm_eval]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pretrained=/data/ckpt/7B,dtype=float16", "7B"},
      {"pretrained=/data/ckpt/gamma-7b/,dtype=float16", "gamma-7b"},
      {"pretrained=./x", "x"},
      {"pretrained=~/y,trust_remote_code=True", "y"},
      {"pretrained=../runs/step-1000", "step-1000"},
      {"dtype=float16,pretrained=org/name", "org/name"},
  };
  for (const auto& [args, model] : cases) {
    INFO(args);
    json doc = {{"results", json::object()}, {"config", {{"model_args", args}}}};
    CHECK(parse_text(doc.dump()).model == model);
  }
}

TEST_CASE("model id falls back to file name", "[lm_eval]") {
  const char* without_pretrained =
      R"({"results": {}, "config": {"model_args": "dtype=float16"}})";
  CHECK(parse_text(without_pretrained, "runs/sparrow-2b.json").model == "sparrow-2b");
  CHECK(parse_text(R"({"results": {}})", "runs/sparrow-2b.json").model == "sparrow-2b");
  CHECK(parse_text(R"({"results": {}, "model_name": ""})", "sparrow-2b.json").model ==
        "sparrow-2b");
}

TEST_CASE("default metric order per task", "[lm_eval]") {
  struct Case {
    const char* entry;
    const char* higher_is_better;  // the task's higher_is_better block, or null
    const char* metric;
    const char* filter;
    double value;
  };
  const std::vector<Case> cases = {
      {R"({"acc,none": 0.5, "acc_norm,none": 0.6})", nullptr, "acc_norm", "none", 0.6},
      {R"({"f1,none": 0.3, "acc,none": 0.5})", nullptr, "acc", "none", 0.5},
      {R"({"mc1,none": 0.2, "exact_match,none": 0.4})", nullptr, "exact_match", "none", 0.4},
      {R"({"exact_match,flexible-extract": 0.15, "exact_match,strict-match": 0.13,
           "exact_match,none": 0.12})",
       nullptr, "exact_match", "strict-match", 0.13},
      {R"({"exact_match,flexible-extract": 0.15, "exact_match,none": 0.12})", nullptr,
       "exact_match", "none", 0.12},
      {R"({"exact_match,flexible-extract": 0.15, "exact_match,custom-extract": 0.1})", nullptr,
       "exact_match", "flexible-extract", 0.15},
      {R"({"mc1,none": 0.24, "mc2,none": 0.39})", nullptr, "mc2", "none", 0.39},
      {R"({"f1,none": 0.3, "mc1,none": 0.24})", nullptr, "mc1", "none", 0.24},
      {R"({"em,none": 0.11, "f1,none": 0.19})", nullptr, "f1", "none", 0.19},
      {R"({"bleu,none": 9.0, "em,none": 0.11})", nullptr, "em", "none", 0.11},
      {R"({"acc": 0.5, "acc_stderr": 0.01, "acc_norm": 0.6})", nullptr, "acc_norm", "", 0.6},
      {R"({"edit_distance,none": 7.5, "overlap,none": 0.41})",
       R"({"edit_distance": false, "overlap": true})", "overlap", "none", 0.41},
      {R"({"zeta,none": 3.0, "alpha_metric,none": 2.0})", nullptr, "zeta", "none", 3.0},
      {R"({"zeta_stderr,none": 0.1, "zeta,none": 3.0})", nullptr, "zeta", "none", 3.0},
  };
  for (const Case& c : cases) {
    INFO(c.entry);
    // ordered_json keeps the metric order of the entry, which the rules depend on.
    nlohmann::ordered_json doc = {{"results", {{"quiz", nlohmann::ordered_json::parse(c.entry)}}}};
    if (c.higher_is_better != nullptr) {
      doc["higher_is_better"] = {{"quiz", nlohmann::ordered_json::parse(c.higher_is_better)}};
    }
    LmEvalFile file = parse_text(doc.dump());
    REQUIRE(file.scores.size() == 1);
    CHECK(file.scores[0].task == "quiz");
    CHECK(file.scores[0].metric == c.metric);
    CHECK(file.scores[0].filter == c.filter);
    CHECK(file.scores[0].value == c.value);
  }
}

TEST_CASE("edge file metric choices", "[lm_eval]") {
  struct Expected {
    const char* task;
    const char* metric;
    const char* filter;
    double value;
  };
  const std::vector<Expected> expected = {
      {"arc_challenge", "acc_norm", "none", 0.44},
      {"hellaswag", "acc", "none", 0.52},
      {"gsm8k", "exact_match", "strict-match", 0.27},
      {"arith_steps", "exact_match", "none", 0.12},
      {"truthful_pair", "mc2", "none", 0.39},
      {"drop_lite", "f1", "none", 0.19},
      {"quirk_task", "overlap", "none", 0.41},
      {"plain_first", "zeta", "none", 3.0},
      {"lore_ppl", "perplexity", "none", 14.2},
      {"mmlu", "acc", "none", 0.45},
  };
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json");
  for (const Expected& e : expected) {
    INFO(e.task);
    const LmEvalScore* score = find_score(file, e.task);
    REQUIRE(score != nullptr);
    CHECK(score->metric == e.metric);
    CHECK(score->filter == e.filter);
    CHECK(score->value == e.value);
  }
  CHECK(file.scores.size() == expected.size());
}

TEST_CASE("stderr placeholders are ignored", "[lm_eval]") {
  // The edge file has stderr values "N/A", [] and null, and a null acc_norm.
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json");
  for (const LmEvalScore& score : file.scores) {
    INFO(score.task);
    CHECK_THAT(score.metric, !Contains("stderr"));
    CHECK(std::isfinite(score.value));
  }
}

TEST_CASE("group without metrics is ignored", "[lm_eval]") {
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json");
  CHECK(find_score(file, "reading_suite") == nullptr);
}

TEST_CASE("subtasks of groups are dropped", "[lm_eval]") {
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json");
  CHECK(find_score(file, "mmlu") != nullptr);
  CHECK(find_score(file, "mmlu_humanities") == nullptr);
  CHECK(find_score(file, "mmlu_formal_logic") == nullptr);
}

TEST_CASE("subtasks kept with option", "[lm_eval]") {
  LmEvalOptions options;
  options.subtasks = true;
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json", options);
  const LmEvalScore* logic = find_score(file, "mmlu_formal_logic");
  REQUIRE(logic != nullptr);
  CHECK(logic->value == 0.33);
  CHECK(find_score(file, "mmlu_humanities") != nullptr);
  CHECK(find_score(file, "mmlu") != nullptr);
  Names tasks = tasks_of(file);
  CHECK(std::count(tasks.begin(), tasks.end(), "mmlu") == 1);
}

TEST_CASE("directions from higher_is_better", "[lm_eval]") {
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json");
  const LmEvalScore* perplexity = find_score(file, "lore_ppl");
  REQUIRE(perplexity != nullptr);
  CHECK(perplexity->higher_is_better == std::optional<bool>(false));
  const LmEvalScore* quirk = find_score(file, "quirk_task");
  REQUIRE(quirk != nullptr);
  CHECK(quirk->higher_is_better == std::optional<bool>(true));
  const LmEvalScore* arc = find_score(file, "arc_challenge");
  REQUIRE(arc != nullptr);
  CHECK_FALSE(arc->higher_is_better.has_value());
}

TEST_CASE("v0.3 lower-is-better metrics", "[lm_eval]") {
  LmEvalFile file = parse_fixture("lm_eval_v03/kestrel-7b_alignment_0-shot.json");
  const LmEvalScore* crows = find_score(file, "crows_pairs_english");
  REQUIRE(crows != nullptr);
  CHECK(crows->metric == "likelihood_difference");
  CHECK(crows->higher_is_better == std::optional<bool>(false));
  const LmEvalScore* gender = find_score(file, "crows_pairs_english_gender");
  REQUIRE(gender != nullptr);
  CHECK(gender->metric == "pct_stereotype");
  CHECK(gender->higher_is_better == std::optional<bool>(false));
  const LmEvalScore* ethics = find_score(file, "ethics_cm");
  REQUIRE(ethics != nullptr);
  CHECK_FALSE(ethics->higher_is_better.has_value());
}

TEST_CASE("perplexity direction without block", "[lm_eval]") {
  LmEvalFile file = parse_text(R"({"results": {"wiki_lite": {"word_perplexity,none": 18.5}}})");
  REQUIRE(file.scores.size() == 1);
  CHECK(file.scores[0].higher_is_better == std::optional<bool>(false));
}

TEST_CASE("table keeps stated directions", "[lm_eval]") {
  ScoreTable table = folder_table(input_path("lm_eval_v04"));
  REQUIRE(table.higher_is_better.count("lore_ppl") == 1);
  CHECK_FALSE(table.higher_is_better.at("lore_ppl"));
  REQUIRE(table.higher_is_better.count("arc_challenge") == 1);
  CHECK(table.higher_is_better.at("arc_challenge"));
}

TEST_CASE("parameters from model_num_parameters", "[lm_eval]") {
  CHECK(parse_fixture("lm_eval_edge_v04.json").parameters == std::optional<double>(2e9));
  ScoreTable table = folder_table(input_path("lm_eval_v04"));
  const Attribute* parameters = table.find_attribute("parameters");
  REQUIRE(parameters != nullptr);
  CHECK(parameters->numeric);
  REQUIRE(parameters->values.size() == 4);
  CHECK(parameters->values[0] == 1.1e9);
  CHECK(parameters->values[1] == 3.2e9);
  CHECK(parameters->values[2] == 13e9);
  CHECK(std::isnan(parameters->values[3]));
}

TEST_CASE("metric override picks named metric", "[lm_eval]") {
  LmEvalOptions options;
  options.metrics["gsm8k"] = {"exact_match", "flexible-extract"};
  options.metrics["arc_challenge"] = {"acc", ""};
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json", options);
  const LmEvalScore* gsm8k = find_score(file, "gsm8k");
  REQUIRE(gsm8k != nullptr);
  CHECK(gsm8k->filter == "flexible-extract");
  CHECK(gsm8k->value == 0.31);
  const LmEvalScore* arc = find_score(file, "arc_challenge");
  REQUIRE(arc != nullptr);
  CHECK(arc->metric == "acc");
  CHECK(arc->value == 0.41);
}

TEST_CASE("metric override without filter", "[lm_eval]") {
  // With no filter named, the filter rule of the default choice applies:
  // strict-match, then none, then the first.
  LmEvalOptions options;
  options.metrics["gsm8k"] = {"exact_match", ""};
  LmEvalFile file = parse_fixture("lm_eval_edge_v04.json", options);
  const LmEvalScore* gsm8k = find_score(file, "gsm8k");
  REQUIRE(gsm8k != nullptr);
  CHECK(gsm8k->filter == "strict-match");
  CHECK(gsm8k->value == 0.27);
}

TEST_CASE("metric override missing is error", "[lm_eval]") {
  LmEvalOptions options;
  options.metrics["arc_challenge"] = {"f1", ""};
  std::string message = error_of([&] { parse_fixture("lm_eval_edge_v04.json", options); });
  CHECK_THAT(message, Contains("lm_eval_edge_v04.json"));
  CHECK_THAT(message, Contains("arc_challenge"));
  CHECK_THAT(message, Contains("'f1'"));
}

TEST_CASE("metric override missing filter is error", "[lm_eval]") {
  LmEvalOptions options;
  options.metrics["gsm8k"] = {"exact_match", "custom-extract"};
  std::string message = error_of([&] { parse_fixture("lm_eval_edge_v04.json", options); });
  CHECK_THAT(message, Contains("exact_match,custom-extract"));
}

TEST_CASE("folder search finds result files", "[lm_eval]") {
  std::string folder = input_path("lm_eval_v04");
  Names expected = {
      folder + "/acme__alpha-1b/results_2025-01-10T10-00-00.json",
      folder + "/acme__beta-3b/results_2025-01-11T10-00-00.json",
      folder + "/delta_eval.json",
      folder + "/gamma/results_2025-01-12T10-00-00.json",
  };
  CHECK(find_lm_eval_files(folder) == expected);
}

TEST_CASE("folder without results is error", "[lm_eval]") {
  std::string folder = test::temp_folder();
  test::write_text(folder + "/notes.json", R"({"note": "no results"})");
  std::string message = error_of([&] { find_lm_eval_files(folder); });
  CHECK_THAT(message, Contains(folder));
}

TEST_CASE("v0.4 folder gives one row per model", "[lm_eval]") {
  ScoreTable table = folder_table(input_path("lm_eval_v04"));
  CHECK(table.models == Names{"acme/alpha-1b", "acme/beta-3b", "acme/delta-13b", "gamma-7b"});
  CHECK(table.benchmarks == Names{"arc_challenge", "hellaswag", "mmlu", "gsm8k", "lore_ppl"});
  CHECK(score_of(table, "acme/alpha-1b", "arc_challenge") == 0.285);
  CHECK(score_of(table, "gamma-7b", "hellaswag") == 0.69);
  CHECK(score_of(table, "acme/delta-13b", "gsm8k") == 0.33);
  CHECK(score_of(table, "acme/beta-3b", "lore_ppl") == 22.4);
}

TEST_CASE("files of one model merge", "[lm_eval]") {
  ScoreTable table = folder_table(input_path("lm_eval_split"));
  CHECK(table.models == Names{"acme/alpha-1b"});
  CHECK(table.benchmarks == Names{"arc_challenge", "hellaswag", "mmlu"});
  CHECK(score_of(table, "acme/alpha-1b", "mmlu") == 0.26);
}

TEST_CASE("conflicting task values name files", "[lm_eval]") {
  std::string message = error_of([] { folder_table(input_path("lm_eval_conflict")); });
  CHECK_THAT(message, Contains("run_a.json"));
  CHECK_THAT(message, Contains("run_b.json"));
  CHECK_THAT(message, Contains("arc_challenge"));
}

TEST_CASE("bare NaN names file and line", "[lm_eval]") {
  std::string message = error_of([] { parse_fixture("lm_eval_nan.json"); });
  CHECK_THAT(message, StartsWith(input_path("lm_eval_nan.json") + ":5:"));
}

TEST_CASE("number overflow names file and line", "[lm_eval]") {
  const char* text =
      "{\n"
      "  \"results\": {\"arc_challenge\": {\"acc,none\": 1e400}},\n"
      "  \"model_name\": \"acme/alpha-1b\"\n"
      "}\n";
  CHECK_THROWS_AS(parse_text(text, "runs/overflow.json"), InputError);
  std::string message = error_of([&] { parse_text(text, "runs/overflow.json"); });
  CHECK_THAT(message, StartsWith("runs/overflow.json:2"));
}

TEST_CASE("NaN result file in folder", "[lm_eval]") {
  std::string folder = test::temp_folder();
  test::write_text(folder + "/results_2025-01-01.json", test::read_data("inputs/lm_eval_nan.json"));
  std::string message = error_of([&] { folder_table(folder); });
  CHECK_THAT(message, Contains("results_2025-01-01.json:5"));
}

TEST_CASE("v0.3 suites merge per model", "[lm_eval]") {
  ScoreTable table = folder_table(input_path("lm_eval_v03"));
  CHECK(table.models == Names{"kestrel-7b", "zoo/osprey-3b"});
  CHECK(table.benchmarks.size() == 6);
  CHECK(score_of(table, "kestrel-7b", "arc_challenge") == 0.41);
  CHECK(score_of(table, "kestrel-7b", "crows_pairs_english") == 3.9);
  CHECK(score_of(table, "zoo/osprey-3b", "mc_taco") == 0.41);
  CHECK(score_of(table, "zoo/osprey-3b", "ethics_cm") == 0.52);
  CHECK(table.attributes.empty());
}

TEST_CASE("metric report lists choices", "[lm_eval]") {
  std::string report = lm_eval_metric_report(parse_folder(input_path("lm_eval_v04")));
  CHECK(report ==
        "task,metric,filter,higher_is_better,files\n"
        "arc_challenge,acc_norm,none,true,4\n"
        "hellaswag,acc_norm,none,true,4\n"
        "mmlu,acc,none,true,4\n"
        "gsm8k,exact_match,strict-match,true,4\n"
        "lore_ppl,perplexity,none,false,4\n");
}

TEST_CASE("metric report leaves unknown direction empty", "[lm_eval]") {
  std::string report = lm_eval_metric_report(parse_folder(input_path("lm_eval_v03")));
  CHECK_THAT(report, Contains("\nethics_cm,acc,,,2\n"));
  CHECK_THAT(report, Contains("\ncrows_pairs_english,likelihood_difference,,false,2\n"));
}

TEST_CASE("result detection needs results object", "[lm_eval]") {
  CHECK(is_lm_eval_result(R"({"results": {}})"));
  CHECK_FALSE(is_lm_eval_result(R"({"results": []})"));
  CHECK_FALSE(is_lm_eval_result(R"([{"model": "a", "results": 1}])"));
  CHECK_FALSE(is_lm_eval_result(R"({"a-model": {"mmlu": 0.3}})"));
  CHECK_FALSE(is_lm_eval_result(R"({"results": {"x": NaN}})"));
}

TEST_CASE("load reads result folder", "[lm_eval]") {
  Warnings warnings;
  ScoreTable table = load_input_table(input_path("lm_eval_v04"), {}, warnings);
  CHECK(table.models.size() == 4);
  ScoreTable single = load_input_table(input_path("lm_eval_edge_v04.json"), {}, warnings);
  CHECK(single.models == Names{"acme/edge-2b"});
}

TEST_CASE("import writes one row per model", "[lm_eval]") {
  test::RunResult run = test::run_safetywash({"import", "lm-eval", input_path("lm_eval_v04")});
  REQUIRE(run.exit_code == 0);
  Names lines = csv_lines(run.out);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "model,parameters,arc_challenge,hellaswag,mmlu,gsm8k,lore_ppl");
  CHECK(lines[1] == "acme/alpha-1b,1100000000,0.285,0.44,0.26,0.02,31.5");
  CHECK(lines[4] == "gamma-7b,,0.4215,0.69,0.48,0.18,15.8");
}

TEST_CASE("import json gives records", "[lm_eval]") {
  test::RunResult run = test::run_safetywash(
      {"import", "lm-eval", input_path("lm_eval_v04"), "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  REQUIRE(doc.is_array());
  REQUIRE(doc.size() == 4);
  CHECK(doc[0]["model"] == "acme/alpha-1b");
  CHECK(doc[0]["parameters"] == 1.1e9);
  CHECK(doc[0]["gsm8k"] == 0.02);
  CHECK(doc[3]["model"] == "gamma-7b");
  CHECK_FALSE(doc[3].contains("parameters"));
}

TEST_CASE("import rejects table format", "[lm_eval]") {
  test::RunResult run = test::run_safetywash(
      {"import", "lm-eval", input_path("lm_eval_v04"), "--format", "table"});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
}

TEST_CASE("import metric report on stderr", "[lm_eval]") {
  test::RunResult run = test::run_safetywash(
      {"import", "lm-eval", input_path("lm_eval_v04"), "--metric-report"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Contains("task,metric,filter,higher_is_better,files\n"));
  CHECK_THAT(run.err, Contains("gsm8k,exact_match,strict-match,true,4\n"));
  CHECK_THAT(run.out, !Contains("higher_is_better"));
}

TEST_CASE("import writes output file", "[lm_eval]") {
  std::string out = test::temp_folder() + "/scores.csv";
  test::RunResult run =
      test::run_safetywash({"import", "lm-eval", input_path("lm_eval_split"), "-o", out});
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.empty());
  CHECK(test::read_text(out) ==
        "model,parameters,arc_challenge,hellaswag,mmlu\n"
        "acme/alpha-1b,1100000000,0.285,0.44,0.26\n");
}

TEST_CASE("import metric option overrides", "[lm_eval]") {
  test::RunResult run =
      test::run_safetywash({"import", "lm-eval", input_path("lm_eval_v04"), "--metric",
                            "gsm8k=exact_match,flexible-extract", "--metric", "arc_challenge=acc"});
  REQUIRE(run.exit_code == 0);
  Names lines = csv_lines(run.out);
  REQUIRE(lines.size() == 5);
  CHECK(lines[1] == "acme/alpha-1b,1100000000,0.25,0.44,0.26,0.03,31.5");
}

TEST_CASE("import missing metric exits 3", "[lm_eval]") {
  test::RunResult run = test::run_safetywash(
      {"import", "lm-eval", input_path("lm_eval_v04"), "--metric", "arc_challenge=f1"});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("arc_challenge"));
  CHECK_THAT(run.err, Contains("results_2025-01-10T10-00-00.json"));
}

TEST_CASE("import subtasks option", "[lm_eval]") {
  test::RunResult run = test::run_safetywash(
      {"import", "lm-eval", input_path("lm_eval_v04"), "--subtasks"});
  REQUIRE(run.exit_code == 0);
  Names header = csv_lines(run.out);
  REQUIRE_FALSE(header.empty());
  CHECK_THAT(header[0], Contains(",mmlu_formal_logic"));
  CHECK_THAT(header[0], Contains(",mmlu_humanities"));
  CHECK_THAT(header[0], Contains(",mmlu,"));
}

TEST_CASE("import conflicting files exits 3", "[lm_eval]") {
  test::RunResult run = test::run_safetywash({"import", "lm-eval", input_path("lm_eval_conflict")});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("run_a.json"));
  CHECK_THAT(run.err, Contains("run_b.json"));
}

TEST_CASE("import NaN file exits 3", "[lm_eval]") {
  test::RunResult run = test::run_safetywash({"import", "lm-eval", input_path("lm_eval_nan.json")});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("lm_eval_nan.json:5"));
}

TEST_CASE("analyze negates lower-is-better task", "[lm_eval]") {
  test::RunResult run =
      test::run_safetywash({"analyze", input_path("lm_eval_v04"), "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["input"]["models"] == 4);
  const json* perplexity = find_benchmark(doc, "lore_ppl");
  REQUIRE(perplexity != nullptr);
  CHECK((*perplexity)["negated"] == true);
  // Perplexity falls as the other tasks rise, so the negated column rises.
  CHECK((*perplexity)["capabilities_correlation"]["r"].get<double>() > 0.9);
  const json* arc = find_benchmark(doc, "arc_challenge");
  REQUIRE(arc != nullptr);
  CHECK((*arc)["negated"] == false);
}

TEST_CASE("analyze reports stated direction", "[lm_eval]") {
  // lore_ppl is not in the registry. Only the result files state that lower
  // perplexity is better, and the analysis negates it for that reason.
  test::RunResult run =
      test::run_safetywash({"analyze", input_path("lm_eval_v04"), "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  const json* perplexity = find_benchmark(doc, "lore_ppl");
  REQUIRE(perplexity != nullptr);
  CHECK((*perplexity)["higher_is_better"] == false);
}

TEST_CASE("analyze accepts result files", "[lm_eval]") {
  std::string folder = input_path("lm_eval_v04");
  test::RunResult run = test::run_safetywash(
      {"analyze", folder + "/acme__alpha-1b/results_2025-01-10T10-00-00.json",
       folder + "/acme__beta-3b/results_2025-01-11T10-00-00.json",
       folder + "/gamma/results_2025-01-12T10-00-00.json", folder + "/delta_eval.json",
       "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["input"]["models"] == 4);
  CHECK(doc["capabilities"]["models"] == 4);
  const json* perplexity = find_benchmark(doc, "lore_ppl");
  REQUIRE(perplexity != nullptr);
  CHECK((*perplexity)["negated"] == true);
}

TEST_CASE("analyze NaN file exits 3", "[lm_eval]") {
  test::RunResult run = test::run_safetywash({"analyze", input_path("lm_eval_nan.json")});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("lm_eval_nan.json:5"));
}

TEST_CASE("sample v0.4 results load", "[lm_eval]") {
  fs::path folder = kSampleResultsFolder / "new_format_v0.4";
  if (!fs::is_directory(folder)) {
    WARN("skipped: no sample result folder at " << folder.string());
    return;
  }
  std::vector<std::string> paths = find_lm_eval_files(folder.string());
  ScoreTable table = folder_table(folder.string());
  CHECK(table.models.size() == 3);
  CHECK(table.find_benchmark("mmlu").has_value());
  CHECK_FALSE(table.find_benchmark("mmlu_formal_logic").has_value());
  CHECK_FALSE(table.find_benchmark("mmlu_humanities").has_value());
  REQUIRE(paths.size() == 3);
  for (const std::string& path : paths) {
    json doc = json::parse(test::read_text(path));
    INFO(path);
    double expected = doc["results"]["arc_challenge"]["acc_norm,none"].get<double>();
    CHECK(score_of(table, doc["model_name"].get<std::string>(), "arc_challenge") == expected);
  }
}

TEST_CASE("sample v0.3 results load", "[lm_eval]") {
  fs::path folder = kSampleResultsFolder / "old_format_v0.3";
  if (!fs::is_directory(folder)) {
    WARN("skipped: no sample result folder at " << folder.string());
    return;
  }
  ScoreTable table = folder_table(folder.string());
  CHECK(table.models == Names{"bigscience/bloom-7b1", "7B", "mosaicml/mpt-7b"});
  // Model id of each file, by the file name's first part.
  const std::map<std::string, std::string> ids = {
      {"bloom-7b1", "bigscience/bloom-7b1"}, {"llama-7B", "7B"}, {"mpt-7b", "mosaicml/mpt-7b"}};
  for (const std::string& path : find_lm_eval_files(folder.string())) {
    std::string name = fs::path(path).filename().string();
    std::string model = ids.at(name.substr(0, name.find('_')));
    json doc = json::parse(test::read_text(path));
    for (const auto& [task, entry] : doc["results"].items()) {
      INFO(name << " " << task);
      double value = score_of(table, model, task);
      if (entry.contains("acc_norm")) {
        CHECK(value == entry["acc_norm"].get<double>());
      } else {
        CHECK_FALSE(std::isnan(value));
      }
    }
  }
  // Both suites of one model land in one row.
  CHECK_FALSE(std::isnan(score_of(table, "7B", "arc_challenge")));
  CHECK_FALSE(std::isnan(score_of(table, "7B", "crows_pairs_english_age")));
  CHECK(std::isnan(score_of(table, "bigscience/bloom-7b1", "crows_pairs_english_age")));
}

}  // namespace safetywash
