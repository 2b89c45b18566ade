// SPDX-License-Identifier: MIT
// Tests of score-table parsing: columns, cells, numbers, percentages, errors.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/error.h"
#include "safetywash/table.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;
using Names = std::vector<std::string>;

ScoreTable parse(std::string_view text, Warnings& warnings, const TableOptions& options = {}) {
  return parse_table(text, "scores.csv", options, warnings);
}

ScoreTable parse(std::string_view text, const TableOptions& options = {}) {
  Warnings warnings;
  return parse(text, warnings, options);
}

// Returns the message of the InputError that parsing `text` throws, or an
// empty string when parsing succeeds.
std::string parse_error(std::string_view text, const TableOptions& options = {}) {
  Warnings warnings;
  try {
    parse_table(text, "scores.csv", options, warnings);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

double score_at(const ScoreTable& table, std::size_t model, std::size_t benchmark) {
  return table.scores(static_cast<Eigen::Index>(model), static_cast<Eigen::Index>(benchmark));
}

std::uint64_t bit_pattern(double value) { return std::bit_cast<std::uint64_t>(value); }

// Reads one cell that must be a number.
double read_number(std::string_view cell, char decimal = '.') {
  CellValue value = parse_cell(cell, decimal);
  INFO("cell: '" << cell << "', problem: " << value.problem);
  REQUIRE(value.kind == CellValue::Kind::Number);
  return value.value;
}

}  // namespace

TEST_CASE("table basic layout", "[table]") {
  ScoreTable table = parse("model,mmlu,gsm8k\na,0.5,0.25\nb,0.75,\n");

  CHECK(table.source == "scores.csv");
  CHECK(table.models == Names{"a", "b"});
  CHECK(table.model_lines == std::vector<std::size_t>{2, 3});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
  CHECK(table.benchmark_positions == std::vector<std::size_t>{2, 3});
  REQUIRE(table.scores.rows() == 2);
  REQUIRE(table.scores.cols() == 2);
  CHECK(score_at(table, 0, 0) == 0.5);
  CHECK(score_at(table, 0, 1) == 0.25);
  CHECK(score_at(table, 1, 0) == 0.75);
  CHECK(std::isnan(score_at(table, 1, 1)));
  CHECK(table.attributes.empty());
}

TEST_CASE("model column found by name", "[table]") {
  for (std::string_view name : {"model", "Model", "MODEL", "mOdEl"}) {
    INFO("header: " << name);
    ScoreTable table = parse(std::string("mmlu,") + std::string(name) + ",gsm8k\n0.5,a,0.1\n");
    CHECK(table.models == Names{"a"});
    CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
    CHECK(table.benchmark_positions == std::vector<std::size_t>{1, 3});
  }
}

TEST_CASE("first column is default model", "[table]") {
  ScoreTable table = parse("llm,mmlu,models\nx,0.5,3\ny,0.6,4\n");

  CHECK(table.models == Names{"x", "y"});
  CHECK(table.benchmarks == Names{"mmlu", "models"});
}

TEST_CASE("missing markers read as NaN", "[table]") {
  const std::vector<std::string> markers = {
      "",    "NA",  "na",   "Na",   "N/A",  "n/a",  "NaN",    "nan",     "NAN",
      "null", "NULL", "Null", "-",  " NA ", "\tnull\t", "  -  ", " N/A\t", "  "};
  for (const std::string& marker : markers) {
    INFO("cell: '" << marker << "'");
    CellValue value = parse_cell(marker);
    CHECK(value.kind == CellValue::Kind::Missing);
  }
}

TEST_CASE("missing markers in a numeric column", "[table]") {
  ScoreTable table =
      parse("model,mmlu\na,0.5\nb,NA\nc,\"  n/a \"\nd,NaN\ne,null\nf,-\ng,\"\"\nh,\n");

  REQUIRE(table.models.size() == 8);
  CHECK(score_at(table, 0, 0) == 0.5);
  for (std::size_t i = 1; i < table.models.size(); ++i) {
    INFO("model: " << table.models[i]);
    CHECK(std::isnan(score_at(table, i, 0)));
  }
}

TEST_CASE("model named like a marker kept", "[table]") {
  ScoreTable table = parse("model,mmlu\nNA,0.5\nnull,0.6\n-,0.7\nNaN,0.8\n");

  CHECK(table.models == Names{"NA", "null", "-", "NaN"});
  CHECK(score_at(table, 0, 0) == 0.5);
}

TEST_CASE("decimal literals read exactly", "[table]") {
  SECTION("long integer and exponent give identical bits") {
    CHECK(bit_pattern(read_number("5000000000000000000000000")) ==
          bit_pattern(read_number("5.0e24")));
    CHECK(bit_pattern(read_number("5.0e24")) == bit_pattern(5.0e24));
  }
  SECTION("large integers") {
    CHECK(bit_pattern(read_number("800000000000000000000")) == bit_pattern(8e20));
    CHECK(bit_pattern(read_number("160000000000000000000000")) == bit_pattern(1.6e23));
  }
  SECTION("ties round to even") {
    CHECK(read_number("9007199254740993") == 9007199254740992.0);
    CHECK(read_number("9007199254740995") == 9007199254740996.0);
  }
  SECTION("signs and exponents") {
    CHECK(read_number("+5") == 5.0);
    CHECK(read_number("-0.5") == -0.5);
    CHECK(bit_pattern(read_number("1.75e+22")) == bit_pattern(1.75e22));
    CHECK(bit_pattern(read_number("2E-3")) == bit_pattern(2e-3));
    CHECK(read_number(".5") == 0.5);
    CHECK(read_number("0") == 0.0);
  }
  SECTION("short decimals") {
    CHECK(bit_pattern(read_number("0.1")) == bit_pattern(0.1));
    CHECK(bit_pattern(read_number("0.3")) == bit_pattern(0.3));
    CHECK(bit_pattern(read_number("0.78654")) == bit_pattern(0.78654));
  }
  SECTION("largest double") {
    CHECK(read_number("1.7976931348623157e308") == 1.7976931348623157e308);
  }
  SECTION("blanks around the number") {
    CHECK(read_number("  0.5\t") == 0.5);
  }
}

TEST_CASE("non-decimal cells are invalid", "[table]") {
  const std::vector<std::string> cells = {
      "inf",   "-inf",  "+inf",  "Inf",     "infinity", "Infinity", "-infinity",
      "0x1p80", "0x10", "1e400", "-1e400",  "1e999999", "2.1\xC3\x97" "10^25",
      "1,000", "1 000", "1_000", "5e",      "e5",       "1.2.3",    "--5",
      "+-5",   "abc",   "%",     "5%%",     "% 5",      "1e2.5",    "0.5x",
      "five",  "1/2"};
  for (const std::string& cell : cells) {
    INFO("cell: '" << cell << "'");
    CellValue value = parse_cell(cell);
    CHECK(value.kind == CellValue::Kind::Invalid);
    CHECK_FALSE(value.problem.empty());
  }
}

TEST_CASE("cell problems and numeric hints", "[table]") {
  // numeric_like marks cells meant as numbers, which make a column numeric.
  struct Case {
    std::string_view cell;
    std::string_view problem;
    bool numeric_like;
  };
  const std::vector<Case> cases = {
      {"abc", "not a number", false},
      {"nulls", "not a number", false},
      {"n/a/", "not a number", false},
      {" N A ", "not a number", false},
      {"INF", "not a finite number", true},
      {"-Infinity", "not a finite number", true},
      {"+iNf", "not a finite number", true},
      {"0X1F", "not a number", true},
      {"-0x10", "not a number", true},
      {"x0", "not a number", false},
      {"1e400", "outside the range of a double", true},
      {"-1e400 %", "outside the range of a double", true},
      {"1,000",
       "not a number: a decimal comma or thousands separator; pass --decimal , if the file "
       "uses decimal commas",
       true},
      {"", "", false},
      {"0.25", "", false},
  };
  for (const Case& c : cases) {
    INFO("cell: '" << c.cell << "'");
    CellValue value = parse_cell(c.cell);
    CHECK(value.problem == c.problem);
    CHECK(value.numeric_like == c.numeric_like);
  }
}

TEST_CASE("numbers next to signs and percent", "[table]") {
  CHECK(read_number("+.5") == 0.5);
  CHECK(read_number(" +7e1 ") == 70.0);
  CHECK(read_number("-0") == 0.0);
  CHECK(std::signbit(read_number("-0")));
  CHECK(read_number("+1,5", ',') == 1.5);

  CellValue percent = parse_cell(" +12.5\t% ");
  CHECK(percent.kind == CellValue::Kind::Number);
  CHECK(percent.percent);
  CHECK(percent.value == 12.5);

  CellValue marker_percent = parse_cell("NA%");
  CHECK(marker_percent.kind == CellValue::Kind::Invalid);
  CHECK(marker_percent.percent);
}

TEST_CASE("thousands separator suggests --decimal", "[table]") {
  CellValue value = parse_cell("1,000");

  CHECK(value.kind == CellValue::Kind::Invalid);
  CHECK_THAT(value.problem, Contains("--decimal"));
  CHECK_THAT(parse_error("model,mmlu\na,0.5\nb,\"1,5\"\n"), Contains("--decimal"));
}

TEST_CASE("decimal comma option", "[table]") {
  SECTION("numbers") {
    CHECK(read_number("0,5", ',') == 0.5);
    CHECK(read_number("-0,25", ',') == -0.25);
    CHECK(read_number("1,5e3", ',') == 1500.0);
    CHECK(read_number("+2", ',') == 2.0);
    CHECK(bit_pattern(read_number("0,1", ',')) == bit_pattern(0.1));
  }
  SECTION("percentages") {
    CellValue value = parse_cell("50,5 %", ',');
    CHECK(value.kind == CellValue::Kind::Number);
    CHECK(value.percent);
    CHECK(value.value == 50.5);
  }
  SECTION("a decimal point is invalid") {
    for (std::string_view cell : {"1.5", "1.000,5", "0.5e2"}) {
      INFO("cell: '" << cell << "'");
      CHECK(parse_cell(cell, ',').kind == CellValue::Kind::Invalid);
    }
  }
  SECTION("markers still missing") {
    CHECK(parse_cell("NA", ',').kind == CellValue::Kind::Missing);
    CHECK(parse_cell("-", ',').kind == CellValue::Kind::Missing);
  }
}

TEST_CASE("semicolon table with decimal commas", "[table]") {
  Warnings warnings;
  TableOptions options;
  options.decimal = ',';
  ScoreTable table = parse_table(test::read_data("input/semicolon_decimal_comma.csv"),
                                 "semicolon_decimal_comma.csv", options, warnings);

  CHECK(table.models ==
        Names{"Mod\xC3\xA8le A", "Mod\xC3\xA8le B", "Mod\xC3\xA8le C"});
  CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
  CHECK(score_at(table, 0, 0) == 0.625);
  CHECK(score_at(table, 1, 0) == 0.5);
  CHECK(std::isnan(score_at(table, 2, 0)));
  CHECK(score_at(table, 0, 1) == Approx(0.455));
  CHECK(std::isnan(score_at(table, 1, 1)));
  CHECK(score_at(table, 2, 1) == Approx(0.12));
  const Attribute* compute = table.find_attribute("Training FLOP");
  REQUIRE(compute != nullptr);
  CHECK(compute->numeric);
  REQUIRE(compute->values.size() == 3);
  CHECK(compute->values[0] == 1.5e23);
  CHECK(compute->values[1] == 3e22);
  CHECK(std::isnan(compute->values[2]));
}

TEST_CASE("BOM, CRLF and blank lines table", "[table]") {
  Warnings warnings;
  ScoreTable table = parse_table(test::read_data("input/bom_crlf_blank_lines.csv"),
                                 "bom_crlf_blank_lines.csv", {}, warnings);

  CHECK(table.models == Names{"gpt-a", "gpt-b"});
  CHECK(table.model_lines == std::vector<std::size_t>{3, 6});
  CHECK(table.benchmarks == Names{"MMLU, 5-shot", "say \"hi\""});
  CHECK(table.benchmark_positions == std::vector<std::size_t>{2, 3});
  CHECK(score_at(table, 0, 0) == 0.5);
  CHECK(score_at(table, 1, 0) == 0.75);
  CHECK(score_at(table, 0, 1) == 0.25);
  CHECK(std::isnan(score_at(table, 1, 1)));
  const Attribute* compute = table.find_attribute("training_flop");
  REQUIRE(compute != nullptr);
  CHECK(compute->values == std::vector<double>{1e23, 2e23});
  CHECK(warnings.empty());
}

TEST_CASE("percent column divided by 100", "[table]") {
  ScoreTable table = parse("model,mmlu,gsm8k\na,50%,0.5\nb,25 %,0.25\nc,NA,0.1\nd,12.5%,1\n");

  REQUIRE(table.scores.rows() == 4);
  CHECK(score_at(table, 0, 0) == 0.5);
  CHECK(score_at(table, 1, 0) == 0.25);
  CHECK(std::isnan(score_at(table, 2, 0)));
  CHECK(score_at(table, 3, 0) == 0.125);
  CHECK(score_at(table, 3, 1) == 1.0);
}

TEST_CASE("percent cell parsed", "[table]") {
  CellValue value = parse_cell("45.5 %");

  CHECK(value.kind == CellValue::Kind::Number);
  CHECK(value.percent);
  CHECK(value.value == 45.5);
  CHECK_FALSE(parse_cell("45.5").percent);
}

TEST_CASE("percent mixed with plain numbers", "[table]") {
  SECTION("percent first") {
    std::string message = parse_error("model,mmlu\na,50%\nb,NA\nc,0.3\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("'mmlu'"));
    CHECK_THAT(message, Contains("line 2"));
    CHECK_THAT(message, Contains("line 4"));
  }
  SECTION("plain number first") {
    std::string message = parse_error("model,x,gsm8k\na,1,0.3\nb,2,40 %\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("'gsm8k'"));
    CHECK_THAT(message, Contains("line 2"));
    CHECK_THAT(message, Contains("line 3"));
  }
}

TEST_CASE("text column becomes attribute", "[table]") {
  Warnings warnings;
  ScoreTable table = parse("model,mmlu,region\na,0.5,US\nb,0.6,\nc,0.7,EU\n", warnings);

  CHECK(table.benchmarks == Names{"mmlu"});
  const Attribute* region = table.find_attribute("region");
  REQUIRE(region != nullptr);
  CHECK_FALSE(region->numeric);
  CHECK(region->position == 3);
  CHECK(region->text == Names{"US", "", "EU"});
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("region"));
}

TEST_CASE("known text attributes not warned", "[table]") {
  for (std::string_view name : {"name", "display_name", "type", "family", "Family"}) {
    INFO("column: " << name);
    Warnings warnings;
    ScoreTable table =
        parse("model,mmlu," + std::string(name) + "\na,0.5,chat\nb,0.6,base\n", warnings);
    const Attribute* attribute = table.find_attribute(name);
    REQUIRE(attribute != nullptr);
    CHECK_FALSE(attribute->numeric);
    CHECK(table.benchmarks == Names{"mmlu"});
    CHECK(warnings.empty());
  }
}

TEST_CASE("text attribute keeps numeric text", "[table]") {
  ScoreTable table = parse("model,mmlu,type\na,0.5,1\nb,0.6,2.0\n");

  const Attribute* type = table.find_attribute("type");
  REQUIRE(type != nullptr);
  CHECK_FALSE(type->numeric);
  CHECK(type->text == Names{"1", "2.0"});
  CHECK(table.benchmarks == Names{"mmlu"});
}

TEST_CASE("column without numbers is text", "[table]") {
  Warnings warnings;
  ScoreTable table = parse("model,mmlu,notes\na,0.5,good\nb,0.6,NA\n", warnings);

  CHECK(table.benchmarks == Names{"mmlu"});
  CHECK_FALSE(table.find_benchmark("notes").has_value());
  const Attribute* notes = table.find_attribute("notes");
  REQUIRE(notes != nullptr);
  CHECK_FALSE(notes->numeric);
}

TEST_CASE("all-missing column is an empty benchmark", "[table]") {
  // A benchmark without results yet is still a benchmark. The analysis lists
  // it as skipped for having no values.
  Warnings warnings;
  ScoreTable table = parse("model,mmlu,pending\na,0.5,\nb,0.6,NA\n", warnings);

  REQUIRE(table.find_benchmark("pending").has_value());
  auto column = static_cast<Eigen::Index>(*table.find_benchmark("pending"));
  CHECK(std::isnan(table.scores(0, column)));
  CHECK(std::isnan(table.scores(1, column)));
  CHECK(table.find_attribute("pending") == nullptr);
}

TEST_CASE("text cell in numeric column", "[table]") {
  SECTION("after the numbers") {
    std::string message = parse_error("model,mmlu,gsm8k\na,0.5,0.1\nb,0.6,0.2\nc,0.7,high\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:4:3"));
    CHECK_THAT(message, Contains("'high'"));
  }
  SECTION("before the only number") {
    std::string message = parse_error("model,mmlu\na,n.a.\nb,tbd\nc,0.7\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:2:2"));
    CHECK_THAT(message, Contains("'n.a.'"));
  }
  SECTION("infinity among numbers") {
    std::string message = parse_error("model,mmlu\na,0.5\nb,inf\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:3:2"));
    CHECK_THAT(message, Contains("'inf'"));
  }
  SECTION("line of a row after a multi-line field") {
    std::string message = parse_error("model,note,mmlu\na,\"x\ny\",0.5\nb,z,oops\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:4:3"));
  }
}

