// SPDX-License-Identifier: MIT
// Renderers: AnalysisResult and friends to JSON, CSV, Markdown and text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/benchmarks.h"

namespace safetywash {

enum class OutputFormat { Table, Json, Csv, Markdown };

/// Parses "table", "json", "csv" or "markdown". Throws UsageError otherwise.
OutputFormat parse_output_format(std::string_view name);

/// Facts about the run that the renderers print besides the result.
struct RunInfo {
  std::string version;
  std::vector<std::string> inputs;  ///< Input files or dataset names.
};

/// JSON document with schema_version 1. Correlations are fractions in
/// [-1, 1]; undefined numbers are null.
std::string render_analysis_json(const AnalysisResult& result, const RunInfo& run);

/// One CSV row per benchmark, correlations as fractions.
std::string render_analysis_csv(const AnalysisResult& result);

/// Presentation settings of the terminal and Markdown tables.
struct TableStyle {
  bool verbose = false;  ///< Add the partial correlations.
  bool color = false;    ///< ANSI colour for headings and risk labels (terminal only).
  std::size_t width = 0; ///< Fit the table into this many columns; 0 for no limit.
  std::size_t top = 0;   ///< Show only the N most capabilities-correlated benchmarks.
};

std::string render_analysis_table(const AnalysisResult& result, const TableStyle& style);
std::string render_analysis_markdown(const AnalysisResult& result, const TableStyle& style);

/// Terminal table: benchmarks grouped by category and sorted by capabilities
/// correlation, shown as percentages with one decimal, with the interval and
/// the adjusted p-value. `verbose` adds the partial correlations.
std::string render_analysis_table(const AnalysisResult& result, bool verbose = false);

/// The same table as GitHub-flavoured Markdown.
std::string render_analysis_markdown(const AnalysisResult& result, bool verbose = false);

/// The capabilities component alone: eigenvalues, loadings, scores.
std::string render_capabilities(const CapabilitiesSummary& summary, OutputFormat format,
                                const RunInfo& run);

/// The benchmark registry.
std::string render_registry(const Registry& registry, OutputFormat format);

/// Number of terminal columns a UTF-8 string occupies (one per code point).
std::size_t display_width(std::string_view text);

}  // namespace safetywash
