// SPDX-License-Identifier: MIT
// Tests of the analysis renderers: JSON, CSV, Markdown and the terminal table.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/csv.h"
#include "safetywash/error.h"
#include "safetywash/report.h"
#include "safetywash/table.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Names that need quoting in CSV and escaping in Markdown and JSON.
const std::string kAwkwardId = "bias,\"quoted\"";
const std::string kAwkwardName = "Bias, \"quoted\" | pipe";
// "Σ-bench ✓" has 9 code points in 13 bytes.
const std::string kWideName = "\xCE\xA3-bench \xE2\x9C\x93";

CorrelationSummary make_correlation(std::size_t n, std::optional<double> r,
                                    std::optional<double> p,
                                    std::optional<Interval> interval = std::nullopt) {
  CorrelationSummary summary;
  summary.n = n;
  summary.r = r;
  summary.p = p;
  summary.p_method = p ? PValueMethod::ExactPermutation : PValueMethod::None;
  summary.interval = interval;
  return summary;
}

BenchmarkResult make_benchmark(const std::string& id, const std::string& name, Role role,
                               const std::string& category) {
  BenchmarkResult result;
  result.info = BenchmarkInfo{id, name, role, true, category, "accuracy", ""};
  result.role = role;
  result.in_registry = true;
  return result;
}

// A hand-built result: two capability benchmarks and four reported ones,
// among them names that need escaping, undefined correlations and a skipped column.
AnalysisResult sample_result() {
  AnalysisResult result;
  result.source = "scores.csv";
  result.models = 10;
  result.method = Method::Spearman;
  result.compute_column = "training_flop";
  result.compute_models = 9;

  CapabilitiesSummary& capabilities = result.capabilities;
  capabilities.benchmarks = {"mmlu", "gsm8k"};
  capabilities.loadings = {0.7071067811865476, 0.7071067811865476};
  capabilities.eigenvalues = {1.9, 0.1};
  capabilities.explained_variance = 0.95;
  capabilities.models = {"model-a", "model \"b\"", "Mod\xC3\xA8le C"};
  capabilities.scores = {-1.25, 0.5, 0.75};

  BenchmarkResult mmlu = make_benchmark("mmlu", "MMLU", Role::Capability, "capability");
  mmlu.values = 10;
  mmlu.capabilities = make_correlation(10, 0.95, 1e-5, Interval{0.8, 0.99});
  mmlu.compute = make_correlation(9, 0.9, 0.001);
  result.benchmarks.push_back(mmlu);

  BenchmarkResult gsm8k = make_benchmark("gsm8k", "GSM8K", Role::Capability, "capability");
  gsm8k.values = 10;
  gsm8k.capabilities = make_correlation(10, 0.93, 2e-5, Interval{0.75, 0.98});
  gsm8k.compute = make_correlation(9, 0.88, 0.002);
  result.benchmarks.push_back(gsm8k);

  BenchmarkResult truthful =
      make_benchmark("truthfulqa_mc1", "TruthfulQA MC1", Role::Safety, "truthfulness");
  truthful.values = 10;
  truthful.capabilities = make_correlation(10, 0.78654, 0.007, Interval{0.3, 0.95});
  truthful.compute = make_correlation(9, 0.5, 0.17);
  truthful.risk = "high";
  result.benchmarks.push_back(truthful);

  BenchmarkResult awkward = make_benchmark(kAwkwardId, kAwkwardName, Role::Safety, "bias");
  awkward.values = 10;
  awkward.negated = true;
  awkward.capabilities = make_correlation(10, -0.1234, 0.73, Interval{-0.7, 0.5});
  awkward.compute = make_correlation(9, std::nullopt, std::nullopt);
  awkward.risk = "low";
  result.benchmarks.push_back(awkward);

  BenchmarkResult wide = make_benchmark("sigma_bench", kWideName, Role::Safety, "bias");
  wide.values = 2;
  wide.capabilities = make_correlation(2, std::nullopt, std::nullopt);
  wide.compute = make_correlation(2, std::nullopt, std::nullopt);
  result.benchmarks.push_back(wide);

  BenchmarkResult flat = make_benchmark("flat", "Flat", Role::Safety, "other");
  flat.values = 10;
  flat.skipped = "constant";
  result.benchmarks.push_back(flat);

  result.warnings = {"skipped 1 benchmark(s) with the same value for every model: flat"};
  return result;
}

