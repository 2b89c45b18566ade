// SPDX-License-Identifier: MIT
// Human-readable renderers: aligned terminal tables and Markdown.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <optional>

#include "report_common.h"
#include "safetywash/report.h"

namespace safetywash {
namespace {

enum class Align { Left, Right };

// Replaces line breaks and other control characters with spaces, so that a
// name read from a quoted field cannot break a table row.
std::string single_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

// Cuts text to `width` terminal columns, ending in an ellipsis when cut.
std::string truncate_to(const std::string& text, std::size_t width) {
  if (display_width(text) <= width || width == 0) return text;
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size() && used + 1 < width;) {
    std::size_t length = 1;
    while (i + length < text.size() && (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80)
      ++length;
    out += text.substr(i, length);
    i += length;
    ++used;
  }
  return out + "\u2026";
}

// ANSI styles used when colour is on; meaning is never carried by colour
// alone, because the same words are printed either way.
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

std::string risk_colour(const std::string& status) {
  if (status.rfind("high", 0) == 0) return "\x1b[31m";      // red
  if (status.rfind("moderate", 0) == 0) return "\x1b[33m";  // yellow
  if (status.rfind("low", 0) == 0) return "\x1b[32m";       // green
  return "";
}

// A grid of cells rendered either as space-aligned text or as Markdown.
class TextTable {
 public:
  explicit TextTable(std::vector<std::pair<std::string, Align>> columns)
      : columns_(std::move(columns)) {}

  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  /// A full-width line between rows, such as a group heading; empty for a blank line.
  void add_separator(std::string text) { rows_.push_back({std::move(text)}); }

  /// Fits the text table into `width` columns (0: no limit) by dropping the
  /// column `droppable` first, then shortening column 0 with an ellipsis.
  void fit_to(std::size_t width, std::optional<std::size_t> droppable) {
    width_ = width;
    droppable_ = droppable;
  }
  /// Colours the last column by risk and makes headings bold.
  void use_colour(bool colour) { colour_ = colour; }

  std::string render(bool markdown) const {
    return markdown ? render_markdown() : render_text();
  }

 private:
  std::vector<std::size_t> natural_widths() const {
    std::vector<std::size_t> widths;
    for (const auto& [title, align] : columns_) widths.push_back(display_width(title));
    for (const auto& row : rows_) {
      if (row.size() != columns_.size()) continue;
      for (std::size_t k = 0; k < row.size(); ++k) {
        widths[k] = std::max(widths[k], display_width(single_line(row[k])));
      }
    }
    return widths;
  }

  static std::size_t total(const std::vector<std::size_t>& widths,
                           const std::vector<bool>& shown) {
    std::size_t sum = 0, count = 0;
    for (std::size_t k = 0; k < widths.size(); ++k) {
      if (shown[k]) sum += widths[k], ++count;
    }
    return sum + (count > 0 ? 2 * (count - 1) : 0);
  }

  std::string render_text() const {
    std::vector<std::size_t> widths = natural_widths();
    std::vector<bool> shown(columns_.size(), true);
    if (width_ > 0 && total(widths, shown) > width_) {
      if (droppable_) shown[*droppable_] = false;
      std::size_t rest = total(widths, shown) - widths[0];
      constexpr std::size_t kMinName = 12;
      if (total(widths, shown) > width_) {
        widths[0] = width_ > rest + kMinName ? width_ - rest : kMinName;
      }
    }
    std::vector<std::string> header;
    for (const auto& [title, align] : columns_) header.push_back(title);
    std::string out = line(header, widths, shown, true);
    for (const auto& row : rows_) {
      if (row.size() == columns_.size()) {
        out += line(row, widths, shown, false);
      } else if (colour_ && !row.front().empty()) {
        out += kBold + row.front() + kReset + "\n";
      } else {
        out += row.front() + "\n";
      }
    }
    return out;
  }

