// SPDX-License-Identifier: MIT
// Tests of the benchmark registry: built-in entries, lookup and metadata merging.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/benchmarks.h"
#include "safetywash/error.h"
#include "safetywash/table.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;

// The repository's data folder, which contains benchmarks.csv, paper_base.csv and
// paper_chat.csv.
const std::string kRepositoryData = std::string(SAFETYWASH_TEST_DATA) + "/../../data";

// Returns the message of the InputError that merging `text` throws, or an
// empty string when merging succeeds.
std::string merge_error(Registry& registry, std::string_view text) {
  try {
    registry.merge(text, "meta.csv");
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

const BenchmarkInfo& require_entry(const Registry& registry, std::string_view id) {
  const BenchmarkInfo* entry = registry.find(id);
  INFO("benchmark id: " << id);
  REQUIRE(entry != nullptr);
  return *entry;
}

}  // namespace

TEST_CASE("builtin has twelve capability benchmarks", "[benchmarks]") {
  Registry registry = Registry::builtin();
  std::vector<std::string> capabilities;
  for (const BenchmarkInfo& entry : registry.entries()) {
    if (entry.role == Role::Capability) capabilities.push_back(entry.id);
  }
  std::sort(capabilities.begin(), capabilities.end());

  CHECK(capabilities.size() == 12);
  CHECK(capabilities == std::vector<std::string>{"arc_challenge", "bbh", "gsm8k", "hellaswag",
                                                 "lambada_openai", "logiqa", "medqa_4options",
                                                 "minerva_math", "mmlu", "piqa",
                                                 "superglue_copa", "winogrande"});
}

TEST_CASE("builtin matches benchmarks.csv", "[benchmarks]") {
  Registry registry = Registry::builtin();
  Registry from_file;
  from_file.merge(test::read_text(kRepositoryData + "/benchmarks.csv"), "benchmarks.csv");

  REQUIRE(registry.entries().size() == from_file.entries().size());
  for (std::size_t k = 0; k < registry.entries().size(); ++k) {
    const BenchmarkInfo& built_in = registry.entries()[k];
    const BenchmarkInfo& expected = from_file.entries()[k];
    INFO("entry " << k << ": " << expected.id);
    CHECK(built_in.id == expected.id);
    CHECK(built_in.name == expected.name);
    CHECK(built_in.role == expected.role);
    CHECK(built_in.higher_is_better == expected.higher_is_better);
    CHECK(built_in.category == expected.category);
    CHECK(built_in.metric == expected.metric);
    CHECK(built_in.description == expected.description);
  }
}

TEST_CASE("builtin ids unique and named", "[benchmarks]") {
  Registry registry = Registry::builtin();
  std::set<std::string> ids;
  for (const BenchmarkInfo& entry : registry.entries()) {
    INFO("benchmark id: " << entry.id);
    CHECK(ids.insert(entry.id).second);
    CHECK_FALSE(entry.name.empty());
    CHECK_FALSE(entry.category.empty());
    CHECK(registry.find(entry.id) == &entry);
  }
}

TEST_CASE("builtin covers paper table columns", "[benchmarks]") {
  Registry registry = Registry::builtin();
  for (std::string file : {"paper_base.csv", "paper_chat.csv"}) {
    Warnings warnings;
    ScoreTable table =
        parse_table(test::read_text(kRepositoryData + "/" + file), file, {}, warnings);
    INFO("table: " << file);
    CHECK(table.benchmarks.size() > 150);
    for (const std::string& benchmark : table.benchmarks) {
      INFO("benchmark column: " << benchmark);
      const BenchmarkInfo* entry = registry.find(benchmark);
      REQUIRE(entry != nullptr);
      CHECK(entry->id == benchmark);
    }
  }
}

TEST_CASE("find exact then ignoring case", "[benchmarks]") {
  Registry registry = Registry::builtin();

  SECTION("builtin ids") {
    CHECK(require_entry(registry, "mmlu").id == "mmlu");
    CHECK(require_entry(registry, "MMLU").id == "mmlu");
    CHECK(require_entry(registry, "HarmBench-DirectRequest-all").id ==
          "HarmBench-DirectRequest-all");
    CHECK(require_entry(registry, "harmbench-directrequest-ALL").id ==
          "HarmBench-DirectRequest-all");
  }
  SECTION("unknown ids") {
    CHECK(registry.find("") == nullptr);
    CHECK(registry.find("mmlu ") == nullptr);
    CHECK(registry.find("mml") == nullptr);
    CHECK(registry.find("not_a_benchmark") == nullptr);
  }
  SECTION("only ASCII letters fold") {
    // U+03A3 (capital sigma) and U+03C3 (small sigma) are different ids.
    CHECK(require_entry(registry, "MACHIAVELLI-POWER.\xCE\xA3").id ==
          "machiavelli-power.\xCE\xA3");
    CHECK(registry.find("machiavelli-power.\xCF\x83") == nullptr);
  }
  SECTION("metadata overrides ignoring case") {
    // A table column MMLU matches the entry mmlu, so MMLU in a metadata file
    // must change that entry rather than add one no column would reach.
    std::size_t size = registry.entries().size();
    registry.merge("id,name\nMMLU,Upper MMLU\n", "meta.csv");
    CHECK(registry.entries().size() == size);
    CHECK(require_entry(registry, "mmlu").name == "Upper MMLU");
  }
}

TEST_CASE("merge adds project layout entry", "[benchmarks]") {
  Registry registry = Registry::builtin();
  std::size_t size = registry.entries().size();
  registry.merge(
      "id,name,role,higher_is_better,category,metric,description\n"
      "my_eval,My Eval,ignore,false,\"bias, fairness\",error rate,\"Says \"\"no\"\", often\"\n",
      "meta.csv");

  REQUIRE(registry.entries().size() == size + 1);
  const BenchmarkInfo& entry = registry.entries().back();
  CHECK(entry.id == "my_eval");
  CHECK(entry.name == "My Eval");
  CHECK(entry.role == Role::Ignore);
  CHECK_FALSE(entry.higher_is_better);
  CHECK(entry.category == "bias, fairness");
  CHECK(entry.metric == "error rate");
  CHECK(entry.description == "Says \"no\", often");
}

TEST_CASE("merge overrides existing entry", "[benchmarks]") {
  Registry registry = Registry::builtin();
  std::size_t size = registry.entries().size();
  registry.merge(
      "id,name,role,higher_is_better,category,metric,description\n"
      "mmlu,MMLU 5-shot,safety,false,knowledge,error,Changed.\n",
      "meta.csv");

  CHECK(registry.entries().size() == size);
  const BenchmarkInfo& entry = require_entry(registry, "mmlu");
  CHECK(entry.name == "MMLU 5-shot");
  CHECK(entry.role == Role::Safety);
  CHECK_FALSE(entry.higher_is_better);
  CHECK(entry.category == "knowledge");
  CHECK(entry.metric == "error");
  CHECK(entry.description == "Changed.");
}

TEST_CASE("merge keeps values of missing columns", "[benchmarks]") {
  Registry registry = Registry::builtin();
  BenchmarkInfo before = require_entry(registry, "mmlu");
  registry.merge("id,category\nmmlu,knowledge\n", "meta.csv");

  const BenchmarkInfo& after = require_entry(registry, "mmlu");
  CHECK(after.category == "knowledge");
  CHECK(after.name == before.name);
  CHECK(after.role == before.role);
  CHECK(after.higher_is_better == before.higher_is_better);
  CHECK(after.metric == before.metric);
  CHECK(after.description == before.description);
}

TEST_CASE("merge keeps direction without arrow", "[benchmarks]") {
  Registry registry = Registry::builtin();
  REQUIRE_FALSE(require_entry(registry, "wikitext").higher_is_better);

  registry.merge("id,metric\nwikitext,word perplexity\n", "meta.csv");

  CHECK_FALSE(require_entry(registry, "wikitext").higher_is_better);
}

TEST_CASE("merge reads paper layout", "[benchmarks]") {
  Registry registry = Registry::builtin();
  std::size_t size = registry.entries().size();
  registry.merge(test::read_data("input/paper_metadata.csv"), "paper_metadata.csv");

  REQUIRE(registry.entries().size() == size + 1);

  SECTION("metric without arrow") {
    const BenchmarkInfo& entry = require_entry(registry, "truthfulqa_mc1");
    CHECK(entry.name == "TruthfulQA MC1 (paper)");
    CHECK(entry.metric == "accuracy");
    CHECK(entry.higher_is_better);
    CHECK(entry.role == Role::Safety);
    CHECK(entry.category == "truthfulness");
  }
  SECTION("downward arrow marks lower is better") {
    const BenchmarkInfo& entry = require_entry(registry, "brier_mmlu");
    CHECK(entry.metric == "Brier score (\xE2\x86\x93)");
    CHECK_FALSE(entry.higher_is_better);
    CHECK(entry.category == "calibration");
  }
  SECTION("new id gets defaults") {
    const BenchmarkInfo& entry = require_entry(registry, "new_bench");
    CHECK(entry.name == "New Bench");
    CHECK(entry.role == Role::Safety);
    CHECK(entry.category == "other");
    CHECK_FALSE(entry.higher_is_better);
    CHECK(entry.description.empty());
  }
}

TEST_CASE("direction column overrides arrow", "[benchmarks]") {
  Registry registry;
  registry.merge("id,metric,higher_is_better\nx,error (\xE2\x86\x93),true\n", "meta.csv");

  CHECK(require_entry(registry, "x").higher_is_better);
}

TEST_CASE("new ids get defaults", "[benchmarks]") {
  Registry registry;
  registry.merge("id\nfoo\n", "meta.csv");

  REQUIRE(registry.entries().size() == 1);
  const BenchmarkInfo& entry = registry.entries().front();
  CHECK(entry.id == "foo");
  CHECK(entry.name == "foo");
  CHECK(entry.role == Role::Safety);
  CHECK(entry.higher_is_better);
  CHECK(entry.category == "other");
  CHECK(entry.metric.empty());
  CHECK(entry.description.empty());
}

TEST_CASE("direction and role values", "[benchmarks]") {
  SECTION("higher is better") {
    for (std::string_view value : {"true", "TRUE", "yes", "1", "higher", "Higher"}) {
      INFO("value: " << value);
      Registry registry;
      registry.merge("id,direction\nx," + std::string(value) + "\n", "meta.csv");
      CHECK(require_entry(registry, "x").higher_is_better);
    }
  }
  SECTION("lower is better") {
    for (std::string_view value : {"false", "False", "no", "0", "lower", "LOWER"}) {
      INFO("value: " << value);
      Registry registry;
      registry.merge("id,higher_is_better\nx," + std::string(value) + "\n", "meta.csv");
      CHECK_FALSE(require_entry(registry, "x").higher_is_better);
    }
  }
  SECTION("roles in any case") {
    Registry registry;
    registry.merge("id,role\na,Capability\nb,SAFETY\nc,ignore\n", "meta.csv");
    CHECK(require_entry(registry, "a").role == Role::Capability);
    CHECK(require_entry(registry, "b").role == Role::Safety);
    CHECK(require_entry(registry, "c").role == Role::Ignore);
  }
}

TEST_CASE("role names", "[benchmarks]") {
  CHECK(role_name(Role::Capability) == "capability");
  CHECK(role_name(Role::Safety) == "safety");
  CHECK(role_name(Role::Ignore) == "ignore");
}

TEST_CASE("bad role rejected with location", "[benchmarks]") {
  Registry registry;
  std::string message = merge_error(registry, "id,name,role\na,A,safety\n\nb,B,safe\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("meta.csv:4:3"));
  CHECK_THAT(message, Contains("'safe'"));
}

TEST_CASE("bad direction rejected with location", "[benchmarks]") {
  Registry registry;
  std::string message = merge_error(registry, "id,higher_is_better\na,maybe\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("meta.csv:2:2"));
  CHECK_THAT(message, Contains("'maybe'"));
}

TEST_CASE("duplicate benchmark ids rejected", "[benchmarks]") {
  Registry registry = Registry::builtin();
  std::string message = merge_error(registry, "id,name\nx,X\ny,Y\nx,X again\n");

  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Contains("'x'"));
  CHECK_THAT(message, Contains("lines 2 and 4"));
}

TEST_CASE("metadata without id column rejected", "[benchmarks]") {
  Registry registry;

  SECTION("no id or benchmark header") {
    CHECK_FALSE(merge_error(registry, "name,role\nA,safety\n").empty());
  }
  SECTION("empty file") { CHECK_FALSE(merge_error(registry, "").empty()); }
  SECTION("empty id cell") { CHECK_FALSE(merge_error(registry, "id,name\n,A\n").empty()); }
  SECTION("short row") { CHECK_FALSE(merge_error(registry, "id,name,role\nx,X\n").empty()); }
}

TEST_CASE("metadata with semicolons and BOM", "[benchmarks]") {
  Registry registry;
  registry.merge("\xEF\xBB\xBF" "benchmark;name;metric\r\nx;Ex, Why;loss (\xE2\x86\x93)\r\n",
                 "meta.csv");

  const BenchmarkInfo& entry = require_entry(registry, "x");
  CHECK(entry.name == "Ex, Why");
  CHECK_FALSE(entry.higher_is_better);
}

}  // namespace safetywash