TEST_CASE("compute names recognized", "[table]") {
  for (std::string_view name :
       {"FLOP", "flop", "flops", "FLOPs", "training_flop", "Training FLOP", "training-flops",
        "compute", "Compute", "training_compute", "Training compute (FLOP)", "pretraining_flop"}) {
    INFO("name: " << name);
    CHECK(is_compute_name(name));
    CHECK(is_attribute_name(name));
  }
  for (std::string_view name :
       {"mmlu", "college_computer_science", "flop_rate_x", "params", "model", ""}) {
    INFO("name: " << name);
    CHECK_FALSE(is_compute_name(name));
  }
}

TEST_CASE("attribute names recognized", "[table]") {
  for (std::string_view name : {"parameters", "params", "Parameters", "model_size", "name",
                                "display_name", "type", "family", "FLOP"}) {
    INFO("name: " << name);
    CHECK(is_attribute_name(name));
  }
  for (std::string_view name :
       {"mmlu", "truthfulqa_mc1", "gsm8k", "bbq", "machiavelli-power.\xCE\xA3"}) {
    INFO("name: " << name);
    CHECK_FALSE(is_attribute_name(name));
  }
}

TEST_CASE("compute and parameters are attributes", "[table]") {
  ScoreTable table = parse(
      "model,FLOP,mmlu,params,model_size,training_flop\n"
      "a,1e23,0.5,7e9,7,2e23\n"
      "b,,0.6,13000000000,13,NA\n");

  CHECK(table.benchmarks == Names{"mmlu"});
  CHECK(table.scores.cols() == 1);
  for (std::string_view name : {"FLOP", "params", "model_size", "training_flop"}) {
    INFO("column: " << name);
    const Attribute* attribute = table.find_attribute(name);
    REQUIRE(attribute != nullptr);
    CHECK(attribute->numeric);
    CHECK(attribute->values.size() == 2);
  }
  const Attribute* flop = table.find_attribute("FLOP");
  REQUIRE(flop != nullptr);
  CHECK(flop->position == 2);
  CHECK(flop->values[0] == 1e23);
  CHECK(std::isnan(flop->values[1]));
  const Attribute* params = table.find_attribute("params");
  REQUIRE(params != nullptr);
  CHECK(params->values[1] == 13e9);
}

