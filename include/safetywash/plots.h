// SPDX-License-Identifier: MIT
// Graphical renderers: SVG plots of an analysis and a self-contained HTML report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "safetywash/analysis.h"

namespace safetywash {

/// One plot file: a file name (e.g. "scatter_truthfulqa_mc1.svg") and its SVG text.
struct PlotFile {
  std::string name;
  std::string svg;
};

/// Facts about the run that the HTML report prints besides the result.
struct ReportContext {
  std::string version;
  std::vector<std::string> inputs;        ///< Input files or dataset names.
  std::vector<std::string> input_sha256;  ///< Hex digests, parallel to `inputs`.
  std::vector<std::string> options;       ///< Command-line options, e.g. "--method spearman".
  std::vector<std::string> warnings;      ///< Printed together with the result's warnings.
};

/// Renders every plot of an analysis as standalone SVG 1.1: correlations.svg
/// (bar chart of the reported capabilities correlations), scores.svg
/// (capabilities score per model), scree.svg (eigenvalues), heatmap.svg (the
/// decomposed capabilities matrix) and one scatter plot per reported benchmark.
std::vector<PlotFile> render_plots(const AnalysisResult& result);

/// File names of the scatter plots, parallel to `result.benchmarks`. The name
/// is empty for a benchmark without a scatter plot. Only reported benchmarks
/// get one: role Safety, not skipped, with a defined capabilities correlation.
std::vector<std::string> scatter_file_names(const AnalysisResult& result);

/// Renders one self-contained HTML report: inline CSS and SVG, no scripts and
/// no links to other files or hosts. The markup is also well-formed XML.
std::string render_html_report(const AnalysisResult& result, const ReportContext& context);

/// Escapes text for XML and HTML content and attribute values. Control
/// characters (tab and line breaks included) become spaces, and invalid UTF-8
/// bytes and the code points that XML 1.0 forbids become U+FFFD.
std::string xml_escape(std::string_view text);

/// Lower-case hexadecimal SHA-256 digest (FIPS 180-4) of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace safetywash
