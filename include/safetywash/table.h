// SPDX-License-Identifier: MIT
// ScoreTable: the model-by-benchmark score matrix and per-model attributes.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safetywash {

/// Messages about recoverable problems (dropped models, skipped columns),
/// collected by the core library and printed by the command-line layer.
using Warnings = std::vector<std::string>;

/// A column that describes models rather than scoring them: training compute,
/// parameter count, display name, family, type, or any column of text.
struct Attribute {
  std::string name;
  std::size_t position = 0;        ///< 1-based column in the input header.
  bool numeric = false;            ///< True when every present cell is a number.
  std::vector<double> values;      ///< Numeric attributes: one per model, NaN when missing.
  std::vector<std::string> text;   ///< Text attributes: one per model, as written.
};

/// Scores of models (rows) on benchmarks (columns), as read from one input.
/// Missing cells are NaN. Values are as written in the input: orientation and
/// standardization happen in the analysis.
struct ScoreTable {
  std::string source;                            ///< Input name used in messages.
  std::vector<std::string> models;
  std::vector<std::size_t> model_lines;          ///< 1-based line of each model's row.
  std::vector<std::string> benchmarks;
  std::vector<std::size_t> benchmark_positions;  ///< 1-based column of each benchmark.
  Eigen::MatrixXd scores;                        ///< models x benchmarks.
  std::vector<Attribute> attributes;

  /// Returns the index of a benchmark column, or nullopt.
  std::optional<std::size_t> find_benchmark(std::string_view name) const;
  /// Returns an attribute by exact name, or nullptr.
  const Attribute* find_attribute(std::string_view name) const;
  /// Moves benchmark column `index` to the numeric attributes.
  void make_attribute(std::size_t index);
};

/// Settings for reading the cells of a table.
struct TableOptions {
  char delimiter = 0;   ///< ',', '\t', ';', or 0 to detect.
  char decimal = '.';   ///< Decimal separator of numbers: '.' or ','.
};

/// Parses a score table from text. Rules:
/// - the model column is the one named "model" (any case), else the first;
/// - missing markers in numeric columns: empty, NA, N/A, NaN, null, "-"
///   (any case, surrounding blanks ignored);
/// - a column is numeric when one of its cells is a number or its name says
///   compute or parameters. Every other cell of it must then be a number or
///   a missing marker. A column with text but no numbers is a text
///   attribute, and a column of missing markers only is a benchmark without
///   values;
/// - columns named like compute, parameters, name, type or family are
///   attributes (see is_compute_name and is_attribute_name);
/// - a column whose every number ends in '%' is divided by 100;
/// - duplicate model ids or column names, short rows and non-empty surplus
///   fields are errors; empty surplus fields are dropped with a warning.
/// Throws InputError with "source:line:column" locations.
ScoreTable parse_table(std::string_view text,
                       const std::string& source,
                       const TableOptions& options,
                       Warnings& warnings);

/// True for column names that denote training compute in FLOP, such as
/// "FLOP", "flops", "training_flop" or "compute" (case and separators ignored).
bool is_compute_name(std::string_view name);

/// True for column names that denote model attributes rather than
/// benchmarks: compute, parameter counts, names, types and families.
bool is_attribute_name(std::string_view name);

/// Result of reading one numeric cell.
struct CellValue {
  enum class Kind { Missing, Number, Invalid } kind = Kind::Missing;
  double value = 0.0;
  bool percent = false;  ///< The cell ended in '%' (value not yet divided).
  std::string problem;   ///< For Invalid: why it is not a number.
};

/// Reads one cell as a finite decimal number, a percentage or a missing
/// marker. Hex literals, inf, nan words, thousands separators and values
/// outside the range of a double are Invalid.
CellValue parse_cell(std::string_view cell, char decimal = '.');

}  // namespace safetywash
