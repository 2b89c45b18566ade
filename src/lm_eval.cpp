// SPDX-License-Identifier: MIT
// Reading EleutherAI lm-evaluation-harness result files (0.3 and 0.4 formats).
#include "safetywash/lm_eval.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

#include "safetywash/error.h"
#include "safetywash/input.h"

namespace safetywash {
namespace {

using Json = nlohmann::ordered_json;

// Metrics tried in order when the user names none for a task.
constexpr std::array<std::string_view, 7> kPreferredMetrics = {
    "acc_norm", "acc", "exact_match", "mc2", "mc1", "f1", "em"};

// Metrics whose lower values are better, for files without a
// higher_is_better block (the 0.3 format).
constexpr std::array<std::string_view, 8> kLowerIsBetter = {
    "perplexity",    "word_perplexity", "byte_perplexity",      "bits_per_byte",
    "pct_stereotype", "likelihood_difference", "ter",          "brier_score"};

// One numeric metric of a task entry: "acc,none" or bare "acc".
struct MetricValue {
  std::string metric;
  std::string filter;
  double value = 0.0;
};

std::size_t line_of(std::string_view text, std::size_t byte) {
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(
                                                      std::min(byte, text.size())),
                        '\n')) +
         1;
}

Json parse_json(std::string_view text, const std::string& path) {
  try {
    return parse_json_text(text, path);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}; lm-evaluation-harness files must be standard JSON "
                                 "(write NaN as null)",
                                 e.what()));
  }
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<MetricValue> numeric_metrics(const Json& entry) {
  std::vector<MetricValue> metrics;
  for (const auto& [key, value] : entry.items()) {
    if (!value.is_number() || value.is_boolean()) continue;
    std::string metric = key, filter;
    if (auto comma = key.find(','); comma != std::string::npos) {
      metric = key.substr(0, comma);
      filter = key.substr(comma + 1);
    }
    if (ends_with(metric, "_stderr") || metric == "alias") continue;
    double v = value.get<double>();
    if (!std::isfinite(v)) continue;
    metrics.push_back({metric, filter, v});
  }
  return metrics;
}

// Picks the filter of `metric` to use: strict-match, then none, then the first.
const MetricValue* pick_filter(const std::vector<MetricValue>& metrics, std::string_view metric) {
  const MetricValue* first = nullptr;
  const MetricValue* none = nullptr;
  for (const MetricValue& m : metrics) {
    if (m.metric != metric) continue;
    if (m.filter == "strict-match") return &m;
    if (m.filter == "none" && none == nullptr) none = &m;
    if (first == nullptr) first = &m;
  }
  return none != nullptr ? none : first;
}

std::optional<bool> stated_direction(const Json& doc, const std::string& task,
                                     const std::string& metric) {
  if (doc.contains("higher_is_better") && doc["higher_is_better"].is_object()) {
    const Json& block = doc["higher_is_better"];
    if (block.contains(task) && block[task].is_object() && block[task].contains(metric) &&
        block[task][metric].is_boolean()) {
      return block[task][metric].get<bool>();
    }
  }
  if (std::find(kLowerIsBetter.begin(), kLowerIsBetter.end(), metric) != kLowerIsBetter.end()) {
    return false;
  }
  return std::nullopt;
}

std::string model_from_args(const std::string& args) {
  std::size_t start = args.find("pretrained=");
  if (start == std::string::npos) return "";
  start += 11;
  std::string value = args.substr(start, args.find(',', start) - start);
  bool is_path = !value.empty() && (value[0] == '/' || value[0] == '~' ||
                                    value.rfind("./", 0) == 0 || value.rfind("../", 0) == 0);
  if (is_path) {
    while (!value.empty() && value.back() == '/') value.pop_back();
    value = value.substr(value.find_last_of('/') + 1);
  }
  return value;
}

std::string model_id(const Json& doc, const std::string& path) {
  if (doc.contains("model_name") && doc["model_name"].is_string() &&
      !doc["model_name"].get<std::string>().empty()) {
    return doc["model_name"].get<std::string>();
  }
  if (doc.contains("config") && doc["config"].is_object()) {
    const Json& config = doc["config"];
    if (config.contains("model_args") && config["model_args"].is_string()) {
      std::string model = model_from_args(config["model_args"].get<std::string>());
      if (!model.empty()) return model;
    }
  }
  return std::filesystem::path(path).stem().string();
}