RunInfo sample_run() { return RunInfo{"9.8.7", {"scores.csv", "-"}}; }

const json* find_benchmark_json(const json& document, const std::string& id) {
  for (const json& entry : document["benchmarks"]) {
    if (entry["benchmark"] == id) return &entry;
  }
  return nullptr;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// The first line of `text` that contains `needle`, or an empty string.
std::string line_containing(const std::string& text, std::string_view needle) {
  for (const std::string& line : split_lines(text)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

// Number of '|' characters that separate Markdown cells (those not escaped).
std::size_t count_cell_separators(std::string_view line) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++count;
  }
  return count;
}

// Index of a header name in the first record of a CSV document.
std::size_t column_index(const CsvDocument& document, std::string_view name) {
  const std::vector<CsvField>& header = document.records.front().fields;
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (header[k].text == name) return k;
  }
  FAIL("no CSV column " << name);
  return 0;
}

// A small score table: mmlu and gsm8k form the capabilities score,
// truthfulqa_mc1 rises with compute and bbq falls with it.
ScoreTable small_table() {
  Warnings warnings;
  return parse_table(
      "model,mmlu,gsm8k,truthfulqa_mc1,bbq,training_flop\n"
      "m1,0.30,0.10,0.20,0.9,1e21\n"
      "m2,0.40,0.15,0.25,0.8,1e22\n"
      "m3,0.50,0.30,0.30,0.7,1e23\n"
      "m4,0.55,0.25,0.35,NA,1e24\n"
      "m5,0.70,0.50,0.40,0.5,1e25\n"
      "m6,0.80,0.60,0.45,0.4,\n",
      "small.csv", {}, warnings);
}

}  // namespace

TEST_CASE("JSON top-level fields", "[report]") {
  json document = json::parse(render_analysis_json(sample_result(), sample_run()));

  CHECK(document["schema_version"] == 1);
  CHECK(document["tool"]["name"] == "safetywash");
  CHECK(document["tool"]["version"] == "9.8.7");
  CHECK(document["input"]["files"] == json::array({"scores.csv", "-"}));
  CHECK(document["input"]["models"] == 10);
  CHECK(document["input"]["benchmarks"] == 6);
  CHECK(document["options"]["method"] == "spearman");
  CHECK(document["warnings"].size() == 1);
}

TEST_CASE("JSON capabilities component", "[report]") {
  json document = json::parse(render_analysis_json(sample_result(), sample_run()));
  const json& capabilities = document["capabilities"];

  CHECK(capabilities["benchmarks"] == json::array({"mmlu", "gsm8k"}));
  CHECK(capabilities["models"] == 3);
  CHECK(capabilities["explained_variance"].get<double>() == Approx(0.95));
  CHECK(capabilities["eigenvalues"] == json::array({1.9, 0.1}));
  CHECK(capabilities["loadings"]["mmlu"].get<double>() == Approx(0.7071067811865476));
  CHECK(capabilities["loadings"]["gsm8k"].get<double>() == Approx(0.7071067811865476));
  REQUIRE(capabilities["scores"].size() == 3);
  CHECK(capabilities["scores"][1]["model"] == "model \"b\"");
  CHECK(capabilities["scores"][1]["score"].get<double>() == Approx(0.5));
  CHECK(capabilities["scores"][2]["model"] == "Mod\xC3\xA8le C");
}

