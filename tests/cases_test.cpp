// SPDX-License-Identifier: MIT
// Hard cases of reading tables and of the statistics, run through the binary.
// The expected numbers come from tests/data/cases/make_case_references.py,
// an independent Python implementation of the method (see
// tests/data/README.md, "Hard cases").
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using nlohmann::json;
using test::run_safetywash;

// Coefficients, loadings, explained variance and scores.
constexpr double kAbsoluteTolerance = 1e-9;
// p-values and interval bounds.
constexpr double kRelativeTolerance = 1e-6;
// A p-value that is 0 in the limit (|r| = 1 under the t test) may come out
// as a tiny positive number when r is computed as 1 - 2^-53.
constexpr double kZeroTolerance = 1e-15;

std::string case_file(const std::string& folder, const std::string& file) {
  return test::data_path("cases/" + folder + "/" + file);
}

json read_reference(const std::string& folder, const std::string& run) {
  return test::read_json("cases/" + folder + "/" + run + ".json");
}

std::string join_names(const json& names) {
  std::string joined;
  for (const json& name : names) {
    if (!joined.empty()) joined += ",";
    joined += name.get<std::string>();
  }
  return joined;
}

// Returns the arguments of `analyze` with the roles, compute column and
// method of a reference, reading `inputs` from the case folder.
std::vector<std::string> analyze_arguments(const json& reference,
                                           const std::string& folder,
                                           const std::vector<std::string>& inputs) {
  std::vector<std::string> args = {"analyze"};
  for (const std::string& input : inputs) args.push_back(case_file(folder, input));
  args.insert(args.end(),
              {"--capabilities",
               join_names(reference["capabilities"]),
               "--safety",
               join_names(reference["safety"]),
               "--method",
               reference["method"].get<std::string>(),
               "--format",
               "json"});
  if (!reference["compute"].is_null()) {
    args.insert(args.end(), {"--compute", reference["compute"].get<std::string>()});
  }
  return args;
}

std::vector<std::string> reference_inputs(const json& reference) {
  return reference["inputs"].get<std::vector<std::string>>();
}

const json* find_benchmark(const json& doc, const std::string& id) {
  for (const json& b : doc["benchmarks"]) {
    if (b["benchmark"] == id) return &b;
  }
  return nullptr;
}

std::map<std::string, double> scores_by_model(const json& doc) {
  std::map<std::string, double> scores;
  for (const json& entry : doc["capabilities"]["scores"]) {
    if (entry["score"].is_number()) scores[entry["model"]] = entry["score"].get<double>();
  }
  return scores;
}

void check_coefficient(const json& actual, const json& expected) {
  if (expected.is_null()) {
    CHECK(actual.is_null());
    return;
  }
  CHECK(actual.is_number());
  if (!actual.is_number()) return;
  double value = actual.get<double>();
  CHECK_THAT(value, WithinAbs(expected.get<double>(), kAbsoluteTolerance));
  CHECK(value <= 1.0);
  CHECK(value >= -1.0);
}

void check_relative(const json& actual, const json& expected) {
  if (expected.is_null()) {
    CHECK(actual.is_null());
    return;
  }
  CHECK(actual.is_number());
  if (!actual.is_number()) return;
  double want = expected.get<double>();
  CHECK_THAT(actual.get<double>(),
             WithinRel(want, kRelativeTolerance) || WithinAbs(want, kZeroTolerance));
}

// Compares one correlation object of the output with a reference entry
// ({n, r, p, ci_low, ci_high} and, for reported benchmarks, p_adjusted).
void check_correlation(const json& actual, const json& expected) {
  CHECK(actual.is_object());
  if (!actual.is_object()) return;
  CHECK(actual["n"] == expected["n"]);
  check_coefficient(actual["r"], expected["r"]);
  INFO("p");
  check_relative(actual["p"], expected["p"]);
  INFO("ci_low");
  check_relative(actual["ci_low"], expected["ci_low"]);
  INFO("ci_high");
  check_relative(actual["ci_high"], expected["ci_high"]);
  if (expected.contains("p_adjusted")) {
    INFO("p_adjusted");
    check_relative(actual["p_adjusted"], expected["p_adjusted"]);
  }
}

