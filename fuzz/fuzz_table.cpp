// SPDX-License-Identifier: MIT
// Fuzz target for parse_table (wide CSV) and, on small tables, analyze.
// The first input byte selects the options and the rest is the table text:
//   bit 0     decimal separator: 0 = '.', 1 = ','
//   bit 1     collecting mode: problems are listed instead of thrown
//   bits 2-3  delimiter: detected, ',', tab or ';'
//   bit 4     run the default analysis on the parsed table, when it is small
//             (see kMaxAnalysisInput and kDefaultMaxAnalysisModels)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/benchmarks.h"
#include "safetywash/error.h"
#include "safetywash/table.h"

namespace {

constexpr char kDelimiters[] = {0, ',', '\t', ';'};

// The analysis runs only on inputs up to this size. Its cost grows with the
// table, so on larger inputs it would take most of the execution time.
constexpr std::size_t kMaxAnalysisInput = 4096;

[[noreturn]] void fail(const char* message) {
  std::fprintf(stderr, "fuzz_table: %s\n", message);
  std::abort();
}

void check_table(const safetywash::ScoreTable& table) {
  if (static_cast<std::size_t>(table.scores.rows()) != table.models.size()) {
    fail("score rows differ from the number of models");
  }
  if (static_cast<std::size_t>(table.scores.cols()) != table.benchmarks.size()) {
    fail("score columns differ from the number of benchmarks");
  }
  if (table.model_lines.size() != table.models.size()) {
    fail("model_lines differs in size from models");
  }
  if (table.benchmark_positions.size() != table.benchmarks.size()) {
    fail("benchmark_positions differs in size from benchmarks");
  }
  for (const safetywash::Attribute& attribute : table.attributes) {
    std::size_t size = attribute.numeric ? attribute.values.size() : attribute.text.size();
    if (size != table.models.size()) fail("an attribute has one value per model missing");
  }
}

const safetywash::Registry& builtin_registry() {
  static const safetywash::Registry registry = safetywash::Registry::builtin();
  return registry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<std::string> problems;
  safetywash::TableOptions options;
  options.decimal = (selector & 1) != 0 ? ',' : '.';
  if ((selector & 2) != 0) options.problems = &problems;
  options.delimiter = kDelimiters[(selector >> 2) & 3];
  const bool run_analysis = (selector & 16) != 0 && size <= kMaxAnalysisInput;

  safetywash::Warnings warnings;
  safetywash::ScoreTable table;
  try {
    table = safetywash::parse_table(text, "fuzz.csv", options, warnings);
  } catch (const safetywash::Error&) {
    return 0;  // Malformed tables are expected. Other exceptions abort the run.
  }
  check_table(table);

  if (run_analysis) {
    try {
      safetywash::analyze(table, builtin_registry(), safetywash::AnalysisOptions{});
    } catch (const safetywash::Error&) {
      // Tables that do not fit the default analysis are rejected with an error.
    }
  }
  return 0;
}