TEST_CASE("JSON benchmark entries", "[report]") {
  json document = json::parse(render_analysis_json(sample_result(), sample_run()));
  REQUIRE(document["benchmarks"].size() == 6);
  CHECK(document["benchmarks"][0]["benchmark"] == "mmlu");
  CHECK(document["benchmarks"][0]["role"] == "capability");

  const json* truthful = find_benchmark_json(document, "truthfulqa_mc1");
  REQUIRE(truthful != nullptr);
  CHECK((*truthful)["name"] == "TruthfulQA MC1");
  CHECK((*truthful)["role"] == "safety");
  CHECK((*truthful)["category"] == "truthfulness");
  CHECK((*truthful)["n"] == 10);
  CHECK((*truthful)["risk"] == "high");
  const json& capabilities = (*truthful)["capabilities_correlation"];
  CHECK(capabilities["r"].get<double>() == 0.78654);
  CHECK(capabilities["p"].get<double>() == 0.007);
  CHECK(capabilities["ci_low"].get<double>() == 0.3);
  CHECK(capabilities["ci_high"].get<double>() == 0.95);
  const json& compute = (*truthful)["compute_correlation"];
  CHECK(compute["r"].get<double>() == 0.5);
  CHECK(compute["n"] == 9);
  CHECK(compute["p"].get<double>() == 0.17);

  const json* awkward = find_benchmark_json(document, kAwkwardId);
  REQUIRE(awkward != nullptr);
  CHECK((*awkward)["name"] == kAwkwardName);
  CHECK((*awkward)["capabilities_correlation"]["r"].get<double>() == -0.1234);
}

TEST_CASE("JSON undefined numbers are null", "[report]") {
  std::string text = render_analysis_json(sample_result(), sample_run());
  json document = json::parse(text);

  const json* wide = find_benchmark_json(document, "sigma_bench");
  REQUIRE(wide != nullptr);
  CHECK((*wide)["name"] == kWideName);
  CHECK((*wide)["capabilities_correlation"]["r"].is_null());
  CHECK((*wide)["capabilities_correlation"]["p"].is_null());
  CHECK((*wide)["capabilities_correlation"]["ci_low"].is_null());
  CHECK((*wide)["capabilities_correlation"]["ci_high"].is_null());
  CHECK((*wide)["compute_correlation"]["r"].is_null());
  CHECK((*wide)["compute_correlation"]["p"].is_null());
  CHECK((*wide)["compute_correlation"]["n"] == 2);
  CHECK((*wide)["risk"].is_null());

  const json* awkward = find_benchmark_json(document, kAwkwardId);
  REQUIRE(awkward != nullptr);
  CHECK((*awkward)["compute_correlation"]["r"].is_null());
}

TEST_CASE("JSON has no NaN or infinity", "[report]") {
  AnalysisResult result = sample_result();
  result.capabilities.explained_variance = kNaN;
  result.capabilities.scores[0] = kNaN;
  result.capabilities.loadings[1] = std::numeric_limits<double>::infinity();
  std::string text = render_analysis_json(result, sample_run());

  CHECK_THAT(text, !Contains("NaN") && !Contains("nan"));
  CHECK_THAT(text, !Contains("Infinity"));
  json document = json::parse(text);
  CHECK(document["capabilities"]["explained_variance"].is_null());
  CHECK(document["capabilities"]["scores"][0]["score"].is_null());
  CHECK(document["capabilities"]["loadings"]["gsm8k"].is_null());
}

TEST_CASE("JSON without compute column", "[report]") {
  AnalysisResult result = sample_result();
  result.compute_column.reset();
  result.compute_models = 0;
  json document = json::parse(render_analysis_json(result, sample_run()));

  const json* truthful = find_benchmark_json(document, "truthfulqa_mc1");
  REQUIRE(truthful != nullptr);
  CHECK((*truthful)["compute_correlation"].is_null());
  CHECK(document["options"]["compute"].is_null());
}