void check_capabilities(const json& doc, const json& reference) {
  const json& caps = doc["capabilities"];
  CHECK(caps["benchmarks"] == reference["capabilities_used"]);
  CHECK(caps["models"] == reference["capabilities_models"]);
  CHECK_THAT(caps["explained_variance"].get<double>(),
             WithinAbs(reference["explained_variance"].get<double>(), kAbsoluteTolerance));
  for (const auto& [name, loading] : reference["loadings"].items()) {
    INFO("loading of " << name);
    CHECK(caps["loadings"].contains(name));
    if (!caps["loadings"].contains(name)) continue;
    CHECK_THAT(caps["loadings"][name].get<double>(),
               WithinAbs(loading.get<double>(), kAbsoluteTolerance));
  }
  std::map<std::string, double> scores = scores_by_model(doc);
  CHECK(scores.size() == reference["scores"].size());
  for (const auto& [model, score] : reference["scores"].items()) {
    INFO("score of " << model);
    CHECK(scores.count(model) == 1);
    if (scores.count(model) == 0) continue;
    CHECK_THAT(scores[model], WithinAbs(score.get<double>(), kAbsoluteTolerance));
  }
  std::vector<std::string> excluded;
  for (const json& entry : caps["excluded_models"]) excluded.push_back(entry["model"]);
  CHECK(excluded == reference["excluded_models"].get<std::vector<std::string>>());
}

void check_benchmarks(const json& doc, const json& reference) {
  for (const auto& [id, expected] : reference["benchmarks"].items()) {
    INFO("benchmark " << id);
    const json* b = find_benchmark(doc, id);
    CHECK(b != nullptr);
    if (b == nullptr) continue;
    CHECK((*b)["role"] == expected["role"]);
    if (expected.contains("skipped")) {
      CHECK((*b)["skipped"] == expected["skipped"]);
      CHECK((*b)["capabilities_correlation"]["r"].is_null());
      CHECK((*b)["capabilities_correlation"]["p"].is_null());
      continue;
    }
    CHECK_FALSE(b->contains("skipped"));
    CHECK((*b)["n"] == expected["n"]);
    {
      INFO("capabilities correlation");
      check_correlation((*b)["capabilities_correlation"], expected);
    }
    if (expected.contains("compute")) {
      INFO("compute correlation");
      check_correlation((*b)["compute_correlation"], expected["compute"]);
    } else {
      CHECK((*b)["compute_correlation"].is_null());
    }
  }
}

// Runs `analyze` on `inputs` with the roles and method of the reference and
// checks every number the reference holds. Returns the run for further checks.
test::RunResult check_run(const std::string& folder,
                          const std::string& run_name,
                          const std::vector<std::string>& inputs = {}) {
  json reference = read_reference(folder, run_name);
  std::vector<std::string> files = inputs.empty() ? reference_inputs(reference) : inputs;
  INFO("case " << folder << ", reference " << run_name << ", input " << files.front());
  test::RunResult run = run_safetywash(analyze_arguments(reference, folder, files));
  INFO("stderr: " << run.err);
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  check_capabilities(doc, reference);
  check_benchmarks(doc, reference);
  return run;
}

json output_of(const test::RunResult& run) { return json::parse(run.out); }

// Runs `analyze` with the roles of a reference on a file expected to be
// rejected, and returns the run.
test::RunResult run_rejected(const std::string& folder,
                             const std::string& run_name,
                             const std::string& input) {
  json reference = read_reference(folder, run_name);
  return run_safetywash(analyze_arguments(reference, folder, {input}));
}

}  // namespace

TEST_CASE("ties with missing values", "[cases]") {
  SECTION("spearman uses exact p over the 8 pairs") {
    json doc = output_of(check_run("ties_missing", "spearman"));
    const json* b = find_benchmark(doc, "candor_probe");
    REQUIRE(b != nullptr);
    CHECK((*b)["capabilities_correlation"]["p_method"] == "exact-permutation");
  }
  SECTION("kendall uses the tie-corrected normal p") {
    json doc = output_of(check_run("ties_missing", "kendall"));
    const json* b = find_benchmark(doc, "refuse_harm");
    REQUIRE(b != nullptr);
    CHECK((*b)["capabilities_correlation"]["p_method"] == "normal");
  }
  SECTION("pearson") { check_run("ties_missing", "pearson"); }
}

