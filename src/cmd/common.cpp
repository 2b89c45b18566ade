// SPDX-License-Identifier: MIT
// Options and helpers shared by the subcommands.
#include "cmd/common.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <cerrno>
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

#include "safetywash/csv.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/output_file.h"

namespace safetywash::cmd {

void add_input_options(CLI::App& app, InputOptions& options) {
  app.add_option("FILE", options.files,
                 "Score tables (wide or long CSV/TSV, JSON) or lm-evaluation-harness result "
                 "files and folders, joined by model id ('-' reads standard input)")
      ->type_name("");
  app.add_option("--dataset", options.dataset,
                 "Use a bundled table instead of FILE: paper-base or paper-chat")
      ->type_name("NAME");
  app.add_option("--delimiter", options.delimiter,
                 "Field delimiter: ',', ';' or 'tab' (default: detected from the header)")
      ->type_name("CHAR");
  app.add_option("--decimal", options.decimal,
                 "Decimal separator of numbers: '.' or ',' (default: '.')")
      ->type_name("CHAR");
  app.add_option("--meta", options.meta,
                 "Benchmark metadata CSV that adds to or overrides the built-in registry")
      ->type_name("FILE");
  app.add_option("--models", options.models,
                 "Table of model attributes (compute, parameters, family) joined by model id")
      ->type_name("FILE");
  app.add_option("--aliases", options.aliases,
                 "CSV with columns alias,model that renames model ids in every input")
      ->type_name("FILE");
  add_lm_eval_options(app, options);
}

void add_lm_eval_options(CLI::App& app, InputOptions& options) {
  app.add_option("--metric", options.metrics,
                 "Metric of an lm-evaluation-harness task, as TASK=METRIC or "
                 "TASK=METRIC,FILTER (repeatable)")
      ->type_name("TASK=METRIC");
  app.add_flag("--subtasks", options.subtasks,
               "Keep the subtasks of lm-evaluation-harness groups as columns");
}

LoadOptions load_options(const InputOptions& options) {
  LoadOptions load;
  if (!options.delimiter.empty()) load.table.delimiter = parse_delimiter_option(options.delimiter);
  if (options.decimal == ",") {
    load.table.decimal = ',';
  } else if (options.decimal != ".") {
    throw UsageError(fmt::format("--decimal '{}' is not supported; use '.' or ','",
                                 options.decimal));
  }
  if (load.table.decimal == ',' && load.table.delimiter == ',') {
    throw UsageError("--decimal , needs another field delimiter; pass --delimiter ';' or tab");
  }
  load.lm_eval.subtasks = options.subtasks;
  for (const std::string& spec : options.metrics) {
    std::size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
      throw UsageError(fmt::format("--metric '{}' is not TASK=METRIC or TASK=METRIC,FILTER",
                                   spec));
    }
    std::string value = spec.substr(equals + 1);
    std::size_t comma = value.find(',');
    load.lm_eval.metrics[spec.substr(0, equals)] = {
        value.substr(0, comma), comma == std::string::npos ? "" : value.substr(comma + 1)};
  }
  load.models_file = options.models;
  load.aliases_file = options.aliases;
  return load;
}

void add_output_options(CLI::App& app, OutputOptions& options) {
  app.add_option("--format", options.format, "Output format: table, json, csv or markdown")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("-o,--output", options.output,
                 "Write the output to FILE instead of standard output")
      ->type_name("FILE");
  app.add_flag("-q,--quiet", options.quiet, "Print no warnings");
  app.add_flag("-v,--verbose", options.verbose, "Print progress details on standard error");
}

void add_component_options(CLI::App& app, ComponentCli& options) {
  app.add_option("-c,--capabilities", options.capabilities,
                 "Capability benchmarks for the score, comma-separated (default: the "
                 "registry's capability benchmarks in the table)")
      ->delimiter(',')
      ->type_name("LIST");
  app.add_option("--method", options.method,
                 "Correlation for the capabilities matrix and the reports: spearman, pearson "
                 "(compute as log10 FLOP) or kendall (tau-b)")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--pca-matrix", options.pca_matrix,
                 "Matrix of the capabilities component: spearman, pearson, kendall or "
                 "covariance (default: that of --method)")
      ->type_name("NAME");
  app.add_option("--missing", options.missing,
                 "Models lacking a capability value: complete (leave them out), impute "
                 "(iterative low-rank PCA) or pairwise")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--impute-rank", options.impute_rank,
                 "Rank of the reconstruction used by --missing impute")
      ->type_name("K")
      ->capture_default_str();
  app.add_option("--components", options.components,
                 "Number of eigenvalues and loading vectors to report")
      ->type_name("K")
      ->capture_default_str();
  app.add_option("--score", options.score,
                 "Capabilities score: pc1 (first component) or mean-z (mean of z-scores)")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--anchor", options.anchor,
                 "Capability benchmark that must load positively; overrides the sign rule")
      ->type_name("BENCHMARK");
}