TEST_CASE("JSON of an analyzed table", "[report]") {
  AnalysisResult result = analyze(small_table(), Registry::builtin(), AnalysisOptions{});
  json document = json::parse(render_analysis_json(result, RunInfo{"1", {"small.csv"}}));

  CHECK(document["schema_version"] == 1);
  CHECK(document["input"]["models"] == 6);
  CHECK(document["input"]["benchmarks"] == 4);
  CHECK(document["capabilities"]["benchmarks"] == json::array({"mmlu", "gsm8k"}));
  CHECK(document["capabilities"]["models"] == 6);
  CHECK(document["capabilities"]["scores"].size() == 6);
  REQUIRE(document["benchmarks"].size() == 4);
  CHECK(document["benchmarks"][0]["role"] == "capability");
  CHECK(document["benchmarks"][1]["role"] == "capability");

  const json* truthful = find_benchmark_json(document, "truthfulqa_mc1");
  REQUIRE(truthful != nullptr);
  CHECK((*truthful)["role"] == "safety");
  CHECK((*truthful)["category"] == "truthfulness");
  CHECK((*truthful)["n"] == 6);
  CHECK((*truthful)["compute_correlation"]["n"] == 5);
  CHECK((*truthful)["compute_correlation"]["r"].get<double>() == Approx(1.0));
  const json& capabilities = (*truthful)["capabilities_correlation"];
  REQUIRE(capabilities["r"].is_number());
  CHECK(capabilities["r"].get<double>() >= capabilities["ci_low"].get<double>());
  CHECK(capabilities["r"].get<double>() <= capabilities["ci_high"].get<double>());
  CHECK(capabilities["p"].get<double>() >= 0.0);
  CHECK(capabilities["p"].get<double>() <= 1.0);

  const json* bbq = find_benchmark_json(document, "bbq");
  REQUIRE(bbq != nullptr);
  CHECK((*bbq)["n"] == 5);
  CHECK((*bbq)["compute_correlation"]["n"] == 4);
  CHECK((*bbq)["compute_correlation"]["r"].get<double>() == Approx(-1.0));
}

