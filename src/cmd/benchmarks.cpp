// SPDX-License-Identifier: MIT
// safetywash benchmarks: list the benchmark registry.
#include <memory>

#include "cmd/commands.h"

namespace safetywash::cmd {
namespace {

struct BenchmarksOptions {
  std::string meta;
  OutputOptions output;
};

int run_benchmarks(const BenchmarksOptions& options) {
  InputOptions input;
  input.meta = options.meta;
  Registry registry = load_registry(input);
  emit(options.output, render_registry(registry, output_format(options.output)));
  return 0;
}

}  // namespace

Command add_benchmarks_command(CLI::App& parent) {
  auto options = std::make_shared<BenchmarksOptions>();
  CLI::App* app = parent.add_subcommand("benchmarks", "List the built-in benchmark registry");
  app->description(
      "List the built-in benchmark registry: id, display name, role (capability, safety or "
      "ignore), direction, category and metric.\n\nExamples:\n  safetywash benchmarks\n  "
      "safetywash benchmarks --format csv --meta my_benchmarks.csv");
  app->add_option("--meta", options->meta, "Metadata CSV merged into the registry first")
      ->type_name("FILE");
  add_output_options(*app, options->output);
  return {app, [options] { return run_benchmarks(*options); }};
}

}  // namespace safetywash::cmd
