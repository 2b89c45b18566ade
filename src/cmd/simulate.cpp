// SPDX-License-Identifier: MIT
// safetywash simulate: synthetic score tables with known true correlations.
#include <fmt/format.h>
#include <memory>
#include <nlohmann/json.hpp>

#include "cmd/commands.h"
#include "safetywash/output_file.h"
#include "safetywash/simulate.h"

namespace safetywash::cmd {
namespace {

struct SimulateOptions {
  SimulationSpec spec;
  std::string output;
  std::string truth;
};

constexpr const char* kDescription = R"(Write a synthetic score table whose true capabilities correlations are known.

Each model has a latent capability c ~ N(0, 1). Capability benchmark k is
lambda_k c plus independent noise, safety benchmark j is rho_j c plus noise
(each with unit variance), and log10 training FLOP is 23 + 1.5 (rho_c c +
noise). --truth writes, per safety benchmark and method, the population value
of the capabilities and compute correlations that analyze estimates. Use it to
check coverage of intervals and the size of tests.

Examples:
  safetywash simulate --models 28 --seed 7 -o table.csv --truth truth.json
  safetywash simulate --safety 0.5,0 --missing 0.05 | safetywash analyze - -c cap_1,cap_2,cap_3,cap_4,cap_5,cap_6)";

std::string truth_json(const SimulatedTable& table, const SimulationSpec& spec) {
  using Json = nlohmann::ordered_json;
  Json safety = Json::array();
  for (std::size_t j = 0; j < table.safety.size(); ++j) {
    Json capabilities, compute;
    for (Method method : {Method::Spearman, Method::Pearson, Method::Kendall}) {
      auto m = static_cast<std::size_t>(method);
      capabilities[std::string(method_name(method))] = table.true_capabilities_correlation[m][j];
      compute[std::string(method_name(method))] = table.true_compute_correlation[m][j];
    }
    safety.push_back(Json{{"benchmark", table.safety[j]},
                          {"rho", spec.safety[j]},
                          {"capabilities_correlation", capabilities},
                          {"compute_correlation", compute}});
  }
  Json doc{{"seed", spec.seed},
           {"models", spec.models},
           {"missing", spec.missing},
           {"capabilities", table.capabilities},
           {"loadings", spec.loadings},
           {"compute_correlation", spec.compute_correlation},
           {"safety", safety}};
  return doc.dump(2) + "\n";
}

int run_simulate(const SimulateOptions& options) {
  SimulatedTable table = simulate_table(options.spec);
  if (!options.truth.empty()) {
    write_file_atomically(options.truth, truth_json(table, options.spec));
  }
  OutputOptions output;
  output.output = options.output;
  emit(output, simulated_csv(table));
  return 0;
}

}  // namespace

Command add_simulate_command(CLI::App& parent) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* app = parent.add_subcommand("simulate", "Write a synthetic table with known "
                                                    "true correlations");
  app->description(kDescription);
  app->add_option("--models", options->spec.models, "Number of models")->capture_default_str();
  app->add_option("--loadings", options->spec.loadings,
                  "Loading of each capability benchmark on the latent capability, "
                  "comma-separated; their count sets the number of capability benchmarks")
      ->delimiter(',')
      ->type_name("LIST")
      ->capture_default_str();
  app->add_option("--safety", options->spec.safety,
                  "True correlation of each safety benchmark with the latent capability, "
                  "comma-separated")
      ->delimiter(',')
      ->type_name("LIST")
      ->capture_default_str();
  app->add_option("--compute-correlation", options->spec.compute_correlation,
                  "Correlation of log10 training FLOP with the latent capability")
      ->capture_default_str();
  app->add_option("--missing", options->spec.missing,
                  "Share of benchmark and compute cells left empty, at random")
      ->capture_default_str();
  app->add_option("--seed", options->spec.seed, "Seed of the generator")->capture_default_str();
  app->add_option("-o,--output", options->output, "Write the table to FILE")->type_name("FILE");
  app->add_option("--truth", options->truth,
                  "Write the population correlations as JSON to FILE")
      ->type_name("FILE");
  return {app, [options] { return run_simulate(*options); }};
}

}  // namespace safetywash::cmd
