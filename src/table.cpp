// SPDX-License-Identifier: MIT
// Parsing a score table: column classification, number reading, checks.
#include "safetywash/table.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <map>

#include "safetywash/csv.h"
#include "safetywash/error.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Lowercases and maps '-', ' ' and '.' to '_' so that "Training FLOP",
// "training-flop" and "training_flop" compare equal.
std::string normalize_name(std::string_view s) {
  std::string out = ascii_lower(trim_blanks(s));
  for (char& c : out) {
    if (c == '-' || c == ' ' || c == '.') c = '_';
  }
  return out;
}

// Cell text for a message, cut to 60 characters so a huge cell cannot flood
// the terminal.
std::string shorten(std::string_view text) {
  constexpr std::size_t kMaxShown = 60;
  std::size_t chars = 0, end = 0;
  while (end < text.size() && chars < kMaxShown) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    ++chars;
  }
  if (end >= text.size()) return std::string(text);
  return std::string(text.substr(0, end)) + "...";
}

// Compares ASCII letters case-insensitively. `lower` must be lower case.
bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Compares without copying, because this runs for every cell of a table.
bool is_missing_marker(std::string_view cell) {
  std::string_view s = trim_blanks(cell);
  constexpr std::size_t kMaxMarkerLength = 4;  // "null"
  if (s.size() > kMaxMarkerLength) return false;
  return s.empty() || equals_ignoring_case(s, "na") || equals_ignoring_case(s, "n/a") ||
         equals_ignoring_case(s, "nan") || equals_ignoring_case(s, "null") || s == "-";
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Checks the decimal-literal grammar: [+-] digits [sep digits] [e [+-] digits],
// with at least one digit in the mantissa. Returns an empty string when the
// text matches, else the reason it does not.
std::string check_decimal_literal(std::string_view s, char decimal) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == decimal) {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return "not a number";
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return "not a number";
  }
  if (i == s.size()) return {};
  char other = decimal == '.' ? ',' : '.';
  if (s.find(other) != std::string_view::npos) {
    return decimal == '.'
               ? "not a number: a decimal comma or thousands separator; pass --decimal , "
                 "if the file uses decimal commas"
               : "not a number: '.' is read as a thousands separator under --decimal ,, "
                 "which is not accepted";
  }
  return "not a number";
}

// Column classification while reading.
enum class ColumnKind { Model, Benchmark, NumericAttribute, TextAttribute };

struct RawColumn {
  std::string name;
  std::size_t position = 0;
  ColumnKind kind = ColumnKind::Benchmark;
  std::vector<const CsvField*> cells;  // one per data row
};

