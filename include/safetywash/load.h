// SPDX-License-Identifier: MIT
// Loading score tables in any supported format, and joining several inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/lm_eval.h"
#include "safetywash/table.h"

namespace safetywash {

/// Settings for loading inputs.
struct LoadOptions {
  TableOptions table;
  LmEvalOptions lm_eval;
  /// Table of model attributes (compute, parameters, family) joined by model id.
  std::string models_file;
  /// CSV with columns alias,model that renames model ids in every input.
  std::string aliases_file;
};

/// Loads one input, detecting its format:
/// - a folder, or a JSON object with a "results" object: lm-evaluation-harness
///   results (see lm_eval.h);
/// - other JSON: an array of records {"model": id, benchmark: score, ...} or
///   an object {model: {benchmark: score}}; strings are text attributes and
///   null is missing;
/// - CSV/TSV with columns model, benchmark (or task) and score (or value):
///   a long table, pivoted to one row per model; other columns are
///   attributes; a repeated (model, benchmark) pair is an error naming both
///   lines;
/// - any other CSV/TSV: a wide table (see parse_table).
/// "-" reads standard input.
ScoreTable load_input_table(const std::string& path, const LoadOptions& options,
                            Warnings& warnings);

/// Loads a table from text already read, detecting the format as
/// load_input_table does for a file (folders excepted).
ScoreTable load_text_table(std::string_view text, const std::string& source,
                           const LoadOptions& options, Warnings& warnings);

/// Loads every input and outer-joins them by model id, after applying
/// aliases; then joins the attributes of options.models_file, matching ids
/// exactly, then after ignoring case, an organisation prefix ("org/") and
/// the separators '-', '_', '.' and space. A benchmark or attribute with two
/// different values for one model is an InputError naming both places.
/// Models of the main inputs without attributes are named in a warning.
ScoreTable load_inputs(const std::vector<std::string>& paths, const LoadOptions& options,
                       Warnings& warnings);

/// Reads a wide CSV file without keeping its text or its fields, so memory
/// is about the score matrix. The file is split into `parts` byte ranges,
/// which one thread per core takes in turn; 0 takes one range per 2 MiB, at
/// most 64. A first pass counts lines, and a second reads the lines that
/// start in each range. Only plain files are read:
/// - no quotes, no non-ASCII bytes and no control characters but tab and
///   line feed;
/// - one header line, then one row per line, each as long as the header;
/// - numeric cells empty or written as -?d+(.d+)?(e[+-]?d+)?;
/// - non-empty, distinct model ids, '.' decimals and no collecting of
///   problems. The general reader classifies the columns from the header and
/// first 8 rows. Returns nullopt for anything else, or when those first rows
/// give a warning, so that the general reader reads the file and reports
/// what it finds; otherwise the result equals parse_table's.
std::optional<ScoreTable> read_plain_table(const std::string& path, const TableOptions& options,
                                           Warnings& warnings, std::size_t parts = 0);

/// Kinds of input that load_input_table recognizes.
enum class InputFormat { Wide, Long, Json, LmEval };

/// Detects the format of an input's text (see load_input_table).
InputFormat detect_format(std::string_view text, const TableOptions& options);

/// Joins already loaded tables the way load_inputs joins files: aliases,
/// outer join by model id, then options.models_file.
ScoreTable join_tables(std::vector<ScoreTable> tables, const LoadOptions& options,
                       Warnings& warnings);

/// The key used for loose matching of model ids.
std::string normalize_model_id(const std::string& id);

}  // namespace safetywash