namespace {

using ordered_json = nlohmann::ordered_json;

// Text that needs escaping or replacement: quotes, a backslash, control
// bytes, DEL, non-ASCII UTF-8, and invalid UTF-8 (a stray continuation
// byte, 0xFF and a sequence cut short).
const std::vector<std::string> kEscapedTexts = {
    "quote \" here",          "back\\slash",
    "tab\tline\nfeed\r",      "\b\f\x01\x1f\x7f",
    std::string("nul\0byte", 8), "\xC3\x9C" "n\xC3\xAF" "c\xC3\xB8" "d\xC3\xA9 \xF0\x9F\x9A\x80",
    "bad \x80 \xFF\xFE",      "cut \xE2\x82",
    "/slash/",                "plain"};

// Doubles whose shortest form needs an exponent, many digits, a sign on
// zero or the smallest subnormal, plus values JSON has no number for.
const std::vector<double> kNumbers = {0.1,
                                      1e-05,
                                      1e+16,
                                      123456789012345680.0,
                                      -0.0,
                                      5e-324,
                                      0.0,
                                      1.0,
                                      -2.5,
                                      1e21,
                                      1.7976931348623157e308,
                                      kNaN,
                                      std::numeric_limits<double>::infinity()};

std::string dump_tree(const ordered_json& tree) {
  return tree.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

// A capabilities summary with every name from kEscapedTexts and every
// number from kNumbers.
CapabilitiesSummary escaped_summary() {
  CapabilitiesSummary summary;
  summary.benchmarks = kEscapedTexts;
  for (std::size_t k = 0; k < kEscapedTexts.size(); ++k) {
    summary.loadings.push_back(kNumbers[k % kNumbers.size()]);
    summary.models.push_back("model " + kEscapedTexts[k]);
  }
  summary.eigenvalues = kNumbers;
  summary.scores = kNumbers;
  summary.scores.resize(summary.models.size(), 0.5);
  summary.explained_variance = -0.0;
  summary.excluded_models = {{kEscapedTexts[0], {kEscapedTexts[2], kEscapedTexts[6]}},
                             {"none lacking", {}}};
  summary.missing = MissingPolicy::Impute;
  summary.anchor = kEscapedTexts[7];
  summary.components = {summary.loadings, std::vector<double>(summary.loadings.rbegin(),
                                                              summary.loadings.rend())};
  summary.imputed = {{kEscapedTexts[3], kEscapedTexts[4], 5e-324}};
  summary.impute_iterations = 12;
  return summary;
}

// The capabilities object as an ordered_json tree, with the members in the
// order that the JSON output lists them.
ordered_json capabilities_tree(const CapabilitiesSummary& s) {
  ordered_json tree;
  tree["benchmarks"] = s.benchmarks;
  tree["models"] = s.models.size();
  tree["explained_variance"] = s.explained_variance;
  tree["eigenvalues"] = s.eigenvalues;

  ordered_json loadings = ordered_json::object();
  for (std::size_t k = 0; k < s.benchmarks.size(); ++k) loadings[s.benchmarks[k]] = s.loadings[k];
  tree["loadings"] = loadings;

  ordered_json scores = ordered_json::array();
  for (std::size_t i = 0; i < s.models.size(); ++i) {
    scores.push_back({{"model", s.models[i]}, {"score", s.scores[i]}});
  }
  tree["scores"] = scores;

  ordered_json excluded = ordered_json::array();
  for (const auto& [model, lacking] : s.excluded_models) {
    excluded.push_back({{"model", model}, {"missing", lacking}});
  }
  tree["excluded_models"] = excluded;

  tree["pca_matrix"] = std::string(pca_matrix_name(s.pca_matrix));
  tree["missing"] = std::string(missing_policy_name(s.missing));
  tree["score"] = std::string(score_kind_name(s.score));
  tree["anchor"] = s.anchor ? ordered_json(*s.anchor) : ordered_json(nullptr);
  tree["repaired"] = s.repaired;

  ordered_json components = ordered_json::array();
  for (std::size_t c = 0; c < s.components.size(); ++c) {
    ordered_json vector = ordered_json::object();
    for (std::size_t k = 0; k < s.benchmarks.size(); ++k) {
      vector[s.benchmarks[k]] = s.components[c][k];
    }
    components.push_back({{"eigenvalue", s.eigenvalues[c]}, {"loadings", vector}});
  }
  tree["components"] = components;

  if (s.missing == MissingPolicy::Impute) {
    ordered_json cells = ordered_json::array();
    for (const auto& cell : s.imputed) {
      cells.push_back({{"model", cell.model}, {"benchmark", cell.benchmark}, {"z", cell.z}});
    }
    tree["imputation"] = {{"cells", cells},
                          {"iterations", s.impute_iterations},
                          {"converged", s.impute_converged}};
  }
  return tree;
}

ordered_json capabilities_document(const CapabilitiesSummary& summary, const RunInfo& run) {
  ordered_json tree;
  tree["schema_version"] = 1;
  tree["tool"] = {{"name", "safetywash"}, {"version", run.version}};
  tree["input"] = {{"files", run.inputs}};
  tree["capabilities"] = capabilities_tree(summary);
  return tree;
}

// sample_result() with every optional part filled in: bootstrap counts,
// refit ranges, a regression, imputed cells and escaped names.
AnalysisResult full_result() {
  AnalysisResult result = sample_result();
  result.bootstrap = 200;
  result.seed = 18446744073709551615ULL;
  result.failed_fits = 3;
  result.capabilities = escaped_summary();
  for (std::size_t i = 0; i < result.benchmarks.size(); ++i) {
    BenchmarkResult& b = result.benchmarks[i];
    b.info.description = kEscapedTexts[i % kEscapedTexts.size()];
    b.info.metric = kEscapedTexts[(i + 1) % kEscapedTexts.size()];
    b.capabilities.interval_method = "bca";
    b.capabilities.bootstrap_defined = 190;
    b.capabilities.bootstrap_undefined = 10;
    b.capabilities.p_adjusted = kNumbers[i % kNumbers.size()];
    b.capabilities_given_compute = make_correlation(8, 1e-05, 0.1);
    b.regression = Regression{7, 1e+16, -0.0, 5e-324};
    b.jackknife = RefitRange{i, 2, -0.5, 123456789012345680.0, i % 2 == 0};
  }
  result.benchmarks[0].capabilities_excluding_self = make_correlation(9, 0.25, 0.5);
  result.benchmarks[1].by_family = RefitRange{0, 4, 0.0, 0.0, false};
  result.benchmarks[2].info.name = kEscapedTexts[6];
  result.warnings = kEscapedTexts;
  return result;
}

}  // namespace

TEST_CASE("JSON capabilities match nlohmann", "[report]") {
  // The writer must print what nlohmann's dump(2) prints for the same tree,
  // including escapes, U+FFFD for invalid UTF-8 and the shortest doubles.
  RunInfo run{"1.2.3", {"scores.csv", "bad \xFF name.csv", "-"}};
  CapabilitiesSummary summary = escaped_summary();
  std::string text = render_capabilities(summary, OutputFormat::Json, run);

  CHECK(text == dump_tree(capabilities_document(summary, run)));
  CHECK_THAT(text, Contains("    \"eigenvalues\": [\n      0.1,\n      1e-05,\n      1e+16,\n"));
  CHECK_THAT(text, Contains("      1.2345678901234568e+17,\n      -0.0,\n      5e-324,\n"));
  CHECK_THAT(text, Contains("      null,\n      null\n    ],\n"));
  CHECK_THAT(text, Contains("\"nul\\u0000byte\""));
  CHECK_THAT(text, Contains("\"\\b\\f\\u0001\\u001f\x7f\""));
  CHECK_THAT(text, Contains("\"bad \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\""));
  CHECK_THAT(text, Contains("\"missing\": []"));
}

TEST_CASE("JSON large capabilities match nlohmann", "[report]") {
  // Arrays of thousands of elements are written in parts on several
  // threads, which must join into the same text.
  RunInfo run{"1.2.3", {"scores.csv"}};
  CapabilitiesSummary summary = escaped_summary();
  for (std::size_t i = summary.models.size(); i < 10'007; ++i) {
    summary.models.push_back(kEscapedTexts[i % kEscapedTexts.size()] + std::to_string(i));
    summary.scores.push_back(kNumbers[i % kNumbers.size()]);
  }
  summary.eigenvalues = summary.scores;
  std::string text = render_capabilities(summary, OutputFormat::Json, run);

  CHECK(text == dump_tree(capabilities_document(summary, run)));
}

TEST_CASE("JSON empty capabilities match nlohmann", "[report]") {
  RunInfo run{"1", {}};
  CapabilitiesSummary summary;
  std::string text = render_capabilities(summary, OutputFormat::Json, run);

  CHECK(text == dump_tree(capabilities_document(summary, run)));
  CHECK_THAT(text, Contains("\"files\": []"));
  CHECK_THAT(text, Contains("\"loadings\": {}"));
}

TEST_CASE("JSON analysis re-dumps unchanged", "[report]") {
  // Parsing keeps member order and every double exactly, and U+FFFD dumps as
  // itself, so a dump of the parsed document must reproduce the output.
  for (bool full : {false, true}) {
    CAPTURE(full);
    AnalysisResult result = full ? full_result() : sample_result();
    RunInfo run{"0.1.0", {"scores.csv", "bad \xC3 name.csv"}};
    std::string text = render_analysis_json(result, run);

    CHECK(text == dump_tree(ordered_json::parse(text)));
  }
}

TEST_CASE("JSON registry matches nlohmann", "[report]") {
  Registry registry = Registry::builtin();
  registry.merge(
      "id,name,role,higher_is_better,category,metric,description\n"
      "\"esc\"\"aped\\\\id\",\"Tab\there \x01\",safety,false,\"\xC3\xBC\",\"m\x1f\","
      "\"line\nbreak \xF0\x9F\x9A\x80\"\n",
      "meta.csv");
  std::string text = render_registry(registry, OutputFormat::Json);

  ordered_json list = ordered_json::array();
  for (const BenchmarkInfo& b : registry.entries()) {
    list.push_back({{"id", b.id},
                    {"name", b.name},
                    {"role", std::string(role_name(b.role))},
                    {"higher_is_better", b.higher_is_better},
                    {"category", b.category},
                    {"metric", b.metric},
                    {"description", b.description}});
  }
  ordered_json tree;
  tree["schema_version"] = 1;
  tree["benchmarks"] = list;
  CHECK(text == dump_tree(tree));
  CHECK_THAT(text, Contains("\"id\": \"esc\\\"aped\\\\\\\\id\""));
}

TEST_CASE("CSV has header and one row each", "[report]") {
  AnalysisResult result = sample_result();
  std::string text = render_analysis_csv(result);
  CsvDocument document = read_csv(text, "report.csv", ',');

  REQUIRE(document.records.size() == result.benchmarks.size() + 1);
  const std::vector<CsvField>& header = document.records.front().fields;
  CHECK(header.front().text == "benchmark");
  for (const CsvRecord& record : document.records) {
    INFO("line " << record.line);
    CHECK(record.fields.size() == header.size());
  }
  std::size_t id_column = column_index(document, "benchmark");
  for (std::size_t k = 0; k < result.benchmarks.size(); ++k) {
    CHECK(document.records[k + 1].fields[id_column].text == result.benchmarks[k].info.id);
  }
}

TEST_CASE("CSV quotes commas and quotes", "[report]") {
  std::string text = render_analysis_csv(sample_result());

  CHECK_THAT(text, Contains("\"bias,\"\"quoted\"\"\""));
  CHECK_THAT(text, Contains("\"Bias, \"\"quoted\"\" | pipe\""));
  std::string row = line_containing(text, "truthfulqa_mc1");
  CHECK(row.starts_with("truthfulqa_mc1,TruthfulQA MC1,safety,truthfulness,10,"));
}

TEST_CASE("CSV read back keeps values", "[report]") {
  AnalysisResult result = sample_result();
  CsvDocument document = read_csv(render_analysis_csv(result), "report.csv", ',');
  REQUIRE(document.records.size() == result.benchmarks.size() + 1);
  std::size_t name_column = column_index(document, "name");
  std::size_t capabilities_r_column = column_index(document, "capabilities_r");
  std::size_t compute_r_column = column_index(document, "compute_r");

  SECTION("names with quotes, commas and non-ASCII text") {
    CHECK(document.records[4].fields[name_column].text == kAwkwardName);
    CHECK(document.records[5].fields[name_column].text == kWideName);
  }
  SECTION("correlations as exact fractions") {
    CHECK(parse_cell(document.records[3].fields[capabilities_r_column].text).value == 0.78654);
    CHECK(parse_cell(document.records[4].fields[capabilities_r_column].text).value == -0.1234);
  }
  SECTION("undefined numbers as empty cells") {
    CHECK(document.records[4].fields[compute_r_column].text.empty());
    CHECK(document.records[5].fields[capabilities_r_column].text.empty());
  }
}

TEST_CASE("CSV keeps blanks around names", "[report]") {
  // The reader trims unquoted fields, so the writer must quote names that
  // start or end with a blank for the report to read back unchanged.
  AnalysisResult result = sample_result();
  result.benchmarks[2].info.name = " TruthfulQA MC1 ";
  CsvDocument document = read_csv(render_analysis_csv(result), "report.csv", ',');
  REQUIRE(document.records.size() == result.benchmarks.size() + 1);

  CHECK(document.records[3].fields[column_index(document, "name")].text == " TruthfulQA MC1 ");
}

TEST_CASE("Markdown is a pipe table", "[report]") {
  AnalysisResult result = sample_result();
  std::vector<std::string> lines = split_lines(render_analysis_markdown(result));
  auto header = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.starts_with("| Benchmark");
  });
  REQUIRE(header != lines.end());
  std::size_t separators = count_cell_separators(*header);

  std::vector<std::string> table;
  for (auto it = header; it != lines.end() && !it->empty() && it->front() == '|'; ++it) {
    table.push_back(*it);
  }
  REQUIRE(table.size() == result.benchmarks.size() + 2);
  CHECK_THAT(table[1], Contains("---"));
  for (const std::string& line : table) {
    INFO("line: " << line);
    CHECK(line.back() == '|');
    CHECK(count_cell_separators(line) == separators);
  }
  CHECK_THAT(line_containing(render_analysis_markdown(result), "quoted"), Contains("\\|"));
}

