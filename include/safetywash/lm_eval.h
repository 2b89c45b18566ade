// SPDX-License-Identifier: MIT
// Reading EleutherAI lm-evaluation-harness result files (0.3 and 0.4 formats).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "safetywash/table.h"

namespace safetywash {

/// Choices made when reading lm-evaluation-harness results.
struct LmEvalOptions {
  /// Keep subtasks of groups (e.g. mmlu_formal_logic under mmlu).
  bool subtasks = false;
  /// Metric (and optional filter) per task, overriding the default choice.
  std::map<std::string, std::pair<std::string, std::string>> metrics;
};

/// The score chosen for one task of one result file.
struct LmEvalScore {
  std::string task;
  std::string metric;
  std::string filter;  ///< Empty in the 0.3 format.
  double value = 0.0;
  std::optional<bool> higher_is_better;
};

/// One result file.
struct LmEvalFile {
  std::string path;
  std::string model;
  std::optional<double> parameters;  ///< config.model_num_parameters.
  std::vector<LmEvalScore> scores;
};

/// Parses JSON text, preserving the order of object keys. Throws InputError
/// naming `source` and the line for invalid JSON and for numbers beyond the
/// range of a double.
nlohmann::ordered_json parse_json_text(std::string_view text, const std::string& source);

/// True when `text` is a JSON object with a "results" object, the shape of
/// every lm-evaluation-harness result file.
bool is_lm_eval_result(std::string_view text);

/// Parses one result file. The model id is model_name, else the pretrained=
/// value of config.model_args (the last component of a filesystem path),
/// else the file name without extension. The default metric of a task is
/// the first present of acc_norm, acc, exact_match, mc2, mc1, f1, em (filter
/// strict-match first, then none, then the first), else the first metric
/// marked higher-is-better, else the first metric. Unless
/// options.subtasks, tasks listed in group_subtasks are left out. Stderr
/// entries, aliases and non-numeric values are ignored. Throws InputError
/// for malformed JSON (naming the line) or a --metric override the file
/// lacks.
LmEvalFile parse_lm_eval(std::string_view text, const std::string& path,
                         const LmEvalOptions& options);

/// Finds result files under `path`: the file itself, or every results*.json
/// and other *.json holding a "results" object below a folder, sorted.
std::vector<std::string> find_lm_eval_files(const std::string& path);

/// Merges result files into a wide table, one row per model and one column
/// per task, with a `parameters` attribute when known. The same task twice
/// for a model with different values is an InputError naming both files.
ScoreTable lm_eval_table(const std::vector<LmEvalFile>& files, Warnings& warnings);

/// One line per task: the metric, filter and direction chosen, and how many
/// files had it.
std::string lm_eval_metric_report(const std::vector<LmEvalFile>& files);

}  // namespace safetywash