TEST_CASE("constant safety columns", "[cases]") {
  for (const char* method : {"spearman", "pearson", "kendall"}) {
    DYNAMIC_SECTION(method) {
      test::RunResult run = check_run("constant_safety", method);
      CHECK_THAT(run.err, Contains("steady_refuse"));
      CHECK_THAT(run.err, Contains("flat_gap"));
      CHECK_THAT(run.err, !Contains("hairline_gap"));
    }
  }
}

TEST_CASE("constant capability column", "[cases]") {
  for (const char* method : {"spearman", "pearson", "kendall"}) {
    for (const char* input : {"table_rounding.csv", "table_exact.csv"}) {
      DYNAMIC_SECTION(method << " on " << input) {
        test::RunResult run = check_run("constant_capability", method, {input});
        CHECK_THAT(run.err, Contains("'story_cloze'"));
        json doc = output_of(run);
        CHECK_FALSE(doc["capabilities"]["loadings"].contains("story_cloze"));
      }
    }
  }
}

TEST_CASE("n of 2 to 4 after deletion", "[cases]") {
  for (const char* method : {"spearman", "pearson", "kendall"}) {
    DYNAMIC_SECTION(method) {
      json doc = output_of(check_run("tiny_n", method));
      const json* two = find_benchmark(doc, "two_only");
      REQUIRE(two != nullptr);
      CHECK((*two)["capabilities_correlation"]["p_method"].is_null());
      CHECK((*two)["risk"].is_null());
    }
  }
}

TEST_CASE("perfect correlation stays in bounds", "[cases]") {
  for (const char* method : {"spearman", "pearson", "kendall"}) {
    DYNAMIC_SECTION(method) {
      test::RunResult run = check_run("perfect_correlation", method);
      CHECK_THAT(run.out, !Contains("1.0000000000000002"));
    }
  }
}

TEST_CASE("Kendall tau-b with ties", "[cases]") {
  SECTION("kendall") {
    json doc = output_of(check_run("kendall_ties", "kendall"));
    const json* b = find_benchmark(doc, "harm_grade");
    REQUIRE(b != nullptr);
    CHECK((*b)["capabilities_correlation"]["p_method"] == "normal");
    CHECK((*b)["compute_correlation"]["p_method"] == "normal");
  }
  SECTION("spearman above 10 models uses t") {
    json doc = output_of(check_run("kendall_ties", "spearman"));
    const json* b = find_benchmark(doc, "harm_grade");
    REQUIRE(b != nullptr);
    CHECK((*b)["capabilities_correlation"]["p_method"] == "t");
  }
  SECTION("pearson") { check_run("kendall_ties", "pearson"); }
}

TEST_CASE("pairwise deletion per pair", "[cases]") {
  for (const char* method : {"spearman", "pearson", "kendall"}) {
    DYNAMIC_SECTION(method) {
      test::RunResult run = check_run("pairwise_deletion", method);
      CHECK_THAT(run.err, Contains("x05"));
      json doc = output_of(run);
      REQUIRE(doc["capabilities"]["excluded_models"].size() == 1);
      const json& excluded = doc["capabilities"]["excluded_models"][0];
      CHECK(excluded["missing"] == json({"beta_math"}));
    }
  }
}

TEST_CASE("FLOP in several number formats", "[cases]") {
  for (const char* method : {"spearman", "pearson", "kendall"}) {
    DYNAMIC_SECTION(method) { check_run("flop_formats", method); }
  }
}