bool is_text_attribute_name(std::string_view name) {
  static const std::array<std::string_view, 8> kNames = {
      "name", "display_name", "model_name", "type", "family", "model_family",
      "organization", "org"};
  std::string n = normalize_name(name);
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

bool is_parameter_name(std::string_view name) {
  static const std::array<std::string_view, 8> kNames = {
      "parameters", "params", "n_params", "num_params", "model_size",
      "parameter_count", "num_parameters", "size"};
  std::string n = normalize_name(name);
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

class TableReader {
 public:
  TableReader(const std::string& source, const TableOptions& options, Warnings& warnings)
      : source_(source), options_(options), warnings_(warnings) {}

  ScoreTable read(std::string_view text) {
    CsvDocument document = read_csv(text, source_, options_.delimiter);
    delimiter_ = document.delimiter;
    if (document.records.empty()) {
      throw InputError(fmt::format("{}: the input is empty; expected a header row "
                                   "naming the model column and the benchmarks",
                                   source_));
    }
    read_header(document.records.front());
    read_rows(document.records);
    return build();
  }

 private:
  void read_header(const CsvRecord& header) {
    header_line_ = header.line;
    std::size_t count = header.fields.size();
    while (count > 1 && header.fields[count - 1].text.empty()) --count;
    if (count < header.fields.size()) {
      warnings_.push_back(fmt::format(
          "{}:{}: ignored {} empty trailing header field(s)", source_, header_line_,
          header.fields.size() - count));
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t k = 0; k < count; ++k) {
      const std::string& name = header.fields[k].text;
      std::string column_name = name;
      if (name.empty()) {
        problem(fmt::format("{}:{}:{}: column {} has no name; add a header name", source_,
                            header_line_, k + 1, k + 1));
        column_name = fmt::format("(column {})", k + 1);
      }
      auto [it, inserted] = seen.emplace(column_name, k + 1);
      if (!inserted) {
        problem(fmt::format(
            "{}:{}:{}: duplicate column name '{}' (columns {} and {}); rename one of them",
            source_, header_line_, k + 1, name, it->second, k + 1));
        column_name = fmt::format("{} (column {})", name, k + 1);
      }
      columns_.push_back(RawColumn{column_name, k + 1, ColumnKind::Benchmark, {}});
    }
    std::size_t model_column = 0;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (ascii_lower(columns_[k].name) == "model") {
        model_column = k;
        break;
      }
    }
    columns_[model_column].kind = ColumnKind::Model;
    model_column_ = model_column;
  }

  void read_rows(const std::vector<CsvRecord>& records) {
    std::size_t width = columns_.size();
    std::size_t rows_with_surplus = 0, first_surplus_line = 0;
    for (std::size_t r = 1; r < records.size(); ++r) {
      const CsvRecord& record = records[r];
      if (record.fields.size() < width) {
        problem(fmt::format(
            "{}:{}: row has {} field(s) but the header has {}; add the missing cells "
            "(leave them empty if the value is unknown){}",
            source_, record.line, record.fields.size(), width, delimiter_note()));
        continue;
      }
      bool surplus_text = false;
      for (std::size_t k = width; k < record.fields.size() && !surplus_text; ++k) {
        if (!record.fields[k].text.empty()) {
          problem(fmt::format(
              "{}:{}:{}: row has {} fields but the header has {}; the extra field is "
              "'{}'; remove it or give the column a name{}",
              source_, record.fields[k].line, k + 1, record.fields.size(), width,
              shorten(record.fields[k].text), delimiter_note()));
          surplus_text = true;
        }
      }
      if (surplus_text) continue;
      if (record.fields.size() > width) {
        if (rows_with_surplus++ == 0) first_surplus_line = record.line;
      }
      for (std::size_t k = 0; k < width; ++k) columns_[k].cells.push_back(&record.fields[k]);
      row_lines_.push_back(record.line);
    }
    if (rows_with_surplus > 0) {
      warnings_.push_back(fmt::format(
          "{}:{}: ignored empty fields after the last column on {} row(s)", source_,
          first_surplus_line, rows_with_surplus));
    }
    if (row_lines_.empty()) {
      throw InputError(fmt::format("{}: the table has a header but no model rows", source_));
    }
  }

  // Decides whether a column is numeric: it contains at least one number, or
  // its name says compute or parameter count. Every other cell of a numeric
  // column must then be a number or a missing marker. Known text attributes
  // stay text.
  bool looks_numeric(const RawColumn& column) const {
    if (is_text_attribute_name(column.name)) return false;
    if (is_compute_name(column.name) || is_parameter_name(column.name)) return true;
    std::size_t present = 0;
    for (const CsvField* cell : column.cells) {
      CellValue value = parse_cell(cell->text, options_.decimal);
      if (value.kind == CellValue::Kind::Number || value.numeric_like) return true;
      if (value.kind == CellValue::Kind::Invalid) ++present;
    }
    return present == 0;
  }

  std::vector<double> read_numbers(const RawColumn& column) const {
    std::vector<double> values(column.cells.size(), kNaN);
    const CsvField* first_percent = nullptr;
    const CsvField* first_plain = nullptr;
    for (std::size_t i = 0; i < column.cells.size(); ++i) {
      const CsvField& cell = *column.cells[i];
      CellValue value = parse_cell(cell.text, options_.decimal);
      if (value.kind == CellValue::Kind::Invalid) {
        problem(fmt::format(
            "{}:{}:{}: cell '{}' in column '{}' is {}; write a decimal number or leave the "
            "cell empty",
            source_, cell.line, column.position, shorten(cell.text), column.name,
            value.problem));
        continue;
      }
      if (value.kind != CellValue::Kind::Number) continue;
      values[i] = value.value;
      const CsvField*& first = value.percent ? first_percent : first_plain;
      if (first == nullptr) first = &cell;
    }
    if (first_percent != nullptr && first_plain != nullptr) {
      problem(fmt::format(
          "{}:{}:{}: column '{}' mixes percentages ('{}', line {}) and plain numbers ('{}', "
          "line {}); write every cell of the column the same way",
          source_, std::max(first_percent->line, first_plain->line), column.position,
          column.name, first_percent->text, first_percent->line, first_plain->text,
          first_plain->line));
    }
    if (first_percent != nullptr) {
      for (double& v : values) v /= 100.0;
    }
    return values;
  }

  std::vector<std::string> read_models() const {
    const RawColumn& column = columns_[model_column_];
    std::vector<std::string> models;
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < column.cells.size(); ++i) {
      const CsvField& cell = *column.cells[i];
      if (cell.text.empty()) {
        problem(fmt::format("{}:{}:{}: empty model name in column '{}'; every row needs a "
                            "model id",
                            source_, cell.line, column.position, column.name));
      }
      auto [it, inserted] = seen.emplace(cell.text, cell.line);
      if (!inserted && !cell.text.empty()) {
        problem(fmt::format(
            "{}:{}:{}: duplicate model '{}' (lines {} and {}); keep one row per model",
            source_, cell.line, column.position, cell.text, it->second, cell.line));
      }
      models.push_back(cell.text);
    }
    return models;
  }

  ScoreTable build() {
    ScoreTable table;
    table.source = source_;
    table.models = read_models();
    table.model_lines = row_lines_;
    const RawColumn& ids = columns_[model_column_];
    if (ascii_lower(ids.name) != "model" &&
        std::all_of(ids.cells.begin(), ids.cells.end(), [&](const CsvField* cell) {
          return parse_cell(cell->text, options_.decimal).kind == CellValue::Kind::Number;
        })) {
      warnings_.push_back(fmt::format(
          "{}:{}:{}: no column is named 'model', so the first column '{}' is read as model ids "
          "although it holds numbers; name the model column 'model'",
          source_, header_line_, ids.position, ids.name));
    }
    std::vector<std::vector<double>> benchmark_values;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (k == model_column_) continue;
      const RawColumn& column = columns_[k];
      if (!looks_numeric(column)) {
        Attribute attribute{column.name, column.position, false, {}, {}};
        for (const CsvField* cell : column.cells) attribute.text.push_back(cell->text);
        if (!is_text_attribute_name(column.name)) {
          warnings_.push_back(fmt::format(
              "{}:{}:{}: column '{}' contains no numbers, so it is read as a model attribute, not a "
              "benchmark",
              source_, header_line_, column.position, column.name));
        }
        table.attributes.push_back(std::move(attribute));
        continue;
      }
      std::vector<double> values = read_numbers(column);
      if (is_attribute_name(column.name)) {
        table.attributes.push_back(Attribute{column.name, column.position, true, values, {}});
        continue;
      }
      table.benchmarks.push_back(column.name);
      table.benchmark_positions.push_back(column.position);
      benchmark_values.push_back(std::move(values));
    }
    table.scores.resize(static_cast<Eigen::Index>(table.models.size()),
                        static_cast<Eigen::Index>(benchmark_values.size()));
    for (std::size_t j = 0; j < benchmark_values.size(); ++j) {
      for (std::size_t i = 0; i < table.models.size(); ++i) {
        table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            benchmark_values[j][i];
      }
    }
    return table;
  }

  const std::string& source_;
  const TableOptions& options_;
  Warnings& warnings_;
  std::vector<RawColumn> columns_;
  std::vector<std::size_t> row_lines_;
  std::size_t header_line_ = 1;
  std::size_t model_column_ = 0;
  char delimiter_ = ',';

  // Reports a problem that does not stop reading: collected when the caller
  // asked for every problem (validate), else thrown.
  void problem(const std::string& message) const {
    if (options_.problems == nullptr) throw InputError(message);
    options_.problems->push_back(message);
  }

  std::string delimiter_note() const {
    std::string name = delimiter_ == '\t' ? "tab" : std::string(1, delimiter_);
    return fmt::format(" (fields are split at '{}'{})", name,
                       options_.delimiter == 0 ? ", detected from the header; pass --delimiter "
                                                 "if the file uses another"
                                               : "");
  }
};

}  // namespace

