// SPDX-License-Identifier: MIT
// The HTML report: one self-contained page with the run summary, the results
// table, every plot as inline SVG and a plain-language method section.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include "safetywash/plots.h"

namespace safetywash {
namespace {

// ---------------------------------------------------------------- SHA-256

// Round constants: the first 32 bits of the fractional parts of the cube
// roots of the first 64 primes.
constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Applies the compression function to one 64-byte block.
void sha256_block(std::array<std::uint32_t, 8>& state, const unsigned char* block) {
  std::array<std::uint32_t, 64> w{};
  for (std::size_t t = 0; t < 16; ++t) {
    w[t] = static_cast<std::uint32_t>(block[4 * t]) << 24 |
           static_cast<std::uint32_t>(block[4 * t + 1]) << 16 |
           static_cast<std::uint32_t>(block[4 * t + 2]) << 8 |
           static_cast<std::uint32_t>(block[4 * t + 3]);
  }
  for (std::size_t t = 16; t < 64; ++t) {
    std::uint32_t s0 = std::rotr(w[t - 15], 7) ^ std::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    std::uint32_t s1 = std::rotr(w[t - 2], 17) ^ std::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  auto [a, b, c, d, e, f, g, h] = state;
  for (std::size_t t = 0; t < 64; ++t) {
    std::uint32_t sum1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
    std::uint32_t choose = (e & f) ^ (~e & g);
    std::uint32_t temp1 = h + sum1 + choose + kRoundConstants[t] + w[t];
    std::uint32_t sum0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
    std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    std::uint32_t temp2 = sum0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + temp1;
    d = c;
    c = b;
    b = a;
    a = temp1 + temp2;
  }
  std::array<std::uint32_t, 8> added = {a, b, c, d, e, f, g, h};
  for (std::size_t k = 0; k < 8; ++k) state[k] += added[k];
}

// ---------------------------------------------------------------- formatting

// A number with fixed decimals that never prints as "-0.0" or "nan".
std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  if (std::abs(value) < std::pow(10.0, -decimals) / 2) value = 0.0;
  return fmt::format("{:.{}f}", value, decimals);
}

std::string percent(const std::optional<double>& r) { return r ? fixed(*r * 100, 1) : "-"; }

std::string interval_text(const CorrelationSummary& c) {
  if (!c.interval) return "-";
  return fmt::format("[{}, {}]", fixed(c.interval->low * 100, 1), fixed(c.interval->high * 100, 1));
}

// p-values below 0.001 print in scientific notation, as in the terminal table.
std::string p_text(const std::optional<double>& p) {
  if (!p || !std::isfinite(*p)) return "-";
  if (*p < 0.001) return fmt::format("{:.1e}", *p);
  return fmt::format("{:.3f}", *p);
}

std::string method_title(Method method) {
  switch (method) {
    case Method::Spearman:
      return "Spearman";
    case Method::Pearson:
      return "Pearson";
    case Method::Kendall:
      return "Kendall tau-b";
  }
  return "";
}

std::string matrix_title(PcaMatrix matrix) {
  switch (matrix) {
    case PcaMatrix::Spearman:
      return "Spearman correlation matrix";
    case PcaMatrix::Pearson:
      return "Pearson correlation matrix";
    case PcaMatrix::Kendall:
      return "Kendall tau-b correlation matrix";
    case PcaMatrix::Covariance:
      return "covariance matrix";
  }
  return "matrix";
}

std::string adjustment_title(Adjustment adjustment) {
  switch (adjustment) {
    case Adjustment::Holm:
      return "Holm";
    case Adjustment::BenjaminiHochberg:
      return "Benjamini-Hochberg";
    case Adjustment::Bonferroni:
      return "Bonferroni";
    case Adjustment::None:
      return "none";
  }
  return "none";
}

std::string interval_title(const AnalysisResult& result) {
  if (result.bootstrap == 0) return fmt::format("{:g}% Fisher-z", result.confidence * 100);
  return fmt::format("{:g}% {} bootstrap",
                     result.confidence * 100,
                     result.bootstrap_interval == BootstrapInterval::Bca ? "BCa" : "percentile");
}

std::string display_name(const BenchmarkResult& b) {
  std::string name = b.info.name.empty() ? b.info.id : b.info.name;
  return b.negated ? name + " *" : name;
}

std::string status(const BenchmarkResult& b) {
  if (b.skipped) return "skipped: " + *b.skipped;
  if (b.role == Role::Capability) return "in score";
  if (!b.capabilities.r) return fmt::format("too few models ({})", b.capabilities.n);
  return b.risk.value_or("");
}

// HTML id of a plot's figure, from its file name: "plot-scatter_x" for "scatter_x.svg".
std::string figure_id(const std::string& file_name) {
  std::string stem = file_name.substr(0, file_name.rfind('.'));
  return "plot-" + stem;
}

// ---------------------------------------------------------------- sections

// Benchmarks grouped as in the terminal table: categories in alphabetical
// order, the capability benchmarks last, each group sorted by capabilities
// correlation, strongest first.
std::vector<std::pair<std::string, std::vector<std::size_t>>> grouped(
    const AnalysisResult& result) {
  std::map<std::string, std::vector<std::size_t>> groups;
  std::vector<std::size_t> in_score;
  for (std::size_t i = 0; i < result.benchmarks.size(); ++i) {
    const BenchmarkResult& b = result.benchmarks[i];
    if (b.role == Role::Capability) {
      in_score.push_back(i);
    } else {
      groups[b.info.category].push_back(i);
    }
  }
  std::vector<std::pair<std::string, std::vector<std::size_t>>> ordered(groups.begin(),
                                                                        groups.end());
  if (!in_score.empty()) ordered.emplace_back("capabilities score (circular)", in_score);
  for (auto& [name, members] : ordered) {
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return result.benchmarks[a].capabilities.r.value_or(-2.0) >
             result.benchmarks[b].capabilities.r.value_or(-2.0);
    });
  }
  return ordered;
}

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; color: #222; margin: 0 auto; max-width: 1200px;
  padding: 16px 24px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #555; background: #f2f2f2; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.group th { background: #e8eef5; padding-top: 6px; }
