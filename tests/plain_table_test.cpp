// SPDX-License-Identifier: MIT
// Tests of the streaming reader for large plain tables: whenever it reads a
// file, the table must equal the general reader's; otherwise it must decline.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <random>

#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/load.h"
#include "test_support.h"

namespace safetywash {
namespace {

// Bitwise equality of doubles, so that NaN equals NaN and -0.0 differs from 0.0.
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_same_table(const ScoreTable& streamed, const ScoreTable& general) {
  CHECK(streamed.source == general.source);
  CHECK(streamed.models == general.models);
  CHECK(streamed.model_lines == general.model_lines);
  CHECK(streamed.benchmarks == general.benchmarks);
  CHECK(streamed.benchmark_positions == general.benchmark_positions);
  REQUIRE(streamed.scores.rows() == general.scores.rows());
  REQUIRE(streamed.scores.cols() == general.scores.cols());
  std::size_t differing = 0;
  for (Eigen::Index i = 0; i < general.scores.rows(); ++i) {
    for (Eigen::Index j = 0; j < general.scores.cols(); ++j) {
      differing += same_bits(streamed.scores(i, j), general.scores(i, j)) ? 0 : 1;
    }
  }
  CHECK(differing == 0);
  REQUIRE(streamed.attributes.size() == general.attributes.size());
  for (std::size_t a = 0; a < general.attributes.size(); ++a) {
    const Attribute &x = streamed.attributes[a], &y = general.attributes[a];
    CHECK(x.name == y.name);
    CHECK(x.position == y.position);
    CHECK(x.numeric == y.numeric);
    CHECK(x.text == y.text);
    REQUIRE(x.values.size() == y.values.size());
    for (std::size_t i = 0; i < y.values.size(); ++i) CHECK(same_bits(x.values[i], y.values[i]));
  }
}

// Reads `csv` through a file with both readers, the streaming one split
// into `parts` byte ranges (0 for its default). Returns whether the
// streaming one accepted it.
bool compare_readers(const std::string& csv, std::size_t parts = 0) {
  std::string path = test::temp_folder() + "/table.csv";
  test::write_text(path, csv);
  Warnings streamed_warnings, general_warnings;
  std::optional<ScoreTable> streamed =
      read_plain_table(path, TableOptions{}, streamed_warnings, parts);
  if (!streamed) return false;
  ScoreTable general = parse_table(csv, input_name(path), TableOptions{}, general_warnings);
  check_same_table(*streamed, general);
  CHECK(streamed_warnings == general_warnings);
  return true;
}

// A wide table of `rows` models with a text family, compute and scores.
std::string plain_table(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> score(0.0, 1.0);
  std::string csv = "model,family,FLOP,mmlu,gsm8k,bbq,truthfulqa\n";
  for (std::size_t i = 0; i < rows; ++i) {
    csv += fmt::format("m-{},fam {},{:.4e}", i, i % 3, std::pow(10.0, 20 + score(rng) * 5));
    for (int j = 0; j < 4; ++j) {
      double v = score(rng);
      if (v < 0.05) {
        csv += ",";  // a missing cell
      } else {
        csv += fmt::format(",{:.{}f}", v, 1 + (i + j) % 17);
      }
    }
    csv += "\n";
  }
  return csv;
}

}  // namespace

TEST_CASE("streamed table equals general reader", "[plain]") {
  CHECK(compare_readers(plain_table(40, 1)));
  CHECK(compare_readers(plain_table(10000, 2)));
  SECTION("without a final newline") {
    std::string csv = plain_table(30, 3);
    csv.pop_back();
    CHECK(compare_readers(csv));
  }
  SECTION("tabs, blanks around cells and numbers of every form") {
    std::string csv = "model\tmmlu\tgsm8k\n";
    const char* numbers[] = {"0",      "-0",    "1.5",        " 2.25 ",    "1e-3",
                             "-7E+2",  "0.1",   "123456789012345678", "0.30000000000000004",
                             "5e-324", "1.7976931348623157e308", "00012.500"};
    for (std::size_t i = 0; i < 24; ++i) {
      csv += fmt::format("m{}\t{}\t{}\n", i, numbers[i % 12], numbers[(i * 5) % 12]);
    }
    CHECK(compare_readers(csv));
  }
}

TEST_CASE("streamed table is the same for any split into ranges", "[plain]") {
  // Splits into many small ranges put range bounds inside lines, right
  // after line feeds and inside lines longer than a whole range.
  std::string csv = plain_table(60, 7);
  std::string no_final_newline = csv.substr(0, csv.size() - 1);
  std::string long_line = csv;
  std::size_t row = long_line.find("\nm-40,") + 1;
  long_line.insert(long_line.find(',', row), std::string(600, 'x'));
  for (std::size_t parts : {1, 2, 3, 7, 16, 61, 300}) {
    INFO("parts: " << parts);
    CHECK(compare_readers(csv, parts));
    CHECK(compare_readers(no_final_newline, parts));
    CHECK(compare_readers(long_line, parts));
  }
  // A fault in any range makes the whole reading decline.
  std::string fault = csv;
  fault.insert(fault.find(',', fault.find("\nm-50,") + 1) + 1, "\"");
  for (std::size_t parts : {1, 2, 7, 61}) CHECK_FALSE(compare_readers(fault, parts));
}

TEST_CASE("streamed reader declines unsupported files", "[plain]") {
  std::string base = plain_table(30, 4);
  auto with_line = [&](std::size_t line, const std::string& text) {
    std::size_t start = 0;
    for (std::size_t k = 1; k < line; ++k) start = base.find('\n', start) + 1;
    std::size_t end = base.find('\n', start);
    return base.substr(0, start) + text + base.substr(end);
  };

  // Faults after the first rows, which the streaming reader reaches alone.
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,\"0.5\",0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,NA,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,50%,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,1e400,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,inf,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,0x1p3,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,.5,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,+0.5,0.1,0.2,0.3")));

  // Rows of another length, repeated or empty ids, and blank lines.
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,0.5,0.1,0.2")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,0.5,0.1,0.2,0.3,0.4")));
  CHECK_FALSE(compare_readers(with_line(25, "m-3,fam 1,1e22,0.5,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, ",fam 1,1e22,0.5,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "")));

  // Non-ASCII bytes and control characters.
  CHECK_FALSE(compare_readers(with_line(25, "m-\xc3\xa9,fam 1,1e22,0.5,0.1,0.2,0.3")));
  CHECK_FALSE(compare_readers(with_line(25, "m-x,fam 1,1e22,0.5,0.1,0.2,0.3\r")));
  CHECK_FALSE(compare_readers(with_line(25, std::string("m-\0x,fam 1,1e22,0.5,0.1,0.2,0.3", 31))));
  CHECK_FALSE(compare_readers(with_line(25, "m-\x0ex,fam 1,1e22,0.5,0.1,0.2,0.3")));

  // A JSON file and a long table are other formats.
  CHECK_FALSE(compare_readers("[{\"model\": \"a\", \"mmlu\": 0.5}]\n"));
  CHECK_FALSE(compare_readers("model,benchmark,score\na,mmlu,0.5\nb,mmlu,0.6\n"));

  // A header the general reader warns about.
  CHECK_FALSE(compare_readers("id,mmlu,notes\n1,0.5,x\n2,0.6,y\n"));
}