bool has_score(const Json& doc, const std::string& task);

// Tasks listed as a subtask of a group that has a score of its own. Subtasks
// of a group without a score are kept, because nothing else reports them.
std::set<std::string> subtasks_of_groups(const Json& doc) {
  std::set<std::string> subtasks;
  if (!doc.contains("group_subtasks") || !doc["group_subtasks"].is_object()) return subtasks;
  for (const auto& [group, members] : doc["group_subtasks"].items()) {
    if (!members.is_array() || !has_score(doc, group)) continue;
    for (const Json& member : members) {
      if (member.is_string()) subtasks.insert(member.get<std::string>());
    }
  }
  return subtasks;
}

bool has_score(const Json& doc, const std::string& task) {
  for (const char* block : {"results", "groups"}) {
    if (doc.contains(block) && doc[block].is_object() && doc[block].contains(task) &&
        doc[block][task].is_object() && !numeric_metrics(doc[block][task]).empty()) {
      return true;
    }
  }
  return false;
}

std::optional<LmEvalScore> choose_score(const Json& doc, const std::string& task,
                                        const Json& entry, const LmEvalOptions& options,
                                        const std::string& path) {
  std::vector<MetricValue> metrics = numeric_metrics(entry);
  const MetricValue* chosen = nullptr;
  if (auto it = options.metrics.find(task); it != options.metrics.end()) {
    const auto& [metric, filter] = it->second;
    if (filter.empty()) {
      chosen = pick_filter(metrics, metric);
    } else {
      for (const MetricValue& m : metrics) {
        if (m.metric == metric && m.filter == filter) {
          chosen = &m;
          break;
        }
      }
    }
    if (chosen == nullptr) {
      throw InputError(fmt::format("{}: task '{}' has no metric '{}{}{}' (requested by --metric)",
                                   path, task, metric, filter.empty() ? "" : ",", filter));
    }
  }
  for (std::string_view preferred : kPreferredMetrics) {
    if (chosen != nullptr) break;
    chosen = pick_filter(metrics, preferred);
  }
  for (const MetricValue& m : metrics) {
    if (chosen != nullptr) break;
    if (stated_direction(doc, task, m.metric) == std::optional<bool>(true)) {
      chosen = pick_filter(metrics, m.metric);
    }
  }
  if (chosen == nullptr && !metrics.empty()) chosen = pick_filter(metrics, metrics.front().metric);
  if (chosen == nullptr) return std::nullopt;
  return LmEvalScore{task, chosen->metric, chosen->filter, chosen->value,
                     stated_direction(doc, task, chosen->metric)};
}

// Byte position of the first JSON number outside strings that does not fit
// a double, or npos.
std::size_t find_overflowing_number(std::string_view text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    std::size_t end = i;
    while (end < text.size() && std::string_view("+-.0123456789eE").find(text[end]) !=
                                    std::string_view::npos) {
      ++end;
    }
    double value = 0.0;
    auto [stop, error] = std::from_chars(text.data() + i, text.data() + end, value);
    if (error == std::errc::result_out_of_range) return i;
    i = end - 1;
  }
  return std::string_view::npos;
}

}  // namespace

Json parse_json_text(std::string_view text, const std::string& source) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw InputError(fmt::format("{}:{}: not valid JSON ({})", source,
                                 line_of(text, e.byte == 0 ? 0 : e.byte - 1), e.what()));
  } catch (const Json::exception& e) {
    std::size_t position = find_overflowing_number(text);
    if (position != std::string_view::npos) {
      throw InputError(fmt::format("{}:{}: number beyond the range of a double; write a finite "
                                   "value or null",
                                   source, line_of(text, position)));
    }
    throw InputError(fmt::format("{}: not valid JSON ({})", source, e.what()));
  }
}

bool is_lm_eval_result(std::string_view text) {
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end(), nullptr, false);
  } catch (const Json::exception&) {
    return false;  // a number out of range; the real parse reports it
  }
  return doc.is_object() && doc.contains("results") && doc["results"].is_object();
}

