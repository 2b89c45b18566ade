// SPDX-License-Identifier: MIT
// Options and helpers shared by the subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/benchmarks.h"
#include "safetywash/load.h"
#include "safetywash/report.h"
#include "safetywash/table.h"

namespace safetywash::cmd {

/// A registered subcommand and the function that runs it after parsing.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

/// Source of the score table and settings for reading it.
struct InputOptions {
  std::vector<std::string> files;
  std::string dataset;
  std::string delimiter;
  std::string decimal = ".";
  std::string meta;
  std::string models;
  std::string aliases;
  std::vector<std::string> metrics;  ///< TASK=METRIC[,FILTER]
  bool subtasks = false;
};

/// Output destination, format and verbosity.
struct OutputOptions {
  std::string format = "table";
  std::string output;
  bool quiet = false;
  int verbose = 0;
};

/// Options of the capabilities component shared by analyze, pca and adjust.
struct ComponentCli {
  std::vector<std::string> capabilities;
  std::string method = "spearman";
  std::string pca_matrix;
  std::string missing = "complete";
  std::size_t impute_rank = 1;
  std::size_t components = 1;
  std::string score = "pc1";
  std::string anchor;
};

/// Thrown when stdout is a closed pipe; main() exits quietly with 0.
struct BrokenPipe {};

void add_input_options(CLI::App& app, InputOptions& options);
/// The lm-evaluation-harness options (--metric, --subtasks).
void add_lm_eval_options(CLI::App& app, InputOptions& options);
/// The settings of the input options for the loaders.
LoadOptions load_options(const InputOptions& options);
void add_output_options(CLI::App& app, OutputOptions& options);
void add_component_options(CLI::App& app, ComponentCli& options);

/// Copies the parsed component options into analysis options.
void apply_component_options(const ComponentCli& cli, AnalysisOptions& options);

/// Loads the table named by the input options: files, folders of
/// lm-evaluation-harness results, "-", standard input when no file is given
/// and stdin is not a terminal, or a bundled dataset; joined by model id.
ScoreTable load_input(const InputOptions& options, Warnings& warnings);

/// The built-in registry with the --meta file merged in.
Registry load_registry(const InputOptions& options);

/// Names of the inputs for reports.
std::vector<std::string> input_names(const InputOptions& options);

/// Rejects an -o FILE that is one of the input files.
void check_output_is_not_input(const OutputOptions& output, const InputOptions& input);

/// Writes the result to -o FILE (whole or not at all) or to stdout.
void emit(const OutputOptions& options, const std::string& content);

/// Prints warnings to stderr as "safetywash: warning: ...", unless quiet.
void print_warnings(const Warnings& warnings, const OutputOptions& options);

/// Prints an informational line to stderr when -v was given.
void print_info(const OutputOptions& options, const std::string& line);

OutputFormat output_format(const OutputOptions& options);

/// Parses a non-negative whole number of at most `max` given to `option`.
/// Throws UsageError otherwise.
std::size_t parse_count(const std::string& text, const char* option, std::size_t max);

}  // namespace safetywash::cmd
