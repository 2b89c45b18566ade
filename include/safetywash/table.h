// SPDX-License-Identifier: MIT
// ScoreTable: the model-by-benchmark score matrix and per-model attributes.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <map>
#include <utility>
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
  /// Directions stated by the input itself (lm-evaluation-harness
  /// higher_is_better), by benchmark; they take precedence over the registry.
  std::map<std::string, bool> higher_is_better;

  /// Returns the index of a benchmark column, or nullopt.
  std::optional<std::size_t> find_benchmark(std::string_view name) const;
  /// Returns an attribute by exact name, or nullptr.
  const Attribute* find_attribute(std::string_view name) const;
  /// Moves benchmark column `index` to the numeric attributes.
  void make_attribute(std::size_t index);
};

/// Assembles a ScoreTable cell by cell, from any input format. Every value
/// carries an origin ("file:line" or a file name) so that two different
/// values for the same cell produce an error naming both.
class TableBuilder {
 public:
  explicit TableBuilder(std::string source) : source_(std::move(source)) {}

  /// Adds a model (if new) and returns its row.
  std::size_t add_model(const std::string& model, const std::string& origin, std::size_t line = 0);
  /// Sets a score; NaN is ignored. Throws InputError on a conflicting value.
  void set_score(const std::string& model, const std::string& benchmark, double value,
                 const std::string& origin);
  /// Sets a numeric attribute; NaN is ignored. Throws InputError on conflict.
  void set_number(const std::string& model, const std::string& attribute, double value,
                  const std::string& origin);
  /// Sets a text attribute; empty text is ignored. Throws InputError on conflict.
  void set_text(const std::string& model, const std::string& attribute, const std::string& value,
                const std::string& origin);
  /// Declares a benchmark column even if it gets no value.
  void add_benchmark(const std::string& benchmark);
  void set_direction(const std::string& benchmark, bool higher_is_better);
  /// Adds every model, score and attribute of `table`.
  void absorb(const ScoreTable& table);

  ScoreTable build() const;

 private:
  struct Cell {
    double number = 0.0;
    std::string text;
    std::string origin;
  };
  std::size_t row(const std::string& model, const std::string& origin);
  void set_cell(std::map<std::pair<std::size_t, std::string>, Cell>& cells, bool numeric,
                const std::string& model, const std::string& column, const Cell& cell,
                const char* what);

  std::string source_;
  std::vector<std::string> models_;
  std::vector<std::size_t> lines_;
  std::map<std::string, std::size_t> rows_;
  std::vector<std::string> benchmarks_;
  std::vector<std::string> numeric_attributes_;
  std::vector<std::string> text_attributes_;
  std::map<std::pair<std::size_t, std::string>, Cell> scores_;
  std::map<std::pair<std::size_t, std::string>, Cell> numbers_;
  std::map<std::pair<std::size_t, std::string>, Cell> texts_;
  std::map<std::string, bool> directions_;
};

/// Settings for reading the cells of a table.
struct TableOptions {
  char delimiter = 0;   ///< ',', '\t', ';', or 0 to detect.
  char decimal = '.';   ///< Decimal separator of numbers: '.' or ','.
  /// When set, problems that do not stop reading (bad cells, duplicates,
  /// rows of the wrong length) are appended here instead of thrown, and the
  /// table is still built; used to list every problem of a file.
  std::vector<std::string>* problems = nullptr;
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
  /// For Invalid: the cell was meant as a number (inf, a hex literal, a value
  /// out of range, a thousands separator or decimal comma), so its column is
  /// numeric rather than text.
  bool numeric_like = false;
};

/// Reads one cell as a finite decimal number, a percentage or a missing
/// marker. Hex literals, inf, nan words, thousands separators and values
/// outside the range of a double are Invalid.
CellValue parse_cell(std::string_view cell, char decimal = '.');

}  // namespace safetywash
