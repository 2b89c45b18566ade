// SPDX-License-Identifier: MIT
// End-to-end tests: the built binary, its output, messages and exit codes.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sys/wait.h>

#include "test_support.h"

namespace safetywash {
namespace {

using nlohmann::json;
using test::run_safetywash;
using Catch::Matchers::WithinAbs;

const json* find_benchmark(const json& doc, const std::string& id) {
  for (const json& b : doc["benchmarks"]) {
    if (b["benchmark"] == id) return &b;
  }
  return nullptr;
}

std::string write_temp(const std::string& name, const std::string& content) {
  std::string path = test::temp_folder() + "/" + name;
  test::write_text(path, content);
  return path;
}

const char* kOwnTable =
    "model,mmlu,gsm8k,truthfulqa_mc1\n"
    "tiny-1b,0.26,0.02,0.23\n"
    "small-3b,0.35,0.08,0.24\n"
    "mid-8b,0.52,0.31,0.27\n"
    "big-30b,0.63,0.52,0.30\n"
    "huge-70b,0.75,0.71,0.36\n";

}  // namespace

TEST_CASE("base table JSON matches the reference", "[cli]") {
  test::RunResult run = run_safetywash({"analyze", "--dataset", "paper-base", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  json ref = test::read_json("paper_base.spearman.json");
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["capabilities"]["models"] == 27);
  CHECK_THAT(doc["capabilities"]["explained_variance"].get<double>(),
             WithinAbs(ref["explained_variance"].get<double>(), 1e-9));
  std::size_t checked = 0;
  for (const auto& [id, expected] : ref["benchmarks"].items()) {
    const json* b = find_benchmark(doc, id);
    if (b == nullptr) continue;  // bookkeeping columns the registry ignores
    INFO("benchmark " << id);
    ++checked;
    CHECK((*b)["n"] == expected["n"]);
    CHECK_THAT((*b)["capabilities_correlation"]["r"].get<double>(),
               WithinAbs(expected["r"].get<double>(), 1e-9));
    CHECK((*b)["compute_correlation"]["n"] == expected["compute"]["n"]);
    CHECK_THAT((*b)["compute_correlation"]["r"].get<double>(),
               WithinAbs(expected["compute"]["r"].get<double>(), 1e-9));
  }
  CHECK(checked + 3 == ref["benchmarks"].size());
  CHECK(doc["benchmarks"].size() == checked);
}

TEST_CASE("chat table shows published percentages", "[cli]") {
  test::RunResult run = run_safetywash({"analyze", "--dataset", "paper-chat"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("70.8% of the variance"));
  for (const char* row : {"MT Bench", "ETHICS ", "BBQ Ambiguous", "WMDP Biological Split"}) {
    CHECK_THAT(run.out, Catch::Contains(row));
  }
  CHECK_THAT(run.out, Catch::Contains("78.7"));
  CHECK_THAT(run.out, Catch::Contains("82.2"));
  CHECK_THAT(run.out, Catch::Contains("-37.3"));
  CHECK_THAT(run.out, Catch::Contains("-87.5"));
}

TEST_CASE("own table runs with no flags", "[cli]") {
  std::string path = write_temp("scores.csv", kOwnTable);
  test::RunResult run = run_safetywash({"analyze", path, "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  CHECK(doc["capabilities"]["benchmarks"] == json({"mmlu", "gsm8k"}));
  const json* b = find_benchmark(doc, "truthfulqa_mc1");
  REQUIRE(b != nullptr);
  CHECK((*b)["role"] == "safety");
  CHECK((*b)["capabilities_correlation"]["r"] == 1.0);
  CHECK((*b)["compute_correlation"].is_null());
  CHECK_THAT(run.err, Catch::Contains("no compute column"));
}

TEST_CASE("other column names need flags", "[cli]") {
  std::string path = write_temp("scores.csv",
                                "name_of_model,quiz_a,quiz_b,honesty,train_compute\n"
                                "m1,10,3,0.5,1e20\nm2,20,5,0.4,1e21\nm3,30,4,0.7,1e22\n"
                                "m4,40,9,0.6,1e23\n");
  SECTION("without flags it explains what to do") {
    test::RunResult run = run_safetywash({"analyze", path});
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Catch::Contains("--capabilities"));
  }
  SECTION("with --capabilities and --compute it runs") {
    test::RunResult run = run_safetywash({"analyze", path, "--capabilities", "quiz_a,quiz_b",
                                          "--compute", "train_compute", "--format", "json"});
    REQUIRE(run.exit_code == 0);
    json doc = json::parse(run.out);
    CHECK(doc["capabilities"]["models"] == 4);
    const json* b = find_benchmark(doc, "honesty");
    REQUIRE(b != nullptr);
    CHECK((*b)["compute_correlation"]["n"] == 4);
    CHECK(find_benchmark(doc, "train_compute") == nullptr);
  }
}

TEST_CASE("standard input is read with a dash", "[cli]") {
  test::RunResult run = run_safetywash({"analyze", "-", "--format", "csv"}, kOwnTable);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::StartsWith("benchmark,name,role"));
  CHECK_THAT(run.out, Catch::Contains("truthfulqa_mc1,TruthfulQA MC1,safety"));
}

TEST_CASE("exit codes follow the contract", "[cli]") {
  SECTION("help exits 0") { CHECK(run_safetywash({"--help"}).exit_code == 0); }
  SECTION("version exits 0") {
    test::RunResult run = run_safetywash({"--version"});
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::StartsWith("safetywash "));
  }
  SECTION("unknown option exits 2") {
    CHECK(run_safetywash({"analyze", "--dataset", "paper-base", "--bogus"}).exit_code == 2);
  }
  SECTION("bad method exits 2") {
    test::RunResult run = run_safetywash({"analyze", "--dataset", "paper-base", "--method", "x"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("unknown method 'x'"));
  }
  SECTION("unknown dataset exits 2") {
    CHECK(run_safetywash({"analyze", "--dataset", "paper-xyz"}).exit_code == 2);
  }
  SECTION("no subcommand exits 2") { CHECK(run_safetywash({}).exit_code == 2); }
  SECTION("missing file exits 3") {
    test::RunResult run = run_safetywash({"analyze", "/nonexistent/scores.csv"});
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Catch::Contains("/nonexistent/scores.csv: cannot open"));
  }
  SECTION("bad cell exits 3 with its location") {
    std::string path = write_temp("bad.csv", "model,mmlu,gsm8k,x\na,1,2,3\nb,2,TBD,4\nc,3,4,5\n");
    test::RunResult run = run_safetywash({"analyze", path});
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Catch::Contains("bad.csv:3:3: cell 'TBD' in column 'gsm8k'"));
    CHECK_THAT(run.err, Catch::StartsWith("safetywash: error: "));
    CHECK(run.out.empty());
  }
  SECTION("duplicate model exits 3") {
    std::string path = write_temp("dup.csv", "model,mmlu,gsm8k\na,1,2\nb,2,3\na,3,4\n");
    test::RunResult run = run_safetywash({"analyze", path});
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Catch::Contains("duplicate model 'a' (lines 2 and 4)"));
  }
  SECTION("gate exits 1 above the threshold") {
    test::RunResult run =
        run_safetywash({"analyze", "--dataset", "paper-chat", "--fail-above", "0.7", "-q"});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("MT_Bench"));
    CHECK_FALSE(run.out.empty());
  }
  SECTION("gate exits 0 below the threshold") {
    CHECK(run_safetywash({"analyze", "--dataset", "paper-chat", "--fail-above", "0.99"})
              .exit_code == 0);
  }
}