CellValue parse_cell(std::string_view cell, char decimal) {
  CellValue out;
  std::string_view s = trim_blanks(cell);
  if (is_missing_marker(s)) return out;
  if (!s.empty() && s.back() == '%') {
    out.percent = true;
    s = trim_blanks(s.substr(0, s.size() - 1));
  }
  out.kind = CellValue::Kind::Invalid;
  out.problem = check_decimal_literal(s, decimal);
  if (!out.problem.empty()) {
    std::string_view word = s.substr(s.empty() || (s[0] != '+' && s[0] != '-') ? 0 : 1);
    bool infinite = equals_ignoring_case(word, "inf") || equals_ignoring_case(word, "infinity");
    bool hex = word.size() >= 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X');
    out.numeric_like = out.problem != "not a number" || infinite || hex;
    if (infinite) out.problem = "not a finite number";
    return out;
  }

  // from_chars rejects a leading '+' and reads only '.' as the decimal point.
  // The literal is a view into the cell, so only a decimal comma needs a copy.
  std::string_view literal = s.front() == '+' ? s.substr(1) : s;
  std::string replaced;
  if (decimal != '.') {
    replaced.assign(literal);
    std::replace(replaced.begin(), replaced.end(), decimal, '.');
    literal = replaced;
  }
  double value = 0.0;
  auto [end, error] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
  if (error == std::errc::result_out_of_range || !std::isfinite(value)) {
    out.problem = "outside the range of a double";
    out.numeric_like = true;
    return out;
  }
  if (error != std::errc() || end != literal.data() + literal.size()) {
    out.problem = "not a number";
    return out;
  }
  out.kind = CellValue::Kind::Number;
  out.value = value;
  out.problem.clear();
  return out;
}

