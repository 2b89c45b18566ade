// SPDX-License-Identifier: MIT
// Loading score tables in any supported format, and joining several inputs.
#include "safetywash/load.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "safetywash/csv.h"
#include "safetywash/error.h"
#include "safetywash/input.h"

namespace safetywash {
namespace {

// Files from this size on are first offered to the streaming reader.
constexpr std::uintmax_t kStreamingBytes = 1 << 20;

using Json = nlohmann::ordered_json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool starts_like_json(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

// Column positions of a long table's header, when it is one.
struct LongLayout {
  std::size_t model = 0, benchmark = 0, score = 0;
};

std::optional<LongLayout> long_layout(const CsvRecord& header) {
  std::optional<std::size_t> model, benchmark, score;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    std::string name = lower(header.fields[k].text);
    if (name == "model" && !model) model = k;
    if ((name == "benchmark" || name == "task") && !benchmark) benchmark = k;
    if ((name == "score" || name == "value") && !score) score = k;
  }
  if (!model || !benchmark || !score) return std::nullopt;
  return LongLayout{*model, *benchmark, *score};
}

ScoreTable pivot_long(const CsvDocument& document, const LongLayout& layout,
                      const std::string& source, const TableOptions& options) {
  TableBuilder builder(source);
  const CsvRecord& header = document.records.front();

  // An attribute column is numeric when every present cell is a number, all
  // plain or all percentages (divided by 100), and text otherwise.
  std::vector<bool> numeric(header.fields.size(), true), percent(header.fields.size(), false);
  std::vector<bool> plain(header.fields.size(), false);
  for (std::size_t r = 1; r < document.records.size(); ++r) {
    const CsvRecord& record = document.records[r];
    for (std::size_t k = 0; k < std::min(record.fields.size(), header.fields.size()); ++k) {
      CellValue value = parse_cell(record.fields[k].text, options.decimal);
      if (value.kind == CellValue::Kind::Invalid) numeric[k] = false;
      if (value.kind == CellValue::Kind::Number) (value.percent ? percent : plain)[k] = true;
    }
  }
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    if (percent[k] && plain[k]) numeric[k] = false;
  }
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  for (std::size_t r = 1; r < document.records.size(); ++r) {
    const CsvRecord& record = document.records[r];
    if (record.fields.size() != header.fields.size()) {
      throw InputError(fmt::format("{}:{}: row has {} field(s) but the header has {}", source,
                                   record.line, record.fields.size(), header.fields.size()));
    }
    const std::string& model = record.fields[layout.model].text;
    const std::string& benchmark = record.fields[layout.benchmark].text;
    std::string origin = fmt::format("{}:{}", source, record.line);
    if (model.empty() || benchmark.empty()) {
      throw InputError(fmt::format("{}: empty model or benchmark name", origin));
    }
    auto [it, inserted] = seen.emplace(std::make_pair(model, benchmark), record.line);
    if (!inserted) {
      throw InputError(fmt::format("{}:{}: model '{}' and benchmark '{}' appear twice (lines {} "
                                   "and {}); keep one score per pair",
                                   source, record.line, model, benchmark, it->second,
                                   record.line));
    }
    builder.add_model(model, origin, record.line);
    const CsvField& cell = record.fields[layout.score];
    CellValue value = parse_cell(cell.text, options.decimal);
    if (value.kind == CellValue::Kind::Invalid) {
      throw InputError(fmt::format("{}:{}:{}: score '{}' is {}; write a decimal number or leave "
                                   "the cell empty",
                                   source, cell.line, layout.score + 1, cell.text,
                                   value.problem));
    }
    double score = value.kind == CellValue::Kind::Number ? value.value : kNaN;
    if (value.percent) score /= 100;
    builder.set_score(model, benchmark, score, origin);
    for (std::size_t k = 0; k < header.fields.size(); ++k) {
      if (k == layout.model || k == layout.benchmark || k == layout.score) continue;
      const std::string& name = header.fields[k].text;
      if (!numeric[k]) {
        builder.set_text(model, name, record.fields[k].text, origin);
        continue;
      }
      CellValue attribute = parse_cell(record.fields[k].text, options.decimal);
      double v = attribute.kind == CellValue::Kind::Number ? attribute.value : kNaN;
      builder.set_number(model, name, attribute.percent ? v / 100 : v, origin);
    }
  }
  return builder.build();
}

void set_json_value(TableBuilder& builder, const std::string& model, const std::string& key,
                    const Json& value, const std::string& origin) {
  if (value.is_null()) {
    if (!is_attribute_name(key)) builder.set_score(model, key, kNaN, origin);
    return;
  }
  if (value.is_number() && !value.is_boolean()) {
    double v = value.get<double>();
    if (is_attribute_name(key)) {
      builder.set_number(model, key, v, origin);
    } else {
      builder.set_score(model, key, v, origin);
    }
    return;
  }
  if (value.is_string()) {
    builder.set_text(model, key, value.get<std::string>(), origin);
    return;
  }
  throw InputError(fmt::format("{}: model '{}', key '{}': expected a number, a string or null, "
                               "got {}",
                               origin, model, key, value.dump()));
}

ScoreTable read_json_table(std::string_view text, const std::string& source) {
  Json doc = parse_json_text(text, source);
  TableBuilder builder(source);
  if (doc.is_array()) {
    for (std::size_t k = 0; k < doc.size(); ++k) {
      const Json& record = doc[k];
      std::string origin = fmt::format("{} record {}", source, k + 1);
      if (!record.is_object() || !record.contains("model") || !record["model"].is_string()) {
        throw InputError(fmt::format("{}: each record must be an object with a \"model\" string",
                                     origin));
      }
      std::string model = record["model"].get<std::string>();
      builder.add_model(model, origin, k + 1);
      for (const auto& [key, value] : record.items()) {
        if (key != "model") set_json_value(builder, model, key, value, origin);
      }
    }
  } else if (doc.is_object()) {
    std::size_t k = 0;
    for (const auto& [model, scores] : doc.items()) {
      std::string origin = fmt::format("{} model '{}'", source, model);
      if (!scores.is_object()) {
        throw InputError(fmt::format("{}: expected an object of benchmark scores", origin));
      }
      builder.add_model(model, origin, ++k);
      for (const auto& [key, value] : scores.items()) {
        set_json_value(builder, model, key, value, origin);
      }
    }
  } else {
    throw InputError(fmt::format("{}: a JSON table is an array of records or an object of "
                                 "models",
                                 source));
  }
  return builder.build();
}

std::map<std::string, std::string> read_aliases(const std::string& path) {
  std::string source = input_name(path);
  CsvDocument document = read_csv(read_input(path), source);
  if (document.records.empty()) throw InputError(fmt::format("{}: the alias file is empty", source));
  const CsvRecord& header = document.records.front();
  std::optional<std::size_t> alias_column, model_column;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    std::string name = lower(header.fields[k].text);
    if (name == "alias") alias_column = k;
    if (name == "model") model_column = k;
  }
  if (!alias_column || !model_column) {
    throw InputError(fmt::format("{}:{}: the alias file needs the columns alias and model",
                                 source, header.line));
  }
  std::map<std::string, std::string> aliases;
  for (std::size_t r = 1; r < document.records.size(); ++r) {
    const CsvRecord& record = document.records[r];
    if (record.fields.size() <= std::max(*alias_column, *model_column)) {
      throw InputError(fmt::format("{}:{}: row has too few fields", source, record.line));
    }
    aliases[record.fields[*alias_column].text] = record.fields[*model_column].text;
  }
  return aliases;
}