TEST_CASE("Markdown row per benchmark with line break", "[report]") {
  // A quoted header cell may contain a line break, and such a name must not
  // split its Markdown row in two.
  AnalysisResult result = sample_result();
  result.benchmarks[2].info.name = "TruthfulQA\nMC1";
  std::vector<std::string> lines = split_lines(render_analysis_markdown(result));

  std::size_t rows = 0;
  for (const std::string& line : lines) {
    if (!line.starts_with("|")) continue;
    INFO("line: " << line);
    CHECK(line.ends_with("|"));
    ++rows;
  }
  CHECK(rows == result.benchmarks.size() + 2);
  for (const std::string& line : lines) {
    INFO("line: " << line);
    CHECK_FALSE(line.starts_with("MC1 |"));
  }
}

TEST_CASE("table shows one-decimal percentages", "[report]") {
  std::string text = render_analysis_table(sample_result());

  std::string truthful = line_containing(text, "TruthfulQA MC1");
  CHECK_THAT(truthful, Contains("78.7"));
  CHECK_THAT(truthful, Contains("50.0"));
  CHECK_THAT(truthful, !Contains("78.65"));
  std::string awkward = line_containing(text, kAwkwardName);
  CHECK_THAT(awkward, Contains("-12.3"));
  std::string mmlu = line_containing(text, "MMLU");
  CHECK_THAT(mmlu, Contains("95.0"));
  CHECK_THAT(mmlu, Contains("90.0"));
  CHECK_THAT(text, Contains("95.0% of the variance"));
}