table.facts th { width: 12em; color: #444; font-weight: normal; }
table.results tbody tr:nth-child(even) { background: #fafafa; }
.risk-high { background: #fbe3d6; font-weight: bold; }
.risk-moderate { background: #fdf3d0; }
code, .mono { font-family: monospace; font-size: 0.95em; word-break: break-all; }
.scroll { overflow-x: auto; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
.scatters { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
  gap: 8px 16px; }
.scatters figure { margin: 4px 0; }
nav a { margin-right: 1em; }
.warnings li { margin-bottom: 0.3em; }
)";

std::string fact_row(std::string_view label, const std::string& html) {
  return fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", xml_escape(label), html);
}

std::vector<std::string> all_warnings(const AnalysisResult& result, const ReportContext& context) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto* list : {&context.warnings, &result.warnings}) {
    for (const std::string& w : *list) {
      if (seen.insert(w).second) out.push_back(w);
    }
  }
  return out;
}

std::string summary_section(const AnalysisResult& result,
                            const ReportContext& context,
                            std::size_t warning_count) {
  const CapabilitiesSummary& caps = result.capabilities;
  std::string rows;
  rows += fact_row(
      "Tool",
      "safetywash " + xml_escape(context.version.empty() ? "(unknown version)" : context.version));
  std::string inputs;
  for (std::size_t i = 0; i < context.inputs.size(); ++i) {
    inputs += "<div>" + xml_escape(context.inputs[i]);
    if (i < context.input_sha256.size() && !context.input_sha256[i].empty()) {
      inputs += " <span class=\"mono\">SHA-256 " + xml_escape(context.input_sha256[i]) + "</span>";
    }
    inputs += "</div>";
  }
  if (inputs.empty()) inputs = xml_escape(result.source);
  rows += fact_row("Inputs", inputs);
  std::string options;
  for (const std::string& option : context.options)
    options += (options.empty() ? "" : " ") + option;
  rows += fact_row("Options",
                   options.empty() ? "defaults" : "<code>" + xml_escape(options) + "</code>");
  rows += fact_row(
      "Table",
      fmt::format("{} models, {} benchmarks analyzed", result.models, result.benchmarks.size()));
  rows += fact_row("Correlation", xml_escape(method_title(result.method)));

  std::string score;
  std::string benchmarks;
  for (const std::string& id : caps.benchmarks) benchmarks += (benchmarks.empty() ? "" : ", ") + id;
  if (caps.score == ScoreKind::Pc1) {
    score = fmt::format(
        "first principal component of the {} of {} benchmarks over {} models, "
        "explaining {}% of the variance",
        matrix_title(caps.pca_matrix),
        caps.benchmarks.size(),
        caps.models.size(),
        fixed(caps.explained_variance * 100, 1));
  } else {
    score = fmt::format(
        "mean z-score of {} benchmarks over {} models", caps.benchmarks.size(), caps.models.size());
  }
  score = xml_escape(score) + "<br/><span class=\"mono\">" + xml_escape(benchmarks) + "</span>";
  rows += fact_row("Capabilities score", score);

  std::string missing = fmt::format("{}", missing_policy_name(caps.missing));
  if (!caps.excluded_models.empty()) {
    missing += fmt::format("; {} model(s) without a score because they lack a capability value",
                           caps.excluded_models.size());
  }
  if (!caps.imputed.empty()) {
    missing += fmt::format("; {} imputed cell(s) after {} iteration(s){}",
                           caps.imputed.size(),
                           caps.impute_iterations,
                           caps.impute_converged ? "" : ", not converged");
  }
  rows += fact_row("Missing values", xml_escape(missing));
  if (result.compute_column) {
    rows +=
        fact_row("Compute",
                 xml_escape(fmt::format("column '{}', {} models{}",
                                        *result.compute_column,
                                        result.compute_models,
                                        result.method == Method::Pearson ? " (log10 FLOP)" : "")));
  } else {
    rows += fact_row("Compute", "no compute column");
  }
  std::string intervals = interval_title(result);
  if (result.bootstrap > 0) {
    intervals += fmt::format(
        ", {} resamples of models refitting the score, seed {}", result.bootstrap, result.seed);
    if (result.failed_fits > 0) {
      intervals +=
          fmt::format("; the score could not be fit in {} resample(s)", result.failed_fits);
    }
  }
  rows += fact_row("Intervals", xml_escape(intervals));
  std::size_t tests = 0;
  for (const BenchmarkResult& b : result.benchmarks) tests += b.capabilities.p_adjusted ? 1 : 0;
  rows += fact_row("p-values",
                   xml_escape(fmt::format("two-sided, {} across {} reported benchmarks",
                                          result.adjustment == Adjustment::None
                                              ? std::string("unadjusted")
                                              : adjustment_title(result.adjustment) + "-adjusted",
                                          tests)));
  rows += fact_row(
      "Warnings",
      warning_count == 0 ? "none" : fmt::format("<a href=\"#warnings\">{}</a>", warning_count));
  return "<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"facts\">\n<tbody>\n" + rows +
         "</tbody>\n</table>\n</section>\n";
}

std::string results_section(const AnalysisResult& result,
                            const std::vector<std::string>& scatter_names) {
  std::string out =
      "<section id=\"results\">\n<h2>Results</h2>\n<div class=\"scroll\">\n"
      "<table class=\"results\">\n<thead><tr><th>Benchmark</th><th>Category</th>"
      "<th class=\"num\">n</th><th class=\"num\">Capabilities %</th>"
      "<th class=\"num\">Interval</th><th class=\"num\">p adj</th>"
      "<th class=\"num\">Compute %</th><th>Risk</th></tr></thead>\n<tbody>\n";
  for (const auto& [group, members] : grouped(result)) {
    out += "<tr class=\"group\"><th colspan=\"8\">" + xml_escape(group) + "</th></tr>\n";
    for (std::size_t i : members) {
      const BenchmarkResult& b = result.benchmarks[i];
      std::string name = xml_escape(display_name(b));
      if (!scatter_names[i].empty()) {
        name = fmt::format("<a href=\"#{}\">{}</a>", figure_id(scatter_names[i]), name);
      }
      std::string risk = b.risk && b.role == Role::Safety ? " class=\"risk-" + *b.risk + "\"" : "";
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td{}>{}</td></tr>\n",
          name,
          xml_escape(b.info.category),
          b.skipped ? std::string("-") : fmt::format("{}", b.capabilities.n),
          percent(b.capabilities.r),
          interval_text(b.capabilities),
          p_text(b.capabilities.p_adjusted),
          percent(b.compute.r),
          risk,
          xml_escape(status(b)));
    }
  }
  out += "</tbody>\n</table>\n</div>\n<p>";
  bool any_negated = std::any_of(result.benchmarks.begin(),
                                 result.benchmarks.end(),
                                 [](const BenchmarkResult& b) { return b.negated; });
  if (any_negated) {
    out +=
        "* Lower is better: the values were negated before the analysis, so a positive "
        "correlation means that the benchmark improves with capabilities. ";
  }
  out += xml_escape(fmt::format(
      "Risk: capabilities correlation >= 70% high, >= 40% moderate, else low. Correlations and "
      "{} intervals are percentages (r x 100); p adj is the adjusted p-value of the "
      "capabilities correlation.",
      interval_title(result)));
  return out + "</p>\n</section>\n";
}

std::string figure(const PlotFile& plot, const std::string& caption) {
  return fmt::format("<figure id=\"{}\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
                     figure_id(plot.name),
                     plot.svg,
                     xml_escape(caption));
}

std::string plots_section(const std::vector<PlotFile>& plots) {
  const std::map<std::string, std::string> captions = {
      {"correlations.svg",
       "Capabilities correlation of every reported benchmark, grouped by category."},
      {"scores.svg", "Capabilities score of every model, highest first."},
      {"scree.svg",
       "Eigenvalues of the matrix behind the capabilities score; the first "
       "component is the score."},
      {"heatmap.svg", "Pairwise correlations of the capability benchmarks."}};
  std::string out = "<section id=\"plots\">\n<h2>Plots</h2>\n";
  for (const PlotFile& plot : plots) {
    auto caption = captions.find(plot.name);
    if (caption != captions.end()) out += figure(plot, caption->second + " File " + plot.name);
  }
  std::size_t scatters = plots.size() >= captions.size() ? plots.size() - captions.size() : 0;
  out += fmt::format(
      "<h3 id=\"scatter-plots\">Scatter plots ({})</h3>\n<p>Each point is a model (hover over "
      "it for its name); the line is the least-squares fit of the benchmark's values on the "
      "capabilities score. The plots follow the order of the table's columns.</p>\n"
      "<div class=\"scatters\">\n",
      scatters);
  for (const PlotFile& plot : plots) {
    if (captions.count(plot.name) == 0) out += figure(plot, "File " + plot.name);
  }
  if (scatters == 0) out += "<p>No benchmark has a scatter plot.</p>\n";
  return out + "</div>\n</section>\n";
}

std::string method_section(const AnalysisResult& result) {
  const CapabilitiesSummary& caps = result.capabilities;
  std::string score =
      caps.score == ScoreKind::Pc1
          ? fmt::format(
                "Each capability benchmark is standardized to z-scores across models, and the "
                "score is the first principal component of their {}: a weighted sum of the "
                "z-scores in which benchmarks that rise and fall together get similar weights. "
                "Here it explains {}% of the variance of the {} capability benchmarks.",
                matrix_title(caps.pca_matrix),
                fixed(caps.explained_variance * 100, 1),
                caps.benchmarks.size())
          : fmt::format(
                "Each capability benchmark is standardized to z-scores across models, "
                "and the score is the mean of a model's z-scores over the {} capability "
                "benchmarks.",
                caps.benchmarks.size());
  std::string intervals =
      result.bootstrap == 0
          ? fmt::format("Each interval is a {}% Fisher-z confidence interval for the correlation.",
                        fmt::format("{:g}", result.confidence * 100))
          : fmt::format(
                "Each interval is a {} interval from {} resamples of models, each of which "
                "refits the capabilities score.",
                interval_title(result),
                result.bootstrap);
  std::string p_values =
      result.adjustment == Adjustment::None
          ? std::string(
                "p adj is the unadjusted two-sided p-value of the capabilities "
                "correlation.")
          : fmt::format(
                "p adj is the two-sided p-value of the capabilities correlation after "
                "{} adjustment across the reported benchmarks. A small value means that "
                "a correlation this strong would be unlikely if the true correlation were zero.",
                adjustment_title(result.adjustment));
  std::string out = "<section id=\"method\">\n<h2>How to read this report</h2>\n";
  out +=
      "<p><b>Capabilities score.</b> The score summarizes how generally capable each model "
      "is. " +
      xml_escape(score) + "</p>\n";
  out += "<p><b>Capabilities correlation.</b> " +
         xml_escape(fmt::format(
             "A benchmark's capabilities correlation is the {} correlation between its values "
             "and the capabilities score across the models that have both, shown as a "
             "percentage.",
             method_title(result.method))) +
         " A high value (70% or more, labelled high risk) means that the benchmark mostly "
         "improves whenever models become more capable in general, so a better result on it may "
         "reflect capabilities rather than progress on safety. Presenting such gains as safety "
         "progress is what Ren et al. call safetywashing. A value near zero or below means that "
         "the benchmark measures something that general capabilities do not bring by "
         "themselves. The compute correlation is the same correlation with training compute "
         "(FLOP).</p>\n";
  out += "<p><b>Intervals and p-values.</b> " + xml_escape(intervals) +
         " Such intervals are built to contain the true correlation at that rate over repeated "
         "samples of models. With few models the intervals are wide, and when an interval "
         "crosses a risk threshold (40% or 70%), another sample of models could well give the "
         "benchmark a different label. " +
         xml_escape(p_values) + "</p>\n";
  out +=
      "<p><b>Capability benchmarks.</b> They correlate with the score by construction, "
      "because the score is built from them, so the table lists them separately as \"in "
      "score\".</p>\n";
  out +=
      "<p><b>Source.</b> The method is that of Ren et al., \"Safetywashing: Do AI Safety "
      "Benchmarks Actually Measure Safety Progress?\", NeurIPS 2024 Datasets and Benchmarks "
      "Track (arXiv:2407.21792).</p>\n";
  return out + "</section>\n";
}

std::string warnings_section(const std::vector<std::string>& warnings) {
  std::string out = "<section id=\"warnings\">\n<h2>Warnings</h2>\n";
  if (warnings.empty()) return out + "<p>None.</p>\n</section>\n";
  out += "<ul class=\"warnings\">\n";
  for (const std::string& w : warnings) out += "<li>" + xml_escape(w) + "</li>\n";
  return out + "</ul>\n</section>\n";
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<std::uint32_t, 8> state = {0x6a09e667,
                                        0xbb67ae85,
                                        0x3c6ef372,
                                        0xa54ff53a,
                                        0x510e527f,
                                        0x9b05688c,
                                        0x1f83d9ab,
                                        0x5be0cd19};
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t full = bytes.size() / 64 * 64;
  for (std::size_t offset = 0; offset < full; offset += 64) sha256_block(state, data + offset);

  // Padding: a 1 bit, zeros, then the message length in bits as a 64-bit
  // big-endian number, filling one or two final blocks.
  std::array<unsigned char, 128> tail{};
  std::size_t rest = bytes.size() - full;
  std::copy(data + full, data + bytes.size(), tail.begin());
  tail[rest] = 0x80;
  std::size_t tail_size = rest < 56 ? 64 : 128;
  std::uint64_t bits = static_cast<std::uint64_t>(bytes.size()) * 8;
  for (std::size_t k = 0; k < 8; ++k) {
    tail[tail_size - 1 - k] = static_cast<unsigned char>(bits >> (8 * k));
  }
  for (std::size_t offset = 0; offset < tail_size; offset += 64) {
    sha256_block(state, tail.data() + offset);
  }

  std::string out;
  for (std::uint32_t word : state) out += fmt::format("{:08x}", word);
  return out;
}

std::string render_html_report(const AnalysisResult& result, const ReportContext& context) {
  std::vector<PlotFile> plots = render_plots(result);
  std::vector<std::string> scatter_names = scatter_file_names(result);
  std::vector<std::string> warnings = all_warnings(result, context);

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += "<title>" + xml_escape("safetywash report: " + result.source) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += "<h1>Safetywashing analysis: " + xml_escape(result.source) + "</h1>\n";
  out += "<p>How strongly each benchmark tracks general capabilities and training compute.</p>\n";
  out +=
      "<nav><a href=\"#summary\">Summary</a><a href=\"#results\">Results</a>"
      "<a href=\"#plots\">Plots</a><a href=\"#method\">How to read this report</a>"
      "<a href=\"#warnings\">Warnings</a></nav>\n";
  out += summary_section(result, context, warnings.size());
  out += results_section(result, scatter_names);
  out += plots_section(plots);
  out += method_section(result);
  out += warnings_section(warnings);
  return out + "</body>\n</html>\n";
}

}  // namespace safetywash
