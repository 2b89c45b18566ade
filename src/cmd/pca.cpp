// SPDX-License-Identifier: MIT
// safetywash pca: the capabilities component alone.
#include <memory>

#include "cmd/commands.h"
#include "safetywash/analysis.h"
#include "safetywash/error.h"

namespace safetywash::cmd {
namespace {

struct PcaOptions {
  InputOptions input;
  OutputOptions output;
  ComponentCli component;
};

constexpr const char* kDescription = R"(Print the capabilities component: eigenvalues, explained variance, loadings and per-model scores.

Examples:
  safetywash pca --dataset paper-base
  safetywash pca scores.csv -c mmlu,gsm8k,arc_challenge --format json)";

int run_pca(const PcaOptions& options) {
  AnalysisOptions analysis;
  apply_component_options(options.component, analysis);
  OutputFormat format = output_format(options.output);

  Warnings warnings;
  check_output_is_not_input(options.output, options.input);
  Registry registry = load_registry(options.input);
  ScoreTable table = load_input(options.input, warnings);
  CapabilitiesSummary summary;
  try {
    summary = fit_capabilities(table, registry, analysis, warnings);
  } catch (const Error&) {
    print_warnings(warnings, options.output);
    throw;
  }
  print_warnings(warnings, options.output);
  RunInfo run{SAFETYWASH_VERSION, input_names(options.input)};
  emit(options.output, render_capabilities(summary, format, run));
  return 0;
}

}  // namespace

Command add_pca_command(CLI::App& parent) {
  auto options = std::make_shared<PcaOptions>();
  CLI::App* app = parent.add_subcommand("pca", "The capabilities component only");
  app->description(kDescription);
  add_input_options(*app, options->input);
  add_component_options(*app, options->component);
  add_output_options(*app, options->output);
  return {app, [options] { return run_pca(*options); }};
}

}  // namespace safetywash::cmd
