// SPDX-License-Identifier: MIT
// Tests of `safetywash validate`: every problem of a table with its location,
// the summary of each input, and the exit code.
#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;
using test::run_safetywash;

std::string input_path(const std::string& name) { return test::data_path("inputs/" + name); }

// Counts the output lines that start with "<path>:<digit>", the form of a
// problem located in that file.
std::size_t located_lines(const std::string& out, const std::string& path) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    std::string prefix = path + ":";
    if (line.rfind(prefix, 0) == 0 && line.size() > prefix.size() &&
        std::isdigit(static_cast<unsigned char>(line[prefix.size()]))) {
      ++count;
    }
    start = end + 1;
  }
  return count;
}

}  // namespace

TEST_CASE("validate reports three problems", "[validate]") {
  std::string path = input_path("three_problems.csv");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out, Contains(path + ":3:2: cell '0.45x' in column 'mmlu'"));
  CHECK_THAT(run.out, Contains(path + ":4:1: duplicate model 'kite-1b' (lines 2 and 4)"));
  CHECK_THAT(run.out, Contains(path + ":5: row has 2 field(s) but the header has 4"));
  CHECK(located_lines(run.out, path) == 3);
  CHECK_THAT(run.err, Contains("3 problem(s)"));
}

TEST_CASE("validate still summarizes bad table", "[validate]") {
  std::string path = input_path("three_problems.csv");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK_THAT(run.out, Contains(path + ": 3 problem(s)"));
  CHECK_THAT(run.out, Contains(path + ": 3 models, 2 benchmark columns"));
}

TEST_CASE("validate clean table exits 0", "[validate]") {
  std::string path = input_path("clean.csv");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK_THAT(run.out,
             Contains(path + ": 3 models, 3 benchmark columns (2 in the registry, 1 not)\n"));
  CHECK_THAT(run.out,
             Contains("not in the registry (reported with category 'other'): quiz_zeta\n"));
  CHECK_THAT(run.out, Contains("  missing cells: gsm8k 1\n"));
  CHECK_THAT(run.out,
             Contains("  attribute columns: family (text), training_flop (numbers, compute)\n"));
  CHECK(located_lines(run.out, path) == 0);
}

TEST_CASE("validate summarizes JSON table", "[validate]") {
  std::string path = input_path("records.json");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out,
             Contains(path + ": 2 models, 2 benchmark columns (2 in the registry, 0 not)\n"));
  CHECK_THAT(run.out, Contains("  missing cells: gsm8k 1\n"));
  CHECK_THAT(run.out, Contains("family (text)"));
  CHECK_THAT(run.out, Contains("training_flop (numbers, compute)"));
}

TEST_CASE("validate summarizes lm-eval folder", "[validate]") {
  test::RunResult run = run_safetywash({"validate", input_path("lm_eval_v04")});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Contains("4 models, 5 benchmark columns (4 in the registry, 1 not)\n"));
  CHECK_THAT(run.out, Contains("not in the registry (reported with category 'other'): lore_ppl\n"));
  CHECK_THAT(run.out, Contains("  no missing cells\n"));
  CHECK_THAT(run.out, Contains("  attribute columns: parameters (numbers)\n"));
}

TEST_CASE("validate summarizes lm-eval file", "[validate]") {
  std::string path = input_path("lm_eval_edge_v04.json");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out,
             Contains(path + ": 1 models, 10 benchmark columns (4 in the registry, 6 not)"));
}

TEST_CASE("validate summarizes long table", "[validate]") {
  std::string path = input_path("long_scores.csv");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out,
             Contains(path + ": 2 models, 3 benchmark columns (3 in the registry, 0 not)\n"));
  CHECK(located_lines(run.out, path) == 0);
}

TEST_CASE("validate long table repeated pair", "[validate]") {
  std::string path = input_path("long_duplicate.csv");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out, Contains(path + ":5:"));
  CHECK_THAT(run.out, Contains("'mmlu'"));
  CHECK(located_lines(run.out, path) == 1);
}

TEST_CASE("validate summarizes every file", "[validate]") {
  test::RunResult run =
      run_safetywash({"validate", input_path("clean.csv"), input_path("records.json")});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Contains(input_path("clean.csv") + ": 3 models"));
  CHECK_THAT(run.out, Contains(input_path("records.json") + ": 2 models"));
}

TEST_CASE("validate bad file keeps others", "[validate]") {
  test::RunResult run =
      run_safetywash({"validate", input_path("three_problems.csv"), input_path("clean.csv")});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out, Contains(input_path("clean.csv") + ": 3 models"));
  CHECK(located_lines(run.out, input_path("clean.csv")) == 0);
}

TEST_CASE("validate invalid JSON names line", "[validate]") {
  std::string path = input_path("lm_eval_nan.json");
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out, Contains(path + ":5:"));
  CHECK_THAT(run.out, Contains(path + ": not readable past the problem above"));
}

TEST_CASE("validate number overflow keeps going", "[validate]") {
  std::string path = test::temp_folder() + "/overflow.json";
  test::write_text(path, "[{\"model\": \"kite-1b\", \"mmlu\": 1e400}]\n");
  test::RunResult run = run_safetywash({"validate", path, input_path("clean.csv")});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out, Contains(path + ":1"));
  CHECK_THAT(run.out, Contains(input_path("clean.csv") + ": 3 models"));
}

TEST_CASE("validate missing file exits 3", "[validate]") {
  std::string path = test::temp_folder() + "/absent.csv";
  test::RunResult run = run_safetywash({"validate", path});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out, Contains(path));
}

}  // namespace safetywash
