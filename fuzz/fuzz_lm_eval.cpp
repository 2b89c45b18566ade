// SPDX-License-Identifier: MIT
// Fuzz target for the lm-evaluation-harness reader. It runs is_lm_eval_result,
// parse_lm_eval and lm_eval_table on one result file. The first input byte
// selects the options and the rest is the JSON text:
//   bit 0  keep subtasks of groups (LmEvalOptions::subtasks)
//   bit 1  override the metric of task "mmlu" with acc,none
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "safetywash/error.h"
#include "safetywash/lm_eval.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  // is_lm_eval_result is a format probe and must not throw on any text.
  (void)safetywash::is_lm_eval_result(text);

  safetywash::LmEvalOptions options;
  options.subtasks = (selector & 1) != 0;
  if ((selector & 2) != 0) options.metrics["mmlu"] = {"acc", "none"};

  try {
    std::vector<safetywash::LmEvalFile> files;
    files.push_back(safetywash::parse_lm_eval(text, "results.json", options));
    safetywash::Warnings warnings;
    safetywash::ScoreTable table = safetywash::lm_eval_table(files, warnings);
    (void)safetywash::lm_eval_metric_report(files);
  } catch (const safetywash::Error&) {
    // Malformed result files are expected. Other exceptions abort the run.
  }
  return 0;
}