TEST_CASE("bad FLOP cells are rejected", "[cases]") {
  SECTION("analyze names the first bad cell") {
    test::RunResult run = run_rejected("flop_formats", "spearman", "bad_cells.csv");
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Contains("bad_cells.csv:3:5: cell '3.4×10^24' in column 'flops'"));
    CHECK(run.out.empty());
  }
  SECTION("validate names every bad cell") {
    test::RunResult run = run_safetywash({"validate", case_file("flop_formats", "bad_cells.csv")});
    CHECK(run.exit_code == 3);
    std::string all = run.out + run.err;
    CHECK_THAT(all, Contains("bad_cells.csv:3:5: cell '3.4×10^24'"));
    CHECK_THAT(all, Contains("bad_cells.csv:5:5: cell 'inf'"));
    CHECK_THAT(all, Contains("bad_cells.csv:7:5: cell '2e308'"));
    CHECK_THAT(all, Contains("bad_cells.csv:8:5: cell '0x1.8p79'"));
    CHECK_THAT(all, Contains("bad_cells.csv:9:5: cell 'Infinity'"));
  }
}

TEST_CASE("BOM with CRLF and blank lines", "[cases]") {
  for (const char* input : {"clean.csv", "bom_crlf.csv", "bom_lf_no_final_newline.csv"}) {
    DYNAMIC_SECTION(input) {
      json doc = output_of(check_run("bom_crlf", "spearman", {input}));
      CHECK(doc["input"]["models"] == 8);
      CHECK(scores_by_model(doc).count("kite, v2") == 1);
    }
  }
}

TEST_CASE("duplicate columns and models", "[cases]") {
  auto analyze_file = [](const std::string& file) {
    return run_safetywash({"analyze",
                           case_file("duplicates", file),
                           "--capabilities",
                           "lore_qa,sum_chain",
                           "--safety",
                           "candor_mc",
                           "--compute",
                           "flops",
                           "--format",
                           "json"});
  };
  SECTION("a repeated column name") {
    test::RunResult run = analyze_file("dup_column.csv");
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Contains("dup_column.csv:1:"));
    CHECK_THAT(run.err, Contains("duplicate column name 'lore_qa' (columns 2 and 4)"));
    CHECK(run.out.empty());
  }
  SECTION("a repeated column name after trimming") {
    test::RunResult run = analyze_file("dup_column_trimmed.csv");
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Contains("duplicate column name 'lore_qa' (columns 2 and 4)"));
  }
  SECTION("a repeated model") {
    test::RunResult run = analyze_file("dup_model.csv");
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Contains("dup_model.csv:7:"));
    CHECK_THAT(run.err, Contains("duplicate model 'r04' (lines 5 and 7)"));
    CHECK(run.out.empty());
  }
}

TEST_CASE("empty surplus fields are dropped", "[cases]") {
  SECTION("clean table") {
    test::RunResult run = check_run("surplus_fields", "spearman", {"clean.csv"});
    CHECK_THAT(run.err, !Contains("ignored"));
  }
  for (const char* input :
       {"trailing_all_rows.csv", "trailing_first_row.csv", "trailing_header_and_rows.csv"}) {
    DYNAMIC_SECTION(input) {
      test::RunResult run = check_run("surplus_fields", "spearman", {input});
      CHECK_THAT(run.err, Contains(std::string(input) + ":"));
      CHECK_THAT(run.err, Contains("ignored"));
    }
  }
}

TEST_CASE("non-empty surplus field is an error", "[cases]") {
  test::RunResult run = run_rejected("surplus_fields", "spearman", "nonempty_surplus.csv");
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("nonempty_surplus.csv:6:"));
  CHECK_THAT(run.err, Contains("'stray'"));
  CHECK(run.out.empty());
}

TEST_CASE("percent cells", "[cases]") {
  for (const char* method : {"spearman", "pearson"}) {
    for (const char* input : {"all_percent.csv", "percent_space.csv"}) {
      DYNAMIC_SECTION(method << " on " << input) { check_run("percent_cells", method, {input}); }
    }
  }
}

TEST_CASE("mixed percent column is an error", "[cases]") {
  test::RunResult run = run_rejected("percent_cells", "spearman", "mixed.csv");
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("mixed.csv:3:"));
  CHECK_THAT(run.err, Contains("'refuse_rate'"));
  CHECK_THAT(run.err, Contains("('51.6%', line 2)"));
  CHECK_THAT(run.err, Contains("('0.498', line 3)"));
  CHECK(run.out.empty());
}