bool is_compute_name(std::string_view name) {
  static const std::array<std::string_view, 12> kNames = {
      "flop", "flops", "training_flop", "training_flops", "train_flop", "train_flops",
      "compute", "training_compute", "training_compute_flop", "training_compute_(flop)",
      "pretraining_flop", "pretraining_flops"};
  std::string n = normalize_name(name);
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

bool is_attribute_name(std::string_view name) {
  return is_compute_name(name) || is_parameter_name(name) || is_text_attribute_name(name);
}

std::optional<std::size_t> ScoreTable::find_benchmark(std::string_view name) const {
  auto it = std::find(benchmarks.begin(), benchmarks.end(), name);
  if (it == benchmarks.end()) return std::nullopt;
  return static_cast<std::size_t>(it - benchmarks.begin());
}

const Attribute* ScoreTable::find_attribute(std::string_view name) const {
  for (const Attribute& attribute : attributes) {
    if (attribute.name == name) return &attribute;
  }
  return nullptr;
}

void ScoreTable::make_attribute(std::size_t index) {
  Attribute attribute{benchmarks[index], benchmark_positions[index], true, {}, {}};
  auto column = static_cast<Eigen::Index>(index);
  for (Eigen::Index i = 0; i < scores.rows(); ++i) attribute.values.push_back(scores(i, column));
  attributes.push_back(std::move(attribute));

  Eigen::Index last = scores.cols() - 1;
  for (Eigen::Index c = column; c < last; ++c) scores.col(c) = scores.col(c + 1);
  scores.conservativeResize(Eigen::NoChange, last);
  benchmarks.erase(benchmarks.begin() + static_cast<std::ptrdiff_t>(index));
  benchmark_positions.erase(benchmark_positions.begin() + static_cast<std::ptrdiff_t>(index));
}

ScoreTable parse_table(std::string_view text,
                       const std::string& source,
                       const TableOptions& options,
                       Warnings& warnings) {
  return TableReader(source, options, warnings).read(text);
}

}  // namespace safetywash