TEST_CASE("table marks undefined values", "[report]") {
  std::string text = render_analysis_table(sample_result());

  std::string wide = line_containing(text, kWideName);
  REQUIRE_FALSE(wide.empty());
  CHECK_THAT(wide, Contains(" - "));
  CHECK_THAT(wide, !Contains("nan"));
  CHECK_THAT(line_containing(text, "Flat"), Contains("skipped: constant"));
}

TEST_CASE("table columns align with UTF-8", "[report]") {
  std::string text = render_analysis_table(sample_result());
  std::vector<std::string> rows = {line_containing(text, kAwkwardName),
                                   line_containing(text, kWideName)};

  // Both rows are in category "bias", so the category column must start at
  // the same terminal column, counted in code points.
  std::vector<std::size_t> starts;
  for (const std::string& row : rows) {
    INFO("row: " << row);
    std::size_t byte = row.find("  bias");
    REQUIRE(byte != std::string::npos);
    starts.push_back(display_width(row.substr(0, byte)));
  }
  CHECK(starts[0] == starts[1]);
}

TEST_CASE("table groups and sorts rows", "[report]") {
  AnalysisResult result = sample_result();
  BenchmarkResult tied = make_benchmark("bias_two", "Bias Two", Role::Safety, "bias");
  tied.values = 10;
  tied.capabilities = make_correlation(10, -0.1234, 0.73);
  tied.risk = "low";
  result.benchmarks.push_back(tied);
  BenchmarkResult stronger = make_benchmark("bias_three", "Bias Three", Role::Safety, "bias");
  stronger.values = 10;
  stronger.capabilities = make_correlation(10, 0.45, 0.2);
  stronger.risk = "moderate";
  result.benchmarks.push_back(stronger);
  std::string text = render_analysis_table(result);

  SECTION("categories alphabetical, capabilities last") {
    std::size_t bias_at = text.find("[bias]");
    std::size_t other_at = text.find("[other]");
    std::size_t truthfulness_at = text.find("[truthfulness]");
    std::size_t capabilities_at = text.find("[capabilities score");
    REQUIRE(bias_at != std::string::npos);
    REQUIRE(capabilities_at != std::string::npos);
    CHECK(bias_at < other_at);
    CHECK(other_at < truthfulness_at);
    CHECK(truthfulness_at < capabilities_at);
  }
  SECTION("stronger correlation first, ties in input order") {
    std::size_t stronger_at = text.find("Bias Three");
    std::size_t awkward_at = text.find(kAwkwardName);
    std::size_t tied_at = text.find("Bias Two");
    std::size_t undefined_at = text.find(kWideName);
    CHECK(stronger_at < awkward_at);
    CHECK(awkward_at < tied_at);
    CHECK(tied_at < undefined_at);
  }
}

TEST_CASE("display width counts code points", "[report]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("Caf\xC3\xA9") == 4);
  CHECK(display_width("Cafe\xCC\x81") == 5);
  CHECK(display_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E") == 3);
  CHECK(display_width("\xF0\x9F\xA6\x99") == 1);
  CHECK(display_width(kWideName) == 9);
}

TEST_CASE("output format names", "[report]") {
  CHECK(parse_output_format("table") == OutputFormat::Table);
  CHECK(parse_output_format("json") == OutputFormat::Json);
  CHECK(parse_output_format("csv") == OutputFormat::Csv);
  CHECK(parse_output_format("markdown") == OutputFormat::Markdown);
  CHECK_THROWS_AS(parse_output_format("JSON"), UsageError);
  CHECK_THROWS_AS(parse_output_format("md"), UsageError);
}

}  // namespace safetywash