ScoreTable apply_aliases(const ScoreTable& table, const std::map<std::string, std::string>& aliases) {
  ScoreTable renamed = table;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < renamed.models.size(); ++i) {
    if (auto it = aliases.find(renamed.models[i]); it != aliases.end()) renamed.models[i] = it->second;
    auto [previous, inserted] = seen.emplace(renamed.models[i], i);
    if (!inserted) {
      throw InputError(fmt::format("{}: models '{}' and '{}' both map to '{}' through the "
                                   "aliases; keep one",
                                   table.source, table.models[previous->second],
                                   table.models[i], renamed.models[i]));
    }
  }
  return renamed;
}

// Joins the attributes of `models` into `builder` for the ids of `table`.
void join_models(const ScoreTable& table, const ScoreTable& models, TableBuilder& builder,
                 Warnings& warnings) {
  std::map<std::string, std::size_t> exact, loose;
  std::map<std::string, std::size_t> loose_count;
  for (std::size_t i = 0; i < models.models.size(); ++i) {
    exact[models.models[i]] = i;
    std::string key = normalize_model_id(models.models[i]);
    loose[key] = i;
    ++loose_count[key];
  }
  std::vector<std::string> unmatched;
  for (const std::string& model : table.models) {
    std::optional<std::size_t> row;
    if (auto it = exact.find(model); it != exact.end()) {
      row = it->second;
    } else if (auto key = normalize_model_id(model); loose_count[key] == 1) {
      row = loose[key];
    }
    if (!row) {
      unmatched.push_back(model);
      continue;
    }
    std::string origin = fmt::format("{}:{}", models.source, models.model_lines[*row]);
    auto r = static_cast<Eigen::Index>(*row);
    for (std::size_t j = 0; j < models.benchmarks.size(); ++j) {
      builder.set_number(model, models.benchmarks[j],
                         models.scores(r, static_cast<Eigen::Index>(j)), origin);
    }
    for (const Attribute& attribute : models.attributes) {
      if (attribute.numeric) {
        builder.set_number(model, attribute.name, attribute.values[*row], origin);
      } else {
        builder.set_text(model, attribute.name, attribute.text[*row], origin);
      }
    }
  }
  if (!unmatched.empty()) {
    warnings.push_back(fmt::format("{} model(s) have no row in {}: {}", unmatched.size(),
                                   models.source, fmt::join(unmatched, ", ")));
  }
}

}  // namespace