namespace safetywash {

std::size_t TableBuilder::add_model(const std::string& model, const std::string& origin,
                                    std::size_t line) {
  auto it = rows_.find(model);
  if (it != rows_.end()) return it->second;
  if (model.empty()) {
    throw InputError(fmt::format("{}: empty model name; every row needs a model id", origin));
  }
  rows_.emplace(model, models_.size());
  models_.push_back(model);
  lines_.push_back(line);
  return models_.size() - 1;
}

std::size_t TableBuilder::row(const std::string& model, const std::string& origin) {
  return add_model(model, origin);
}

void TableBuilder::set_cell(std::map<std::pair<std::size_t, std::string>, Cell>& cells,
                            bool numeric, const std::string& model, const std::string& column,
                            const Cell& cell, const char* what) {
  auto key = std::make_pair(row(model, cell.origin), column);
  auto [it, inserted] = cells.emplace(key, cell);
  if (inserted) return;
  bool same = numeric ? it->second.number == cell.number : it->second.text == cell.text;
  if (same) return;
  std::string old_value = numeric ? fmt::format("{}", it->second.number) : it->second.text;
  std::string new_value = numeric ? fmt::format("{}", cell.number) : cell.text;
  throw InputError(fmt::format(
      "{}: {} '{}' of model '{}' is {} here but {} in {}; keep one value per model",
      cell.origin, what, column, model, new_value, old_value, it->second.origin));
}

void TableBuilder::set_score(const std::string& model, const std::string& benchmark,
                             double value, const std::string& origin) {
  add_benchmark(benchmark);
  if (std::isnan(value)) {
    row(model, origin);
    return;
  }
  set_cell(scores_, true, model, benchmark, Cell{value, {}, origin}, "benchmark");
}

void TableBuilder::set_number(const std::string& model, const std::string& attribute,
                              double value, const std::string& origin) {
  if (std::find(numeric_attributes_.begin(), numeric_attributes_.end(), attribute) ==
      numeric_attributes_.end()) {
    numeric_attributes_.push_back(attribute);
  }
  if (std::isnan(value)) {
    row(model, origin);
    return;
  }
  set_cell(numbers_, true, model, attribute, Cell{value, {}, origin}, "attribute");
}

void TableBuilder::set_text(const std::string& model, const std::string& attribute,
                            const std::string& value, const std::string& origin) {
  if (std::find(text_attributes_.begin(), text_attributes_.end(), attribute) ==
      text_attributes_.end()) {
    text_attributes_.push_back(attribute);
  }
  if (value.empty()) {
    row(model, origin);
    return;
  }
  set_cell(texts_, false, model, attribute, Cell{0.0, value, origin}, "attribute");
}

void TableBuilder::add_benchmark(const std::string& benchmark) {
  if (std::find(benchmarks_.begin(), benchmarks_.end(), benchmark) == benchmarks_.end()) {
    benchmarks_.push_back(benchmark);
  }
}

void TableBuilder::set_direction(const std::string& benchmark, bool higher_is_better) {
  directions_[benchmark] = higher_is_better;
}

void TableBuilder::absorb(const ScoreTable& table) {
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    std::string origin = fmt::format("{}:{}", table.source, table.model_lines[i]);
    if (rows_.find(table.models[i]) == rows_.end()) {
      add_model(table.models[i], origin, table.model_lines[i]);
    }
    for (std::size_t j = 0; j < table.benchmarks.size(); ++j) {
      set_score(table.models[i], table.benchmarks[j],
                table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), origin);
    }
    for (const Attribute& attribute : table.attributes) {
      if (attribute.numeric) {
        set_number(table.models[i], attribute.name, attribute.values[i], origin);
      } else {
        set_text(table.models[i], attribute.name, attribute.text[i], origin);
      }
    }
  }
  for (const auto& [benchmark, direction] : table.higher_is_better) {
    set_direction(benchmark, direction);
  }
}

ScoreTable TableBuilder::build() const {
  ScoreTable table;
  table.source = source_;
  table.models = models_;
  table.model_lines = lines_;
  table.benchmarks = benchmarks_;
  table.benchmark_positions.assign(benchmarks_.size(), 0);
  auto rows = static_cast<Eigen::Index>(models_.size());
  table.scores = Eigen::MatrixXd::Constant(rows, static_cast<Eigen::Index>(benchmarks_.size()),
                                           kNaN);
  for (std::size_t j = 0; j < benchmarks_.size(); ++j) {
    for (std::size_t i = 0; i < models_.size(); ++i) {
      auto it = scores_.find({i, benchmarks_[j]});
      if (it != scores_.end()) {
        table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            it->second.number;
      }
    }
  }
  for (const std::string& name : numeric_attributes_) {
    Attribute attribute{name, 0, true, std::vector<double>(models_.size(), kNaN), {}};
    for (std::size_t i = 0; i < models_.size(); ++i) {
      auto it = numbers_.find({i, name});
      if (it != numbers_.end()) attribute.values[i] = it->second.number;
    }
    table.attributes.push_back(std::move(attribute));
  }
  for (const std::string& name : text_attributes_) {
    Attribute attribute{name, 0, false, {}, std::vector<std::string>(models_.size())};
    for (std::size_t i = 0; i < models_.size(); ++i) {
      auto it = texts_.find({i, name});
      if (it != texts_.end()) attribute.text[i] = it->second.text;
    }
    table.attributes.push_back(std::move(attribute));
  }
  table.higher_is_better = directions_;
  return table;
}

}  // namespace safetywash