TEST_CASE("non-ASCII names unchanged", "[cases]") {
  test::RunResult run = check_run("non_ascii", "spearman");
  json doc = output_of(run);
  for (const char* name : {"Wissen (知識)", "Rechnen–CoT", "Sûreté-QA", "Aufrichtig ✓"}) {
    INFO(name);
    CHECK(find_benchmark(doc, name) != nullptr);
    CHECK_THAT(run.out, Contains(std::string("\"") + name + "\""));
  }
  for (const char* model : {"Ärger-1B",
                            "模型-3B",
                            "Øre-8B",
                            "Ñu-13B",
                            "Ελλη-30B",
                            "Ωmega-65B",
                            "Čaj-120B",
                            "Şen-400B"}) {
    INFO(model);
    CHECK_THAT(run.out, Contains(std::string("\"") + model + "\""));
  }
}

TEST_CASE("NFD header matched byte for byte", "[cases]") {
  json reference = read_reference("non_ascii", "spearman");
  const std::string nfc = "Sûreté-QA";
  const std::string nfd = "Su\u0302rete\u0301-QA";
  REQUIRE(nfc != nfd);
  SECTION("the NFD name selects the column") {
    json nfd_reference = reference;
    nfd_reference["safety"] = json({nfd, "Aufrichtig ✓"});
    test::RunResult run =
        run_safetywash(analyze_arguments(nfd_reference, "non_ascii", {"nfd_header.csv"}));
    REQUIRE(run.exit_code == 0);
    json doc = json::parse(run.out);
    const json* b = find_benchmark(doc, nfd);
    REQUIRE(b != nullptr);
    const json& expected = reference["benchmarks"][nfc];
    check_correlation((*b)["capabilities_correlation"], expected);
    check_correlation((*b)["compute_correlation"], expected["compute"]);
  }
  SECTION("the NFC name does not match silently") {
    test::RunResult run = run_rejected("non_ascii", "spearman", "nfd_header.csv");
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Contains("'" + nfc + "'"));
  }
}

TEST_CASE("Latin-1 input is rejected", "[cases]") {
  test::RunResult run = run_safetywash({"analyze",
                                        case_file("non_ascii", "latin1.csv"),
                                        "--capabilities",
                                        "Wissen,Rechnen",
                                        "--format",
                                        "json"});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("latin1.csv:2:3:"));
  CHECK_THAT(run.err, Contains("UTF-8"));
  CHECK_THAT(run.err, Contains("0xE5"));
  CHECK(run.out.empty());
}

TEST_CASE("lm-eval results with traps", "[cases]") {
  for (const char* run_name : {"spearman", "pearson", "spearman.flops", "pearson.flops"}) {
    DYNAMIC_SECTION(run_name) { check_run("lm_eval_results", run_name); }
  }
}

TEST_CASE("lm-eval bare NaN names the file", "[cases]") {
  test::RunResult run = run_safetywash({"analyze",
                                        case_file("lm_eval_results", "broken/swift-14b.json"),
                                        "--capabilities",
                                        "arc_challenge,gsm8k"});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("swift-14b.json:15:"));
}

// A result file in a folder that cannot be parsed must not vanish from the
// analysis without a message, whatever its file name.
TEST_CASE("lm-eval folder reports a broken file", "[cases]") {
  namespace fs = std::filesystem;
  std::string folder = test::temp_folder();
  for (const auto& entry : fs::directory_iterator(case_file("lm_eval_results", "runs"))) {
    fs::copy_file(entry.path(), fs::path(folder) / entry.path().filename());
  }
  fs::copy_file(case_file("lm_eval_results", "broken/swift-14b.json"),
                fs::path(folder) / "swift-14b.json");
  test::RunResult run = run_safetywash(
      {"analyze", folder, "--capabilities", "arc_challenge,gsm8k", "--format", "json"});
  CHECK_THAT(run.err, Contains("swift-14b.json"));
}

// The group `safety_suite` has no metric of its own, so hiding its subtask
// truthfulqa_mc2 leaves the model without that score.
TEST_CASE("lm-eval scoreless group keeps subtasks", "[cases]") {
  test::RunResult run =
      run_safetywash({"import", "lm-eval", case_file("lm_eval_results", "scoreless_group.json")});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out + run.err, Contains("truthfulqa_mc2"));
}

}  // namespace safetywash