TEST_CASE("late error in large file keeps location", "[plain]") {
  std::string csv = plain_table(30000, 5);
  std::size_t start = 0;
  for (int k = 1; k < 25000; ++k) start = csv.find('\n', start) + 1;
  std::size_t comma = csv.find(',', csv.find(',', csv.find(',', start) + 1) + 1);
  csv.insert(comma + 1, "x");
  REQUIRE(csv.size() > (1u << 20));
  std::string path = test::temp_folder() + "/large.csv";
  test::write_text(path, csv);
  test::RunResult result = test::run_safetywash({"analyze", path, "-c", "mmlu,gsm8k"});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Matchers::Contains(path + ":25000:4:"));
}

TEST_CASE("large file matches standard input analysis", "[plain]") {
  std::string csv = plain_table(30000, 6);
  REQUIRE(csv.size() > (1u << 20));
  std::string path = test::temp_folder() + "/large.csv";
  test::write_text(path, csv);
  std::vector<std::string> args = {"analyze", path, "-c", "mmlu,gsm8k", "--format", "csv"};
  test::RunResult from_file = test::run_safetywash(args);
  args[1] = "-";
  test::RunResult from_stdin = test::run_safetywash(args, csv);
  REQUIRE(from_file.exit_code == 0);
  REQUIRE(from_stdin.exit_code == 0);
  CHECK(from_file.out == from_stdin.out);
}

}  // namespace safetywash