void apply_component_options(const ComponentCli& cli, AnalysisOptions& options) {
  options.method = parse_method(cli.method);
  options.capabilities = cli.capabilities;
  if (!cli.pca_matrix.empty()) options.pca_matrix = parse_pca_matrix(cli.pca_matrix);
  options.missing = parse_missing_policy(cli.missing);
  if (cli.impute_rank < 1) throw UsageError("--impute-rank must be at least 1");
  options.impute_rank = cli.impute_rank;
  if (cli.components < 1) throw UsageError("--components must be at least 1");
  options.components = cli.components;
  options.score = parse_score_kind(cli.score);
  if (!cli.anchor.empty()) options.anchor = cli.anchor;
}

std::size_t parse_count(const std::string& text, const char* option, std::size_t max) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || value > max) {
    throw UsageError(fmt::format("{} '{}' is not a whole number from 0 to {}", option, text, max));
  }
  return value;
}

OutputFormat output_format(const OutputOptions& options) {
  return parse_output_format(options.format);
}

ScoreTable load_input(const InputOptions& options, Warnings& warnings) {
  LoadOptions load = load_options(options);
  if (!options.dataset.empty()) {
    if (!options.files.empty()) {
      throw UsageError("give either FILE or --dataset, not both");
    }
    return join_tables({load_dataset(options.dataset, warnings)}, load, warnings);
  }
  std::vector<std::string> paths = options.files;
  if (paths.empty()) {
    if (isatty(STDIN_FILENO)) {
      throw UsageError("no input; give a score table FILE, '-' to read standard input, or "
                       "--dataset paper-base");
    }
    paths.push_back("-");
  }
  if (std::count(paths.begin(), paths.end(), "-") > 1) {
    throw UsageError("standard input ('-') can be read only once");
  }
  return load_inputs(paths, load, warnings);
}

Registry load_registry(const InputOptions& options) {
  Registry registry = Registry::builtin();
  if (!options.meta.empty()) registry.merge(read_input(options.meta), input_name(options.meta));
  return registry;
}

std::vector<std::string> input_names(const InputOptions& options) {
  if (!options.dataset.empty()) return {options.dataset};
  if (options.files.empty()) return {"-"};
  return options.files;
}

void check_output_is_not_input(const OutputOptions& output, const InputOptions& input) {
  if (output.output.empty() || output.output == "-") return;
  std::vector<std::string> inputs = input.files;
  for (const std::string& extra : {input.meta, input.models, input.aliases}) {
    if (!extra.empty()) inputs.push_back(extra);
  }
  for (const std::string& path : inputs) {
    std::error_code error;
    if (path != "-" && std::filesystem::equivalent(path, output.output, error)) {
      throw UsageError(fmt::format("-o {} would overwrite the input '{}'; write the output to "
                                   "another file",
                                   output.output, path));
    }
  }
}

void emit(const OutputOptions& options, const std::string& content) {
  if (!options.output.empty() && options.output != "-") {
    write_file_atomically(options.output, content);
    return;
  }
  if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() ||
      std::fflush(stdout) != 0) {
    if (errno == EPIPE) throw BrokenPipe{};
    throw Error(ErrorKind::Io, fmt::format("cannot write to standard output: {}",
                                           std::strerror(errno)));
  }
}

void print_warnings(const Warnings& warnings, const OutputOptions& options) {
  if (options.quiet) return;
  for (const std::string& warning : warnings) {
    std::fprintf(stderr, "safetywash: warning: %s\n", warning.c_str());
  }
}

void print_info(const OutputOptions& options, const std::string& line) {
  if (options.verbose > 0 && !options.quiet) std::fprintf(stderr, "safetywash: %s\n", line.c_str());
}

}  // namespace safetywash::cmd