  std::string line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths,
                   const std::vector<bool>& shown, bool header) const {
    std::string out;
    bool first = true;
    for (std::size_t k = 0; k < cells.size(); ++k) {
      if (!shown[k]) continue;
      std::string cell = truncate_to(single_line(cells[k]), widths[k]);
      std::string padding(widths[k] - display_width(cell), ' ');
      if (!first) out += "  ";
      first = false;
      std::string styled = cell;
      if (colour_ && header) {
        styled = kBold + cell + kReset;
      } else if (colour_ && k + 1 == cells.size() && !risk_colour(cell).empty()) {
        styled = risk_colour(cell) + cell + kReset;
      }
      out += columns_[k].second == Align::Left ? styled + padding : padding + styled;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  }

  static std::string escape_markdown(const std::string& cell) {
    std::string out;
    for (char c : single_line(cell)) {
      if (c == '|' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }

  std::string render_markdown() const {
    std::string out = "|";
    std::string rule = "|";
    for (const auto& [title, align] : columns_) {
      out += " " + escape_markdown(title) + " |";
      rule += align == Align::Left ? " --- |" : " ---: |";
    }
    out += "\n" + rule + "\n";
    for (const auto& row : rows_) {
      if (row.size() != columns_.size()) continue;
      out += "|";
      for (const std::string& cell : row) out += " " + escape_markdown(cell) + " |";
      out += "\n";
    }
    return out;
  }

  std::vector<std::pair<std::string, Align>> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::size_t width_ = 0;
  std::optional<std::size_t> droppable_;
  bool colour_ = false;
};

// A number with fixed decimals that never prints as "-0.0000".
std::string fixed(double value, int decimals) {
  double unit = std::pow(10.0, -decimals) / 2;
  if (std::abs(value) < unit) value = 0.0;
  return fmt::format("{:.{}f}", value, decimals);
}

std::string percent(const std::optional<double>& r) {
  return r ? fixed(*r * 100, 1) : "-";
}

std::string interval_text(const CorrelationSummary& c) {
  if (!c.interval) return "-";
  return fmt::format("[{:.1f}, {:.1f}]", c.interval->low * 100, c.interval->high * 100);
}

// p-values below 0.001 print in scientific notation so small ones stay
// distinguishable.
std::string p_text(const std::optional<double>& p) {
  if (!p) return "-";
  if (*p < 0.001) return fmt::format("{:.1e}", *p);
  return fmt::format("{:.3f}", *p);
}

std::string count_or_dash(std::size_t n, bool defined) {
  return defined ? fmt::format("{}", n) : "-";
}

std::string status(const BenchmarkResult& b) {
  if (b.skipped) return "skipped: " + *b.skipped;
  if (b.role == Role::Capability) return "in score";
  if (!b.capabilities.r) return fmt::format("too few models ({})", b.capabilities.n);
  bool unstable = (b.jackknife && b.jackknife->risk_changes) ||
                  (b.by_family && b.by_family->risk_changes);
  return b.risk.value_or("") + (unstable ? " (unstable)" : "");
}

std::string display_name(const BenchmarkResult& b) {
  return b.negated ? b.info.name + " *" : b.info.name;
}

// Benchmarks grouped by category (alphabetical, the capability role last),
// sorted by capabilities correlation within a group, strongest first.
std::vector<std::pair<std::string, std::vector<const BenchmarkResult*>>> grouped(
    const AnalysisResult& result) {
  std::map<std::string, std::vector<const BenchmarkResult*>> groups;
  std::vector<const BenchmarkResult*> in_score;
  for (const BenchmarkResult& b : result.benchmarks) {
    if (b.role == Role::Capability) {
      in_score.push_back(&b);
    } else {
      groups[b.info.category].push_back(&b);
    }
  }
  std::vector<std::pair<std::string, std::vector<const BenchmarkResult*>>> ordered(
      groups.begin(), groups.end());
  if (!in_score.empty()) ordered.emplace_back("capabilities score (circular)", in_score);
  for (auto& [name, members] : ordered) {
    std::stable_sort(members.begin(), members.end(),
                     [](const BenchmarkResult* a, const BenchmarkResult* b) {
                       double ra = a->capabilities.r.value_or(-2.0);
                       double rb = b->capabilities.r.value_or(-2.0);
                       return ra > rb;
                     });
  }
  return ordered;
}

std::string adjustment_label(Adjustment adjustment) {
  switch (adjustment) {
    case Adjustment::Holm: return "Holm";
    case Adjustment::BenjaminiHochberg: return "Benjamini-Hochberg";
    case Adjustment::Bonferroni: return "Bonferroni";
    case Adjustment::None: return "not";
  }
  return "not";
}

std::string summary_lines(const AnalysisResult& result) {
  const CapabilitiesSummary& caps = result.capabilities;
  std::string out = fmt::format(
      "{}: {} models, {} benchmarks analyzed ({} correlation)\n", result.source, result.models,
      result.benchmarks.size(), method_name(result.method));
  out += fmt::format("Capabilities score: first principal component of {} benchmarks over {} "
                     "models, explaining {:.1f}% of the variance\n",
                     caps.benchmarks.size(), caps.models.size(), caps.explained_variance * 100);
  if (result.compute_column) {
    out += fmt::format("Compute: column '{}', {} models{}\n", *result.compute_column,
                       result.compute_models,
                       result.method == Method::Pearson ? " (log10 FLOP)" : "");
  } else {
    out += "Compute: no compute column\n";
  }
  if (result.bootstrap > 0) {
    out += fmt::format("Intervals: {:g}% {} bootstrap, {} resamples refitting the score, seed {}\n",
                       result.confidence * 100,
                       result.bootstrap_interval == BootstrapInterval::Bca ? "BCa" : "percentile",
                       result.bootstrap, result.seed);
  } else {
    out += fmt::format("Intervals: {:g}% Fisher-z\n", result.confidence * 100);
  }
  std::size_t tests = 0;
  for (const BenchmarkResult& b : result.benchmarks) tests += b.capabilities.p_adjusted ? 1 : 0;
  out += fmt::format("p-values: two-sided, {} across {} reported benchmarks\n",
                     result.adjustment == Adjustment::None
                         ? std::string("unadjusted")
                         : fmt::format("{}-adjusted", adjustment_label(result.adjustment)),
                     tests);
  return out;
}

TextTable analysis_table(const AnalysisResult& result, bool markdown, const TableStyle& style) {
  bool verbose = style.verbose;
  std::vector<std::pair<std::string, Align>> columns = {
      {"Benchmark", Align::Left},      {"Category", Align::Left},
      {"n", Align::Right},             {"Capabilities %", Align::Right},
      {"Interval", Align::Right},      {"p adj", Align::Right},
      {"Compute %", Align::Right}};
  if (verbose) {
    columns.emplace_back("Cap. | compute %", Align::Right);
    columns.emplace_back("Compute | cap. %", Align::Right);
  }
  columns.emplace_back("Risk", Align::Left);
  TextTable table(columns);
  table.fit_to(style.width, style.top > 0 ? std::nullopt : std::optional<std::size_t>(1));
  table.use_colour(style.color && !markdown);
  auto groups = grouped(result);
  if (style.top > 0) {
    // One list of the most capabilities-correlated reported benchmarks.
    std::vector<const BenchmarkResult*> reported;
    for (const BenchmarkResult& b : result.benchmarks) {
      if (b.role == Role::Safety && b.capabilities.r) reported.push_back(&b);
    }
    std::stable_sort(reported.begin(), reported.end(),
                     [](const BenchmarkResult* a, const BenchmarkResult* b) {
                       return *a->capabilities.r > *b->capabilities.r;
                     });
    if (reported.size() > style.top) reported.resize(style.top);
    groups = {{fmt::format("top {} by capabilities correlation", reported.size()), reported}};
  }
  bool first = true;
  for (const auto& [group, members] : groups) {
    if (!markdown) {
      if (!first) table.add_separator("");
      table.add_separator(fmt::format("[{}]", group));
    }
    first = false;
    for (const BenchmarkResult* b : members) {
      std::vector<std::string> row = {display_name(*b),
                                      b->info.category,
                                      count_or_dash(b->capabilities.n, !b->skipped),
                                      percent(b->capabilities.r),
                                      interval_text(b->capabilities),
                                      p_text(b->capabilities.p_adjusted),
                                      percent(b->compute.r)};
      if (verbose) {
        row.push_back(percent(b->capabilities_given_compute.r));
        row.push_back(percent(b->compute_given_capabilities.r));
      }
      row.push_back(status(*b));
      table.add_row(std::move(row));
    }
  }
  return table;
}

std::string footnotes(const AnalysisResult& result, bool verbose) {
  std::string out;
  bool any_negated = std::any_of(result.benchmarks.begin(), result.benchmarks.end(),
                                 [](const BenchmarkResult& b) { return b.negated; });
  if (any_negated) {
    out += "\n* lower is better: values were negated before analysis, so a positive "
           "correlation means the benchmark improves with capabilities\n";
  }
  out += "\nRisk: capabilities correlation >= 70% high, >= 40% moderate, else low. "
         "Correlations and intervals are percentages (r x 100); p adj is the adjusted p-value "
         "of the capabilities correlation.\n";
  if (verbose) {
    out += "Cap. | compute: capabilities correlation controlling for compute; Compute | cap.: "
           "compute correlation controlling for the capabilities score.\n";
  }
  return out;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string render_analysis_table(const AnalysisResult& result, bool verbose) {
  TableStyle style;
  style.verbose = verbose;
  return render_analysis_table(result, style);
}

std::string render_analysis_table(const AnalysisResult& result, const TableStyle& style) {
  return summary_lines(result) + "\n" + analysis_table(result, false, style).render(false) +
         footnotes(result, style.verbose);
}

std::string render_analysis_markdown(const AnalysisResult& result, bool verbose) {
  TableStyle style;
  style.verbose = verbose;
  return render_analysis_markdown(result, style);
}

std::string render_analysis_markdown(const AnalysisResult& result, const TableStyle& style) {
  bool verbose = style.verbose;
  std::string out = "### Safetywashing analysis\n\n";
  std::string summary = summary_lines(result);
  std::size_t start = 0;
  while (start < summary.size()) {
    std::size_t end = summary.find('\n', start);
    out += "- " + summary.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out + "\n" + analysis_table(result, true, style).render(true) +
         footnotes(result, verbose);
}

std::string render_capabilities_text(const CapabilitiesSummary& summary, bool markdown) {
  std::string out = fmt::format(
      "Capabilities component: {} benchmarks, {} models, explained variance {:.1f}%\n\n",
      summary.benchmarks.size(), summary.models.size(), summary.explained_variance * 100);
  double total = 0.0;
  for (double e : summary.eigenvalues) total += e;
  TextTable eigen({{"Component", Align::Right}, {"Eigenvalue", Align::Right},
                   {"Variance %", Align::Right}});
  for (std::size_t k = 0; k < summary.eigenvalues.size(); ++k) {
    eigen.add_row({fmt::format("{}", k + 1), fixed(summary.eigenvalues[k], 4),
                   fixed(summary.eigenvalues[k] / total * 100, 1)});
  }
  TextTable loadings({{"Benchmark", Align::Left}, {"Loading", Align::Right}});
  for (std::size_t k = 0; k < summary.benchmarks.size(); ++k) {
    loadings.add_row({summary.benchmarks[k], fixed(summary.loadings[k], 4)});
  }
  TextTable scores({{"Model", Align::Left}, {"Score", Align::Right}});
  for (std::size_t i = 0; i < summary.models.size(); ++i) {
    scores.add_row({summary.models[i], fixed(summary.scores[i], 4)});
  }
  out += eigen.render(markdown) + "\n" + loadings.render(markdown) + "\n" +
         scores.render(markdown);
  if (!summary.excluded_models.empty()) {
    out += fmt::format("\n{} model(s) without a score (missing a capability value)\n",
                       summary.excluded_models.size());
  }
  return out;
}

std::string render_registry_text(const Registry& registry, bool markdown) {
  TextTable table({{"Id", Align::Left},
                   {"Name", Align::Left},
                   {"Role", Align::Left},
                   {"Category", Align::Left},
                   {"Better", Align::Left},
                   {"Metric", Align::Left}});
  for (const BenchmarkInfo& b : registry.entries()) {
    table.add_row({b.id, b.name, std::string(role_name(b.role)), b.category,
                   b.higher_is_better ? "higher" : "lower", b.metric});
  }
  return table.render(markdown);
}

}  // namespace safetywash