std::string normalize_model_id(const std::string& id) {
  std::string key = id.substr(id.find_last_of('/') == std::string::npos ? 0
                                                                         : id.find_last_of('/') + 1);
  std::string out;
  for (char c : lower(key)) {
    if (c != '-' && c != '_' && c != '.' && c != ' ') out += c;
  }
  return out;
}

InputFormat detect_format(std::string_view text, const TableOptions& options) {
  if (starts_like_json(text)) return is_lm_eval_result(text) ? InputFormat::LmEval : InputFormat::Json;
  CsvDocument document = read_csv(text, "input", options.delimiter);
  if (!document.records.empty() && long_layout(document.records.front())) return InputFormat::Long;
  return InputFormat::Wide;
}

ScoreTable load_input_table(const std::string& path, const LoadOptions& options,
                            Warnings& warnings) {
  std::error_code ignored;
  if (path != "-" && std::filesystem::is_directory(path, ignored)) {
    std::vector<LmEvalFile> files;
    for (const std::string& file : find_lm_eval_files(path)) {
      files.push_back(parse_lm_eval(read_input(file), file, options.lm_eval));
    }
    return lm_eval_table(files, warnings);
  }
  // Large plain tables go to the streaming reader, because the general one
  // keeps every field as a string.
  if (path != "-" && std::filesystem::is_regular_file(path, ignored) &&
      std::filesystem::file_size(path, ignored) >= kStreamingBytes &&
      std::filesystem::file_size(path, ignored) <= kMaxInputBytes) {
    if (auto table = read_plain_table(path, options.table, warnings)) return std::move(*table);
  }
  return load_text_table(read_input(path), input_name(path), options, warnings);
}

ScoreTable load_text_table(std::string_view text, const std::string& source,
                           const LoadOptions& options, Warnings& warnings) {
  if (starts_like_json(text)) {
    if (is_lm_eval_result(text)) {
      return lm_eval_table({parse_lm_eval(text, source, options.lm_eval)}, warnings);
    }
    return read_json_table(text, source);
  }
  CsvDocument document = read_csv(text, source, options.table.delimiter);
  if (!document.records.empty()) {
    if (auto layout = long_layout(document.records.front())) {
      return pivot_long(document, *layout, source, options.table);
    }
  }
  return parse_table(text, source, options.table, warnings);
}

ScoreTable join_tables(std::vector<ScoreTable> tables, const LoadOptions& options,
                       Warnings& warnings) {
  std::map<std::string, std::string> aliases;
  if (!options.aliases_file.empty()) aliases = read_aliases(options.aliases_file);
  if (!aliases.empty()) {
    for (ScoreTable& table : tables) table = apply_aliases(table, aliases);
  }
  if (tables.size() == 1 && options.models_file.empty()) return std::move(tables.front());

  std::vector<std::string> names;
  for (const ScoreTable& table : tables) names.push_back(table.source);
  TableBuilder builder(fmt::format("{}", fmt::join(names, " + ")));
  for (const ScoreTable& table : tables) builder.absorb(table);
  if (!options.models_file.empty()) {
    ScoreTable models =
        apply_aliases(load_input_table(options.models_file, options, warnings), aliases);
    join_models(builder.build(), models, builder, warnings);
  }
  return builder.build();
}

ScoreTable load_inputs(const std::vector<std::string>& paths, const LoadOptions& options,
                       Warnings& warnings) {
  std::vector<ScoreTable> tables;
  for (const std::string& path : paths) tables.push_back(load_input_table(path, options, warnings));
  return join_tables(std::move(tables), options, warnings);
}

}  // namespace safetywash
