// SPDX-License-Identifier: MIT
// safetywash adjust: capabilities-adjusted safety scores per model.
#include <fmt/format.h>
#include <memory>
#include <nlohmann/json.hpp>

#include "cmd/commands.h"
#include "safetywash/analysis.h"
#include "report_common.h"
#include "safetywash/error.h"

namespace safetywash::cmd {
namespace {

struct AdjustOptions {
  InputOptions input;
  OutputOptions output;
  ComponentCli component;
  std::vector<std::string> safety;
  std::string compute;
};

constexpr const char* kDescription = R"(Show which models are safer than their capabilities predict.

For every reported safety benchmark, the z-scored values are regressed on the
capabilities score by ordinary least squares (with intercept, over the models
that have both). Each model gets its z-score, the predicted value, the
residual (above zero: safer than its capabilities predict) and its rank by
residual within the benchmark (1 = furthest above the prediction).

Examples:
  safetywash adjust --dataset paper-chat
  safetywash adjust scores.csv -s truthfulqa_mc1,bbq --format json)";

std::string render_csv(const std::vector<AdjustedScore>& rows) {
  std::string out = "model,benchmark,z,predicted,residual,rank\n";
  for (const AdjustedScore& row : rows) {
    out += fmt::format("{},{},{},{},{},{}\n", csv_escape(row.model), csv_escape(row.benchmark),
                       row.z, row.predicted, row.residual, row.rank);
  }
  return out;
}

std::string render_json(const std::vector<AdjustedScore>& rows) {
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (const AdjustedScore& row : rows) {
    records.push_back({{"model", row.model},
                       {"benchmark", row.benchmark},
                       {"z", row.z},
                       {"predicted", row.predicted},
                       {"residual", row.residual},
                       {"rank", row.rank}});
  }
  return records.dump(2) + "\n";
}

int run_adjust(const AdjustOptions& options) {
  AnalysisOptions analysis;
  apply_component_options(options.component, analysis);
  analysis.safety = options.safety;
  if (!options.compute.empty()) analysis.compute = options.compute;
  OutputFormat format = output_format(options.output);
  if (format != OutputFormat::Csv && format != OutputFormat::Json) {
    throw UsageError("adjust writes --format csv or json");
  }

  Warnings warnings;
  check_output_is_not_input(options.output, options.input);
  Registry registry = load_registry(options.input);
  ScoreTable table = load_input(options.input, warnings);
  std::vector<AdjustedScore> rows;
  try {
    rows = adjusted_scores(table, registry, analysis, warnings);
  } catch (const Error&) {
    print_warnings(warnings, options.output);
    throw;
  }
  print_warnings(warnings, options.output);
  emit(options.output, format == OutputFormat::Json ? render_json(rows) : render_csv(rows));
  return 0;
}

}  // namespace

Command add_adjust_command(CLI::App& parent) {
  auto options = std::make_shared<AdjustOptions>();
  options->output.format = "csv";
  CLI::App* app = parent.add_subcommand("adjust", "Capabilities-adjusted safety scores per "
                                                  "model");
  app->description(kDescription);
  add_input_options(*app, options->input);
  add_component_options(*app, options->component);
  app->add_option("-s,--safety", options->safety,
                  "Benchmarks to adjust, comma-separated (default: all reported ones)")
      ->delimiter(',')
      ->type_name("LIST");
  app->add_option("--compute", options->compute, "Training compute column in FLOP")
      ->type_name("COLUMN");
  add_output_options(*app, options->output);
  return {app, [options] { return run_adjust(*options); }};
}

}  // namespace safetywash::cmd
