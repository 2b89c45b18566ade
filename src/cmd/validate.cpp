// SPDX-License-Identifier: MIT
// safetywash validate: list every problem of input tables, then a summary.
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <memory>

#include "cmd/commands.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/load.h"

namespace safetywash::cmd {
namespace {

struct ValidateOptions {
  InputOptions input;
  OutputOptions output;
};

constexpr const char* kDescription = R"(Check score tables and list every problem found, not just the first.

Each problem names file:line:column, the value and what is expected. A summary
per file follows: models, benchmark columns, ids known and unknown to the
benchmark registry, missing cells per benchmark and attribute columns. The
exit code is 0 when no problem was found and 3 otherwise.

Examples:
  safetywash validate scores.csv
  safetywash validate results/ extra_scores.csv)";

std::string summarize(const ScoreTable& table, const Registry& registry) {
  std::vector<std::string> known, unknown;
  for (const std::string& id : table.benchmarks) {
    (registry.find(id) != nullptr ? known : unknown).push_back(id);
  }
  std::string out = fmt::format("{}: {} models, {} benchmark columns ({} in the registry, {} "
                                "not)\n",
                                table.source, table.models.size(), table.benchmarks.size(),
                                known.size(), unknown.size());
  if (!unknown.empty()) {
    out += fmt::format("  not in the registry (reported with category 'other'): {}\n",
                       fmt::join(unknown, ", "));
  }
  std::vector<std::string> missing;
  for (std::size_t j = 0; j < table.benchmarks.size(); ++j) {
    auto count = (table.scores.col(static_cast<Eigen::Index>(j)).array().isNaN()).count();
    if (count > 0) missing.push_back(fmt::format("{} {}", table.benchmarks[j], count));
  }
  out += missing.empty() ? "  no missing cells\n"
                         : fmt::format("  missing cells: {}\n", fmt::join(missing, ", "));
  std::vector<std::string> attributes;
  for (const Attribute& a : table.attributes) {
    attributes.push_back(fmt::format("{} ({}{})", a.name, a.numeric ? "numbers" : "text",
                                     is_compute_name(a.name) ? ", compute" : ""));
  }
  out += attributes.empty() ? "  no attribute columns\n"
                            : fmt::format("  attribute columns: {}\n", fmt::join(attributes, ", "));
  return out;
}

int run_validate(const ValidateOptions& options) {
  Registry registry = load_registry(options.input);
  LoadOptions load = load_options(options.input);
  std::vector<std::string> paths = options.input.files;
  std::vector<std::string> problems;
  std::string summaries;
  Warnings warnings;
  if (!options.input.dataset.empty()) {
    summaries += summarize(load_dataset(options.input.dataset, warnings), registry);
  } else if (paths.empty()) {
    paths.push_back("-");
  }
  for (const std::string& path : paths) {
    std::error_code ignored;
    bool table_file = path == "-" || !std::filesystem::is_directory(path, ignored);
    try {
      ScoreTable table;
      if (table_file) {
        // Read CSV and TSV tables in the mode that collects every problem.
        std::string text = read_input(path);
        LoadOptions collecting = load;
        collecting.table.problems = &problems;
        std::size_t before = problems.size();
        bool wide = true;
        try {
          wide = detect_format(text, load.table) == InputFormat::Wide;
        } catch (const InputError&) {
          // Unreadable text: the wide reader below reports why.
        }
        table = wide ? parse_table(text, input_name(path), collecting.table, warnings)
                     : load_input_table(path, load, warnings);
        if (problems.size() > before) summaries += fmt::format("{}: {} problem(s)\n",
                                                               input_name(path),
                                                               problems.size() - before);
      } else {
        table = load_input_table(path, load, warnings);
      }
      summaries += summarize(table, registry);
    } catch (const Error& e) {
      problems.push_back(e.what());
      summaries += fmt::format("{}: not readable past the problem above\n", input_name(path));
    }
  }
  std::string out;
  for (const std::string& problem : problems) out += problem + "\n";
  for (const std::string& warning : warnings) out += "warning: " + warning + "\n";
  if (!out.empty()) out += "\n";
  out += summaries;
  emit(options.output, out);
  if (problems.empty()) return 0;
  std::fprintf(stderr, "safetywash: error: %zu problem(s) found\n", problems.size());
  return 3;
}

}  // namespace

Command add_validate_command(CLI::App& parent) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* app = parent.add_subcommand("validate", "Check tables and list every problem");
  app->description(kDescription);
  add_input_options(*app, options->input);
  add_output_options(*app, options->output);
  return {app, [options] { return run_validate(*options); }};
}

}  // namespace safetywash::cmd
