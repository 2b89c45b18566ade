// SPDX-License-Identifier: MIT
// safetywash import lm-eval: lm-evaluation-harness results to a score table.
#include <fmt/format.h>
#include <memory>
#include <nlohmann/json.hpp>

#include "cmd/commands.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/lm_eval.h"
#include "report_common.h"

namespace safetywash::cmd {
namespace {

struct ImportOptions {
  std::vector<std::string> paths;
  InputOptions input;  // only the lm-eval options are used
  OutputOptions output;
  bool metric_report = false;
};

constexpr const char* kDescription = R"(Convert EleutherAI lm-evaluation-harness result files into a wide score table.

PATH is a result file or a folder searched recursively for results*.json and
other *.json files with a "results" object. Both the 0.4 format (metric keys
such as "acc,none", groups) and the 0.3 format (bare "acc") are read. Each
model becomes a row (model_name, else pretrained= of config.model_args, else
the file name) and each task a column; files of the same model merge. The
default metric per task is the first of acc_norm, acc, exact_match
(strict-match filter first), mc2, mc1, f1, em; --metric overrides it.
Subtasks of groups (mmlu_formal_logic under mmlu) are left out unless
--subtasks. analyze reads the same paths directly.

Examples:
  safetywash import lm-eval results/ -o scores.csv
  safetywash import lm-eval results/ --metric gsm8k=exact_match,flexible-extract --metric-report)";

std::string render_csv(const ScoreTable& table) {
  std::string out = "model";
  for (const Attribute& a : table.attributes) out += "," + csv_escape(a.name);
  for (const std::string& b : table.benchmarks) out += "," + csv_escape(b);
  out += "\n";
  auto number = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); };
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    out += csv_escape(table.models[i]);
    for (const Attribute& a : table.attributes) {
      out += "," + (a.numeric ? number(a.values[i]) : csv_escape(a.text[i]));
    }
    for (Eigen::Index j = 0; j < table.scores.cols(); ++j) {
      out += "," + number(table.scores(static_cast<Eigen::Index>(i), j));
    }
    out += "\n";
  }
  return out;
}

std::string render_json(const ScoreTable& table) {
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    nlohmann::ordered_json record{{"model", table.models[i]}};
    for (const Attribute& a : table.attributes) {
      if (a.numeric && !std::isnan(a.values[i])) record[a.name] = a.values[i];
      if (!a.numeric && !a.text[i].empty()) record[a.name] = a.text[i];
    }
    for (std::size_t j = 0; j < table.benchmarks.size(); ++j) {
      double v = table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      record[table.benchmarks[j]] = std::isnan(v) ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(v);
    }
    records.push_back(record);
  }
  return records.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

int run_import(const ImportOptions& options) {
  OutputFormat format = output_format(options.output);
  if (format != OutputFormat::Csv && format != OutputFormat::Json) {
    throw UsageError("import writes --format csv or json");
  }
  LoadOptions load = load_options(options.input);
  std::vector<LmEvalFile> files;
  for (const std::string& path : options.paths) {
    for (const std::string& file : find_lm_eval_files(path)) {
      files.push_back(parse_lm_eval(read_input(file), file, load.lm_eval));
    }
  }
  Warnings warnings;
  ScoreTable table = lm_eval_table(files, warnings);
  print_warnings(warnings, options.output);
  if (options.metric_report) std::fputs(lm_eval_metric_report(files).c_str(), stderr);
  print_info(options.output, fmt::format("import: {} files, {} models, {} tasks", files.size(),
                                         table.models.size(), table.benchmarks.size()));
  emit(options.output, format == OutputFormat::Json ? render_json(table) : render_csv(table));
  return 0;
}

}  // namespace

Command add_import_command(CLI::App& parent) {
  auto options = std::make_shared<ImportOptions>();
  options->output.format = "csv";
  CLI::App* import = parent.add_subcommand("import", "Convert results of other tools to a "
                                                     "score table");
  import->require_subcommand(1);
  CLI::App* app = import->add_subcommand("lm-eval", "lm-evaluation-harness result files");
  app->description(kDescription);
  app->add_option("PATH", options->paths, "Result files or folders")->required()->type_name("");
  add_lm_eval_options(*app, options->input);
  app->add_flag("--metric-report", options->metric_report,
                "List the metric chosen for each task on standard error (as CSV)");
  add_output_options(*app, options->output);
  return {app, [options] { return run_import(*options); }};
}

}  // namespace safetywash::cmd