TEST_CASE("compute column with text rejected", "[table]") {
  std::string message = parse_error("model,mmlu,FLOP\na,0.5,1e23\nb,0.6,unknown\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("scores.csv:3:3"));
  CHECK_THAT(message, Contains("'unknown'"));
}

TEST_CASE("duplicate column names rejected", "[table]") {
  std::string message = parse_error("model,mmlu,gsm8k,mmlu\na,1,2,3\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("'mmlu'"));
  CHECK_THAT(message, Contains("columns 2 and 4"));
}

TEST_CASE("quoted header names compared as read", "[table]") {
  SECTION("quoted and unquoted spelling of one name") {
    std::string message = parse_error("model,\"mmlu\",mmlu\na,1,2\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("columns 2 and 3"));
  }
  SECTION("quoted names with delimiters and quotes") {
    ScoreTable table = parse("\"model\",\"a,b\",\"c\"\"d\",\"e\nf\"\nx,1,2,3\n");
    CHECK(table.benchmarks == Names{"a,b", "c\"d", "e\nf"});
    CHECK(table.model_lines == std::vector<std::size_t>{3});
  }
}

TEST_CASE("NFC and NFD names differ", "[table]") {
  const std::string nfc = "Caf\xC3\xA9";
  const std::string nfd = "Cafe\xCC\x81";

  SECTION("column names") {
    ScoreTable table = parse("model," + nfc + "," + nfd + "\na,1,2\n");
    CHECK(table.benchmarks == Names{nfc, nfd});
  }
  SECTION("model names") {
    ScoreTable table = parse("model,mmlu\n" + nfc + ",1\n" + nfd + ",2\n");
    CHECK(table.models == Names{nfc, nfd});
  }
}

TEST_CASE("non-ASCII names kept byte for byte", "[table]") {
  const std::string chinese = "\xE9\x80\x9A\xE4\xB9\x89\xE5\x8D\x83\xE9\x97\xAE";
  const std::string hyphenated = "Qwen\xE2\x80\x91" "72B";
  const std::string sigma = "machiavelli-power.\xCE\xA3";
  ScoreTable table =
      parse("model," + sigma + ",mmlu\n" + chinese + ",1,2\n" + hyphenated + ",3,4\n");

  CHECK(table.models == Names{chinese, hyphenated});
  CHECK(table.benchmarks == Names{sigma, "mmlu"});
  CHECK(table.find_benchmark(sigma) == std::optional<std::size_t>(0));
}

TEST_CASE("model names differing in case", "[table]") {
  ScoreTable table = parse("model,mmlu\ngpt-4,1\nGPT-4,2\nGpt-4,3\n");

  CHECK(table.models == Names{"gpt-4", "GPT-4", "Gpt-4"});
}

TEST_CASE("duplicate model ids rejected", "[table]") {
  SECTION("exact duplicate") {
    std::string message = parse_error("model,mmlu\na,1\nb,2\n\nc,\"x\"\na,3\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("'a'"));
    CHECK_THAT(message, Contains("lines 2 and 6"));
  }
  SECTION("blanks trimmed from unquoted names") {
    std::string message = parse_error("model,mmlu\n a ,1\na,2\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("lines 2 and 3"));
  }
  SECTION("quoted copy of an unquoted name") {
    std::string message = parse_error("model,mmlu\nmodel-x,1\n\"model-x\",2\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("lines 2 and 3"));
  }
}

TEST_CASE("short row rejected", "[table]") {
  std::string message = parse_error("model,mmlu,gsm8k\na,1,2\n\nb,1\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("scores.csv:4"));
}

TEST_CASE("empty extra fields accepted", "[table]") {
  Warnings warnings;
  ScoreTable table = parse("model,mmlu\na,1,,\nb,2,\"\"\nc,3\n", warnings);

  CHECK(table.models == Names{"a", "b", "c"});
  CHECK(table.benchmarks == Names{"mmlu"});
  CHECK(score_at(table, 2, 0) == 3.0);
  CHECK(warnings.size() == 1);
}

TEST_CASE("non-empty extra field rejected", "[table]") {
  SECTION("plain text") {
    std::string message = parse_error("model,mmlu\na,1\nb,2,,x\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:3"));
    CHECK_THAT(message, Contains("'x'"));
  }
  SECTION("a zero") {
    std::string message = parse_error("model,mmlu\na,1,0\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:2"));
  }
}

TEST_CASE("trailing empty header names dropped", "[table]") {
  Warnings warnings;
  ScoreTable table = parse("model,mmlu,gsm8k,,\na,1,2,,\nb,3,4\n", warnings);

  CHECK(table.benchmarks == Names{"mmlu", "gsm8k"});
  CHECK(table.benchmark_positions == std::vector<std::size_t>{2, 3});
  CHECK(table.models == Names{"a", "b"});
  CHECK_FALSE(warnings.empty());
  CHECK_THAT(warnings.front(), Contains("scores.csv:1"));
}

TEST_CASE("empty header name inside rejected", "[table]") {
  std::string message = parse_error("model,,gsm8k\na,1,2\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("scores.csv:1:2"));
}

TEST_CASE("empty model name rejected", "[table]") {
  SECTION("unquoted") {
    std::string message = parse_error("model,mmlu\na,1\n,2\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:3:1"));
  }
  SECTION("quoted") {
    std::string message = parse_error("mmlu,model\n1,a\n2,\"\"\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("scores.csv:3:2"));
  }
  SECTION("blanks only") {
    CHECK_FALSE(parse_error("model,mmlu\n  ,2\n").empty());
  }
}

TEST_CASE("header without rows rejected", "[table]") {
  SECTION("header only") { CHECK_FALSE(parse_error("model,mmlu\n").empty()); }
  SECTION("header and blank lines") { CHECK_FALSE(parse_error("model,mmlu\r\n\r\n\n").empty()); }
  SECTION("header without line end") { CHECK_FALSE(parse_error("model,mmlu").empty()); }
  SECTION("empty input") { CHECK_FALSE(parse_error("").empty()); }
  SECTION("byte order mark only") { CHECK_FALSE(parse_error("\xEF\xBB\xBF").empty()); }
}

TEST_CASE("invalid UTF-8 in a table", "[table]") {
  std::string message;
  try {
    Warnings warnings;
    parse_table(test::read_data("input/latin1.csv"), "latin1.csv", {}, warnings);
  } catch (const InputError& error) {
    message = error.what();
  }
  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("latin1.csv:3:4"));
  CHECK_THAT(message, Contains("UTF-8"));
}

TEST_CASE("explicit delimiter option used", "[table]") {
  TableOptions options;
  options.delimiter = '\t';
  ScoreTable table = parse("model\tmmlu,5-shot\na\t0.5\n", options);

  CHECK(table.benchmarks == Names{"mmlu,5-shot"});
  CHECK(score_at(table, 0, 0) == 0.5);
}

TEST_CASE("tab-separated table", "[table]") {
  ScoreTable table = parse("model\tmmlu\tFLOP\r\na b\t0.5\t1e23\r\nc\t\t2e23\r\n");

  CHECK(table.models == Names{"a b", "c"});
  CHECK(table.benchmarks == Names{"mmlu"});
  CHECK(std::isnan(score_at(table, 1, 0)));
  REQUIRE(table.find_attribute("FLOP") != nullptr);
}

TEST_CASE("make_attribute moves a column", "[table]") {
  ScoreTable table = parse("model,a,b,c\nx,1,2,3\ny,4,NA,6\n");
  REQUIRE(table.benchmarks == Names{"a", "b", "c"});

  table.make_attribute(1);

  CHECK(table.benchmarks == Names{"a", "c"});
  CHECK(table.benchmark_positions == std::vector<std::size_t>{2, 4});
  REQUIRE(table.scores.rows() == 2);
  REQUIRE(table.scores.cols() == 2);
  CHECK(score_at(table, 0, 0) == 1.0);
  CHECK(score_at(table, 0, 1) == 3.0);
  CHECK(score_at(table, 1, 0) == 4.0);
  CHECK(score_at(table, 1, 1) == 6.0);
  CHECK_FALSE(table.find_benchmark("b").has_value());
  const Attribute* moved = table.find_attribute("b");
  REQUIRE(moved != nullptr);
  CHECK(moved->numeric);
  CHECK(moved->position == 3);
  REQUIRE(moved->values.size() == 2);
  CHECK(moved->values[0] == 2.0);
  CHECK(std::isnan(moved->values[1]));
}

TEST_CASE("make_attribute on the last column", "[table]") {
  ScoreTable table = parse("model,a,b\nx,1,2\n");

  table.make_attribute(1);
  CHECK(table.benchmarks == Names{"a"});
  CHECK(table.scores.cols() == 1);
  CHECK(score_at(table, 0, 0) == 1.0);

  table.make_attribute(0);
  CHECK(table.benchmarks.empty());
  CHECK(table.scores.cols() == 0);
  CHECK(table.scores.rows() == 1);
  CHECK(table.attributes.size() == 2);
}

TEST_CASE("find_benchmark and find_attribute exact", "[table]") {
  ScoreTable table = parse("model,MMLU,family\na,1,x\n");

  CHECK(table.find_benchmark("MMLU") == std::optional<std::size_t>(0));
  CHECK_FALSE(table.find_benchmark("mmlu").has_value());
  CHECK(table.find_attribute("family") != nullptr);
  CHECK(table.find_attribute("Family") == nullptr);
}

}  // namespace safetywash