TEST_CASE("output file is written whole", "[cli]") {
  std::string folder = test::temp_folder();
  std::string out = folder + "/result.json";
  SECTION("a successful run writes the file") {
    test::RunResult run =
        run_safetywash({"analyze", "--dataset", "paper-base", "--format", "json", "-o", out});
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.empty());
    CHECK(json::parse(test::read_text(out))["schema_version"] == 1);
  }
  SECTION("a failed run leaves the old file") {
    test::write_text(out, "previous");
    std::string bad = write_temp("bad.csv", "model,a\nx,oops\ny,1\n");
    test::RunResult run = run_safetywash({"analyze", bad, "-o", out});
    CHECK(run.exit_code == 3);
    CHECK(test::read_text(out) == "previous");
  }
}

TEST_CASE("input file is not modified", "[cli]") {
  std::string path = write_temp("scores.csv", kOwnTable);
  run_safetywash({"analyze", path, "-o", path + ".out"});
  CHECK(test::read_text(path) == kOwnTable);
}

TEST_CASE("pca prints the component", "[cli]") {
  test::RunResult run = run_safetywash({"pca", "--dataset", "paper-base", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  json ref = test::read_json("paper_base.spearman.json");
  CHECK(doc["capabilities"]["eigenvalues"].size() == 12);
  CHECK_THAT(doc["capabilities"]["loadings"]["mmlu"].get<double>(),
             WithinAbs(ref["loadings"]["mmlu"].get<double>(), 1e-9));
  test::RunResult table = run_safetywash({"pca", "--dataset", "paper-base"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("78.3%"));
}

TEST_CASE("benchmarks lists the registry", "[cli]") {
  test::RunResult run = run_safetywash({"benchmarks", "--format", "csv"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::StartsWith("id,name,role,higher_is_better,category,metric"));
  CHECK_THAT(run.out, Catch::Contains("\nmmlu,MMLU,capability,true,capability,"));
}

TEST_CASE("meta file overrides the registry", "[cli]") {
  std::string meta = write_temp("meta.csv", "benchmark,name,metric\ntruthfulqa_mc1,Truth,Error (↓)\n");
  std::string path = write_temp("scores.csv", kOwnTable);
  test::RunResult run = run_safetywash({"analyze", path, "--meta", meta, "--format", "json"});
  REQUIRE(run.exit_code == 0);
  json doc = json::parse(run.out);
  const json* b = find_benchmark(doc, "truthfulqa_mc1");
  REQUIRE(b != nullptr);
  CHECK((*b)["name"] == "Truth");
  CHECK((*b)["negated"] == true);
  CHECK((*b)["capabilities_correlation"]["r"] == -1.0);
  test::RunResult table = run_safetywash({"analyze", path, "--meta", meta});
  CHECK_THAT(table.out, Catch::Contains("negated"));
}

TEST_CASE("broken pipe exits quietly", "[cli]") {
  std::string command = std::string("set -o pipefail; '") + SAFETYWASH_BINARY +
                        "' analyze --dataset paper-chat --format json | head -c 10 >/dev/null";
  int status = std::system(("bash -c \"" + command + "\" 2>/dev/null").c_str());
  CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace safetywash

namespace safetywash {

TEST_CASE("seeded bootstrap output is reproducible", "[cli]") {
  std::vector<std::string> args = {"analyze", "--dataset", "paper-base", "--bootstrap",
                                   "2000", "--seed", "1", "--format", "json"};
  test::RunResult first = test::run_safetywash(args);
  test::RunResult second = test::run_safetywash(args);
  args.insert(args.end(), {"--threads", "1"});
  test::RunResult single = test::run_safetywash(args);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == second.out);
  CHECK(first.out == single.out);

  nlohmann::json doc = nlohmann::json::parse(first.out);
  CHECK(doc["bootstrap"]["resamples"] == 2000);
  CHECK(doc["bootstrap"]["seed"] == 1);
  for (const nlohmann::json& b : doc["benchmarks"]) {
    const nlohmann::json& c = b["capabilities_correlation"];
    if (c["r"].is_null()) continue;
    INFO(b["benchmark"].get<std::string>());
    CHECK(c["ci_low"].get<double>() <= c["r"].get<double>());
    CHECK(c["r"].get<double>() <= c["ci_high"].get<double>());
  }
}

TEST_CASE("adjustment option names the method", "[cli]") {
  test::RunResult run = test::run_safetywash(
      {"analyze", "--dataset", "paper-chat", "--adjust", "bh", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  nlohmann::json doc = nlohmann::json::parse(run.out);
  CHECK(doc["options"]["adjust"] == "bh");
  const nlohmann::json* b = find_benchmark(doc, "MT_Bench");
  REQUIRE(b != nullptr);
  CHECK((*b)["capabilities_correlation"]["p_adjusted"].get<double>() >=
        (*b)["capabilities_correlation"]["p"].get<double>());
  CHECK(test::run_safetywash({"analyze", "--dataset", "paper-chat", "--adjust", "fdr"})
            .exit_code == 2);
}

}  // namespace safetywash

namespace safetywash {

TEST_CASE("gate list restricts the check", "[cli]") {
  SECTION("a gated benchmark above the threshold trips") {
    test::RunResult run = test::run_safetywash({"analyze", "--dataset", "paper-chat",
                                                "--fail-above", "0.7", "--gate", "MT_Bench",
                                                "-q"});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("MT_Bench"));
  }
  SECTION("gated benchmarks below the threshold pass") {
    test::RunResult run = test::run_safetywash({"analyze", "--dataset", "paper-chat",
                                                "--fail-above", "0.7", "--gate",
                                                "bbq_amb,wmdp_bio", "-q"});
    CHECK(run.exit_code == 0);
  }
  SECTION("an unknown gated benchmark is an input error") {
    test::RunResult run = test::run_safetywash(
        {"analyze", "--dataset", "paper-chat", "--fail-above", "0.7", "--gate", "nope"});
    CHECK(run.exit_code == 3);
  }
  SECTION("a threshold outside [-1, 1] is a usage error") {
    CHECK(test::run_safetywash({"analyze", "--dataset", "paper-chat", "--fail-above", "nan"})
              .exit_code == 2);
  }
}

TEST_CASE("top option keeps the strongest", "[cli]") {
  test::RunResult run =
      test::run_safetywash({"analyze", "--dataset", "paper-chat", "--top", "3", "-q"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("[top 3 by capabilities correlation]"));
  CHECK_THAT(run.out, Catch::Contains("89.8"));
  CHECK_THAT(run.out, !Catch::Contains("WMDP"));
}

TEST_CASE("colour follows the option", "[cli]") {
  std::vector<std::string> args = {"analyze", "--dataset", "paper-chat", "--top", "3", "-q"};
  SECTION("piped output has no colour") {
    CHECK(test::run_safetywash(args).out.find('\x1b') == std::string::npos);
  }
  SECTION("always forces colour") {
    args.insert(args.end(), {"--color", "always"});
    CHECK(test::run_safetywash(args).out.find("\x1b[31mhigh") != std::string::npos);
  }
  SECTION("an unknown value is a usage error") {
    args.insert(args.end(), {"--color", "sometimes"});
    CHECK(test::run_safetywash(args).exit_code == 2);
  }
}

TEST_CASE("markdown output is a pipe table", "[cli]") {
  test::RunResult run =
      test::run_safetywash({"analyze", "--dataset", "paper-chat", "--format", "markdown", "-q"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::StartsWith("### Safetywashing analysis"));
  CHECK_THAT(run.out, Catch::Contains("| MT Bench | capability | 26 | 78.7 |"));
}

}  // namespace safetywash

namespace safetywash {

TEST_CASE("plots and report are written", "[cli]") {
  std::string folder = test::temp_folder();
  test::RunResult run = test::run_safetywash({"analyze", "--dataset", "paper-chat", "--plots",
                                              folder + "/plots", "--report",
                                              folder + "/report.html", "-q"});
  REQUIRE(run.exit_code == 0);
  for (const char* name : {"correlations.svg", "scores.svg", "scree.svg", "heatmap.svg",
                           "scatter_MT_Bench.svg"}) {
    INFO(name);
    CHECK(std::filesystem::exists(folder + "/plots/" + name));
  }
  std::string html = test::read_text(folder + "/report.html");
  CHECK_THAT(html, Catch::Contains("<svg"));
  CHECK_THAT(html, Catch::Contains("MT Bench"));
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
}

}  // namespace safetywash
