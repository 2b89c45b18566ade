// SPDX-License-Identifier: MIT
// Benchmark metadata: the built-in registry and user metadata files.
#include "safetywash/benchmarks.h"

#include <fmt/format.h>
#include <algorithm>
#include <map>

#include "safetywash/csv.h"
#include "safetywash/error.h"
#include "safetywash/input.h"

namespace safetywash {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

enum class Field { Id, Name, Role, Direction, Category, Metric, Description };

std::optional<Field> field_for_header(std::string_view header) {
  static const std::map<std::string, Field, std::less<>> kHeaders = {
      {"id", Field::Id},
      {"benchmark", Field::Id},
      {"name", Field::Name},
      {"display_name", Field::Name},
      {"role", Field::Role},
      {"higher_is_better", Field::Direction},
      {"direction", Field::Direction},
      {"category", Field::Category},
      {"metric", Field::Metric},
      {"description", Field::Description},
  };
  auto it = kHeaders.find(ascii_lower(header));
  if (it == kHeaders.end()) return std::nullopt;
  return it->second;
}

Role parse_role(const CsvField& cell, const std::string& source, std::size_t column) {
  std::string value = ascii_lower(cell.text);
  if (value == "capability") return Role::Capability;
  if (value == "safety") return Role::Safety;
  if (value == "ignore") return Role::Ignore;
  throw InputError(fmt::format("{}:{}:{}: role '{}' is not valid; use capability, safety or "
                               "ignore",
                               source, cell.line, column, cell.text));
}

bool parse_direction(const CsvField& cell, const std::string& source, std::size_t column) {
  std::string value = ascii_lower(cell.text);
  if (value == "true" || value == "yes" || value == "1" || value == "higher") return true;
  if (value == "false" || value == "no" || value == "0" || value == "lower") return false;
  throw InputError(fmt::format("{}:{}:{}: direction '{}' is not valid; use true (higher is "
                               "better) or false (lower is better)",
                               source, cell.line, column, cell.text));
}

// The arrow U+2193 (DOWNWARDS ARROW) in a metric such as "Error rate (↓)".
bool metric_says_lower_is_better(std::string_view metric) {
  return metric.find("\xE2\x86\x93") != std::string_view::npos;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::Capability: return "capability";
    case Role::Safety: return "safety";
    case Role::Ignore: return "ignore";
  }
  return "safety";
}

Registry Registry::builtin() {
  Registry registry;
  registry.merge(embedded_file("benchmarks.csv"), "benchmarks.csv");
  return registry;
}

void Registry::merge(std::string_view text, const std::string& source) {
  // Work on a copy so that a file with an error changes nothing.
  Registry merged = *this;
  merged.merge_into(text, source);
  *this = std::move(merged);
}

void Registry::merge_into(std::string_view text, const std::string& source) {
  CsvDocument document = read_csv(text, source);
  if (document.records.empty()) {
    throw InputError(fmt::format("{}: the metadata file is empty; expected a header with an "
                                 "'id' or 'benchmark' column",
                                 source));
  }
  const CsvRecord& header = document.records.front();
  std::vector<std::optional<Field>> fields;
  bool has_id = false, has_direction = false;
  for (const CsvField& cell : header.fields) {
    std::optional<Field> field = field_for_header(cell.text);
    if (field && std::find(fields.begin(), fields.end(), field) != fields.end()) {
      throw InputError(fmt::format("{}:{}: the metadata header names the same field twice "
                                   "('{}'); keep one column per field",
                                   source, header.line, cell.text));
    }
    fields.push_back(field);
    has_id = has_id || fields.back() == Field::Id;
    has_direction = has_direction || fields.back() == Field::Direction;
  }
  if (!has_id) {
    throw InputError(fmt::format("{}:{}: the metadata header has no 'id' or 'benchmark' "
                                 "column",
                                 source, header.line));
  }

  std::map<std::string, std::size_t> seen_lines;
  for (std::size_t r = 1; r < document.records.size(); ++r) {
    const CsvRecord& record = document.records[r];
    if (record.fields.size() != fields.size()) {
      throw InputError(fmt::format("{}:{}: row has {} field(s) but the header has {}", source,
                                   record.line, record.fields.size(), fields.size()));
    }
    BenchmarkInfo update;
    for (std::size_t k = 0; k < fields.size(); ++k) {
      if (fields[k] == Field::Id) update.id = record.fields[k].text;
    }
    if (update.id.empty()) {
      throw InputError(fmt::format("{}:{}: empty benchmark id", source, record.line));
    }
    auto [seen, inserted] = seen_lines.emplace(update.id, record.line);
    if (!inserted) {
      throw InputError(fmt::format("{}:{}: duplicate benchmark '{}' (lines {} and {})", source,
                                   record.line, update.id, seen->second, record.line));
    }

    // Tables match registry ids ignoring ASCII case, so overrides do too.
    std::optional<std::size_t> index = find_index(update.id);
    if (!index) {
      index = entries_.size();
      entries_.push_back(BenchmarkInfo{update.id, update.id, Role::Safety, true, "other", "", ""});
      by_id_.emplace(update.id, *index);
      by_lower_id_.emplace(ascii_lower(update.id), *index);
    }
    BenchmarkInfo* entry = &entries_[*index];
    for (std::size_t k = 0; k < fields.size(); ++k) {
      if (!fields[k]) continue;
      const CsvField& cell = record.fields[k];
      std::size_t column = k + 1;
      switch (*fields[k]) {
        case Field::Id: break;
        case Field::Name:
          if (!cell.text.empty()) entry->name = cell.text;
          break;
        case Field::Role: entry->role = parse_role(cell, source, column); break;
        case Field::Direction: entry->higher_is_better = parse_direction(cell, source, column); break;
        case Field::Category:
          if (!cell.text.empty()) entry->category = cell.text;
          break;
        case Field::Metric:
          entry->metric = cell.text;
          if (!has_direction && metric_says_lower_is_better(cell.text)) {
            entry->higher_is_better = false;
          }
          break;
        case Field::Description: entry->description = cell.text; break;
      }
    }
  }
}

std::optional<std::size_t> Registry::find_index(std::string_view id) const {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  if (auto it = by_lower_id_.find(ascii_lower(id)); it != by_lower_id_.end()) return it->second;
  return std::nullopt;
}

const BenchmarkInfo* Registry::find(std::string_view id) const {
  std::optional<std::size_t> index = find_index(id);
  return index ? &entries_[*index] : nullptr;
}

}  // namespace safetywash