LmEvalFile parse_lm_eval(std::string_view text, const std::string& path,
                         const LmEvalOptions& options) {
  Json doc = parse_json(text, path);
  if (!doc.is_object() || !doc.contains("results") || !doc["results"].is_object()) {
    throw InputError(fmt::format("{}: not an lm-evaluation-harness result file (no \"results\" "
                                 "object)",
                                 path));
  }
  LmEvalFile file;
  file.path = path;
  file.model = model_id(doc, path);
  if (doc.contains("config") && doc["config"].is_object()) {
    const Json& config = doc["config"];
    if (config.contains("model_num_parameters") && config["model_num_parameters"].is_number()) {
      file.parameters = config["model_num_parameters"].get<double>();
    }
  }
  std::set<std::string> hidden = options.subtasks ? std::set<std::string>{}
                                                  : subtasks_of_groups(doc);
  std::set<std::string> seen;
  auto read_entries = [&](const Json& block) {
    for (const auto& [task, entry] : block.items()) {
      if (!entry.is_object() || hidden.count(task) || seen.count(task)) continue;
      if (auto score = choose_score(doc, task, entry, options, path)) {
        file.scores.push_back(*score);
        seen.insert(task);
      }
    }
  };
  read_entries(doc["results"]);
  if (doc.contains("groups") && doc["groups"].is_object()) read_entries(doc["groups"]);
  return file;
}

std::vector<std::string> find_lm_eval_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(path, error)) return {path};
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, error), end; it != end && !error;
       it.increment(error)) {
    if (!it->is_regular_file(error) || it->path().extension() != ".json") continue;
    std::string name = it->path().filename().string();
    std::string file = it->path().string();
    if (name.rfind("results", 0) == 0) {
      files.push_back(file);
      continue;
    }
    // Other JSON files count when they hold a "results" object. One that is
    // not valid JSON is reported rather than skipped, since it may be a
    // damaged result file.
    Json doc = parse_json(read_input(file), file);
    if (doc.is_object() && doc.contains("results") && doc["results"].is_object()) {
      files.push_back(file);
    }
  }
  if (error) {
    throw InputError(fmt::format("{}: cannot list the folder: {}", path, error.message()));
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    throw InputError(fmt::format("{}: no lm-evaluation-harness result files (*.json with a "
                                 "\"results\" object) in this folder",
                                 path));
  }
  return files;
}

ScoreTable lm_eval_table(const std::vector<LmEvalFile>& files, Warnings& warnings) {
  std::vector<std::string> paths;
  for (const LmEvalFile& file : files) paths.push_back(file.path);
  TableBuilder builder(files.size() == 1 ? files.front().path
                                         : fmt::format("{} lm-evaluation-harness files",
                                                       files.size()));
  std::map<std::string, std::pair<std::string, std::string>> first_metric;
  for (const LmEvalFile& file : files) {
    builder.add_model(file.model, file.path);
    if (file.parameters) builder.set_number(file.model, "parameters", *file.parameters, file.path);
    for (const LmEvalScore& score : file.scores) {
      builder.set_score(file.model, score.task, score.value, file.path);
      if (score.higher_is_better) builder.set_direction(score.task, *score.higher_is_better);
      auto key = std::make_pair(score.metric, score.filter);
      auto [it, inserted] = first_metric.emplace(score.task, key);
      if (!inserted && it->second != key) {
        warnings.push_back(fmt::format(
            "task '{}' uses metric '{}' in {} but '{}' in another file; pass --metric {}={} to "
            "use one metric everywhere",
            score.task, score.metric, file.path, it->second.first, score.task,
            it->second.first));
      }
    }
  }
  return builder.build();
}

std::string lm_eval_metric_report(const std::vector<LmEvalFile>& files) {
  struct Row {
    std::string metric, filter;
    std::optional<bool> higher;
    std::size_t files = 0;
  };
  std::vector<std::string> order;
  std::map<std::string, Row> rows;
  for (const LmEvalFile& file : files) {
    for (const LmEvalScore& score : file.scores) {
      auto [it, inserted] = rows.emplace(score.task, Row{score.metric, score.filter,
                                                         score.higher_is_better, 0});
      if (inserted) order.push_back(score.task);
      ++it->second.files;
    }
  }
  std::string out = "task,metric,filter,higher_is_better,files\n";
  for (const std::string& task : order) {
    const Row& row = rows[task];
    out += fmt::format("{},{},{},{},{}\n", task, row.metric, row.filter,
                       row.higher ? (*row.higher ? "true" : "false") : "", row.files);
  }
  return out;
}

}  // namespace safetywash
