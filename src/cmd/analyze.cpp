// SPDX-License-Identifier: MIT
// safetywash analyze: capabilities and compute correlations of every benchmark.
#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>
#include <cstdlib>
#include <string_view>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "cmd/common.h"
#include "safetywash/analysis.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/output_file.h"
#include "safetywash/plots.h"

namespace safetywash::cmd {
namespace {

struct AnalyzeOptions {
  InputOptions input;
  OutputOptions output;
  ComponentCli component;
  std::vector<std::string> safety;
  std::string compute;
  bool jackknife = false;
  std::string family;
  std::optional<double> fail_above;
  double confidence = 0.95;
  std::string adjust = "holm";
  std::string bootstrap_text = "0";
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::string ci_method = "bca";
  std::vector<std::string> gate;
  std::string plots;
  std::string report;
  std::string color = "auto";
  std::size_t top = 0;
};

// Upper limit of --bootstrap; a larger count is almost surely a typo and
// would allocate (resamples x benchmarks) doubles.
constexpr std::size_t kMaxResamples = 10'000'000;

// Decides on colour: never and always win; auto needs a terminal, an unset
// or empty NO_COLOR and a TERM other than "dumb".
bool use_color(const std::string& when, bool to_terminal) {
  if (when == "always") return true;
  if (when == "never") return false;
  if (when != "auto") {
    throw UsageError(fmt::format("--color '{}' is not auto, always or never", when));
  }
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return to_terminal && (no_color == nullptr || no_color[0] == '\0') &&
         (term == nullptr || std::string_view(term) != "dumb");
}

// Columns of the terminal on standard output, or 0 when unknown.
std::size_t terminal_width() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

// Redraws "bootstrap done/total" in place on a terminal.
void show_progress(std::size_t done, std::size_t total) {
  std::fprintf(stderr, "\rsafetywash: bootstrap %zu/%zu", done, total);
  if (done == total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

constexpr const char* kDescription = R"(Report how strongly each benchmark tracks general capabilities and training compute.

The capabilities score is the first principal component of the capability
benchmarks (by default the registry's 12 from the Safetywashing paper that the
table contains): each is z-scored, the top eigenvector of their Spearman
correlation matrix gives the loadings, and a model's score is its z-scores
dotted with the loadings. Each benchmark's capabilities correlation is its
correlation with that score over the models that have both; its compute
correlation is the same with training FLOP. A safety benchmark with a high
capabilities correlation improves with scale alone.

Examples:
  safetywash analyze --dataset paper-chat
  safetywash analyze scores.csv --format json -o results.json
  safetywash analyze scores.csv -c mmlu,gsm8k,bbh --compute train_flops --method pearson)";

// The command line as report lines, e.g. "--method spearman".
std::vector<std::string> option_lines(const AnalyzeOptions& options,
                                      const AnalysisOptions& analysis) {
  std::vector<std::string> lines = {
      fmt::format("--method {}", method_name(analysis.method)),
      fmt::format("--missing {}", options.component.missing),
      fmt::format("--adjust {}", options.adjust),
      fmt::format("--confidence {}", analysis.confidence)};
  if (!analysis.capabilities.empty()) {
    lines.push_back(fmt::format("--capabilities {}", fmt::join(analysis.capabilities, ",")));
  }
  if (analysis.compute) lines.push_back(fmt::format("--compute {}", *analysis.compute));
  if (analysis.bootstrap > 0) {
    lines.push_back(fmt::format("--bootstrap {} --seed {} --ci-method {}", analysis.bootstrap,
                                analysis.seed, options.ci_method));
  }
  return lines;
}

// Writes --plots DIR (one SVG file per plot) and --report FILE.html.
void write_plots_and_report(const AnalyzeOptions& options, const AnalysisOptions& analysis,
                            const AnalysisResult& result) {
  if (!options.plots.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.plots, error);
    if (error) {
      throw Error(ErrorKind::Io, fmt::format("{}: cannot create the plot folder: {}",
                                             options.plots, error.message()));
    }
    for (const PlotFile& plot : render_plots(result)) {
      write_file_atomically((std::filesystem::path(options.plots) / plot.name).string(),
                            plot.svg);
    }
  }
  if (!options.report.empty()) {
    ReportContext context;
    context.version = SAFETYWASH_VERSION;
    context.inputs = input_names(options.input);
    for (const std::string& input : options.input.files) {
      std::error_code ignored;
      bool file = input != "-" && std::filesystem::is_regular_file(input, ignored);
      context.input_sha256.push_back(file ? sha256_hex(read_input(input)) : "");
    }
    if (!options.input.dataset.empty()) {
      context.input_sha256.push_back(sha256_hex(embedded_file(
          options.input.dataset == "paper-base" ? "paper_base.csv" : "paper_chat.csv")));
    }
    context.options = option_lines(options, analysis);
    write_file_atomically(options.report, render_html_report(result, context));
  }
}

int run_analyze(const AnalyzeOptions& options) {
  AnalysisOptions analysis;
  apply_component_options(options.component, analysis);
  analysis.safety = options.safety;
  analysis.jackknife = options.jackknife;
  if (!options.family.empty()) analysis.family_column = options.family;
  if (!options.compute.empty()) analysis.compute = options.compute;
  analysis.confidence = options.confidence;
  analysis.adjustment = parse_adjustment(options.adjust);
  analysis.bootstrap = parse_count(options.bootstrap_text, "--bootstrap", kMaxResamples);
  if (options.fail_above && !(*options.fail_above >= -1 && *options.fail_above <= 1)) {
    throw UsageError(fmt::format("--fail-above {} is outside [-1, 1]; give a correlation such as "
                                 "0.7",
                                 *options.fail_above));
  }
  analysis.bootstrap_interval = parse_bootstrap_interval(options.ci_method);
  analysis.seed = options.seed ? *options.seed : std::random_device{}();
  analysis.threads = options.threads > 0 ? options.threads
                                         : std::max(1u, std::thread::hardware_concurrency());
  if (analysis.bootstrap > 0 && isatty(STDERR_FILENO) && !options.output.quiet) {
    analysis.progress = show_progress;
  }
  OutputFormat format = output_format(options.output);
  analysis.points = !options.plots.empty() || !options.report.empty();

  Warnings warnings;
  check_output_is_not_input(options.output, options.input);
  Registry registry = load_registry(options.input);
  ScoreTable table = load_input(options.input, warnings);
  print_info(options.output, fmt::format("load: {} models, {} benchmark columns from {}",
                                         table.models.size(), table.benchmarks.size(),
                                         table.source));

  // Warnings from reading the table come first, in the output as on stderr.
  AnalysisResult result;
  try {
    result = analyze(std::move(table), registry, analysis);
  } catch (const Error&) {
    print_warnings(warnings, options.output);
    throw;
  }
  result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
  print_warnings(result.warnings, options.output);
  print_info(options.output,
             fmt::format("pca: {} capability benchmarks over {} models, explained variance "
                         "{:.1f}%",
                         result.capabilities.benchmarks.size(), result.capabilities.models.size(),
                         result.capabilities.explained_variance * 100));

  std::vector<std::string> offending;
  if (options.fail_above) {
    for (const std::string& id : options.gate) {
      bool found = std::any_of(result.benchmarks.begin(), result.benchmarks.end(),
                               [&](const BenchmarkResult& b) { return b.info.id == id; });
      if (!found) {
        throw InputError(fmt::format("--gate names '{}', which is not an analyzed benchmark",
                                     id));
      }
    }
    for (const BenchmarkResult& b : result.benchmarks) {
      bool gated = options.gate.empty() ||
                   std::find(options.gate.begin(), options.gate.end(), b.info.id) !=
                       options.gate.end();
      if (gated && b.role == Role::Safety && b.capabilities.r &&
          *b.capabilities.r >= *options.fail_above) {
        offending.push_back(fmt::format("{} ({:.1f}%)", b.info.id, *b.capabilities.r * 100));
      }
    }
  }

  // The gate is decided even when standard output is a closed pipe, so a CI
  // step piping into head still fails on a tripped gate.
  RunInfo run{SAFETYWASH_VERSION, input_names(options.input)};
  TableStyle style;
  style.verbose = options.output.verbose > 0;
  style.top = options.top;
  bool to_terminal = options.output.output.empty() && isatty(STDOUT_FILENO);
  style.color = use_color(options.color, to_terminal);
  style.width = to_terminal ? terminal_width() : 0;
  try {
    switch (format) {
      case OutputFormat::Json: emit(options.output, render_analysis_json(result, run)); break;
      case OutputFormat::Csv: emit(options.output, render_analysis_csv(result)); break;
      case OutputFormat::Markdown:
        emit(options.output, render_analysis_markdown(result, style));
        break;
      case OutputFormat::Table:
        emit(options.output, render_analysis_table(result, style));
        break;
    }
  } catch (const BrokenPipe&) {
    if (offending.empty()) throw;
  }
  write_plots_and_report(options, analysis, result);
  if (!offending.empty()) {
    std::fprintf(stderr, "safetywash: gate: %zu benchmark(s) have a capabilities correlation "
                         "of at least %g: %s\n",
                 offending.size(), *options.fail_above,
                 fmt::format("{}", fmt::join(offending, ", ")).c_str());
    return 1;
  }
  return 0;
}

}  // namespace

Command add_analyze_command(CLI::App& parent) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* app = parent.add_subcommand("analyze", "Capabilities and compute correlations of "
                                                   "every benchmark");
  app->description(kDescription);
  add_input_options(*app, options->input);
  add_component_options(*app, options->component);
  app->add_option("-s,--safety", options->safety,
                  "Benchmarks to report, comma-separated (default: all others)")
      ->delimiter(',')
      ->type_name("LIST");
  app->add_option("--compute", options->compute,
                  "Training compute column in FLOP (default: a column named like FLOP, flops, "
                  "training_flop or compute)")
      ->type_name("COLUMN");
  app->add_flag("--jackknife", options->jackknife,
                "Report the range of each capabilities correlation over leave-one-model-out "
                "refits");
  app->add_option("--by-family", options->family,
                  "Report the range over leave-one-family-out refits, families from COLUMN")
      ->type_name("COLUMN");
  app->add_option("--confidence", options->confidence,
                  "Confidence level of the Fisher-z intervals of capabilities correlations")
      ->type_name("LEVEL")
      ->capture_default_str();
  app->add_option("--adjust", options->adjust,
                  "Multiple-testing correction of p-values across the reported benchmarks: "
                  "holm, bh (Benjamini-Hochberg), bonferroni or none")
      ->type_name("NAME")
      ->capture_default_str();
  app->add_option("--bootstrap", options->bootstrap_text,
                  "Bootstrap resamples of models; each one refits the capabilities score "
                  "(default: 0, Fisher-z intervals)")
      ->type_name("N");
  app->add_option("--ci-method", options->ci_method,
                  "Bootstrap interval: bca or percentile")
      ->type_name("NAME")
      ->capture_default_str();
  app->add_option("--seed", options->seed,
                  "Seed of the bootstrap; the same seed gives identical output for any thread "
                  "count (default: random, reported in the output)")
      ->type_name("N");
  app->add_option("--threads", options->threads,
                  "Threads for the bootstrap (default: all cores)")
      ->type_name("N");
  app->add_option("--gate", options->gate,
                  "Benchmarks that --fail-above checks, comma-separated (default: all "
                  "reported)")
      ->delimiter(',')
      ->type_name("LIST");
  app->add_option("--plots", options->plots,
                  "Write SVG plots (scatter per benchmark, bar chart, scree, heatmap, scores) "
                  "into folder DIR")
      ->type_name("DIR");
  app->add_option("--report", options->report,
                  "Write a self-contained HTML report with the table, plots and method")
      ->type_name("FILE.html");
  app->add_option("--top", options->top,
                  "Show only the N most capabilities-correlated benchmarks in the table")
      ->type_name("N");
  app->add_option("--color", options->color,
                  "Colour in the table: auto (when standard output is a terminal and NO_COLOR "
                  "is unset), always or never")
      ->type_name("WHEN")
      ->capture_default_str();
  app->add_option("--fail-above", options->fail_above,
                  "Exit with code 1 when a reported benchmark's capabilities correlation is at "
                  "least R (a fraction, e.g. 0.7)")
      ->type_name("R");
  add_output_options(*app, options->output);
  return {app, [options] { return run_analyze(*options); }};
}

}  // namespace safetywash::cmd
