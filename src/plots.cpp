// SPDX-License-Identifier: MIT
// SVG plots of an analysis: one scatter plot per reported benchmark and four
// summary charts. The markup is SVG 1.1 without scripts or external resources.
#include "safetywash/plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace safetywash {
namespace {

// The Okabe-Ito palette without black. Its colours stay distinct under the
// common colour-vision deficiencies.
constexpr std::array<const char*, 7> kPalette = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"};
constexpr const char* kInk = "#222222";
constexpr const char* kMuted = "#555555";
constexpr const char* kGrid = "#DDDDDD";
constexpr const char* kThreshold = "#888888";

// Font sizes in px. Every text of every plot is 12 to 14 px, so the plots are
// legible at their default size.
constexpr int kTitleSize = 14;
constexpr int kAxisTitleSize = 13;
constexpr int kLabelSize = 12;

// Estimated advance width of one character as a fraction of the font size.
// SVG cannot measure text without a script, so layouts use this estimate.
// The benchmark labels measured about 0.45 em on a screenshot by headless
// Chromium 156 on Debian 12. The estimate leaves room for capitals and
// digits, but a name of wide capitals or CJK characters can still overflow.
constexpr double kCharWidth = 0.55;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// ---------------------------------------------------------------- text

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// The first `count` code points of `text`.
std::string_view first_code_points(std::string_view text, std::size_t count) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == count) return text.substr(0, i);
      ++seen;
    }
  }
  return text;
}

double text_width(std::string_view text, int size) {
  return static_cast<double>(code_points(text)) * kCharWidth * size;
}

// Text shortened with an ellipsis to fit `max_width` px at `size` px.
std::string fit_text(std::string_view text, double max_width, int size) {
  if (text_width(text, size) <= max_width) return std::string(text);
  double fitting = std::floor(max_width / (kCharWidth * size));
  std::size_t keep = fitting > 1 ? static_cast<std::size_t>(fitting) - 1 : 0;
  return std::string(first_code_points(text, keep)) + std::string(kEllipsis);
}

// A number with fixed decimals that never prints as "-0.00" or "nan".
std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  if (std::abs(value) < std::pow(10.0, -decimals) / 2) value = 0.0;
  return fmt::format("{:.{}f}", value, decimals);
}

// An SVG coordinate or length. Callers drop non-finite data before layout,
// and this guard keeps "nan" out of the markup should one slip through.
std::string coord(double value) { return fixed(std::isfinite(value) ? value : 0.0, 1); }

std::string percent(double r) { return fixed(r * 100, 1) + "%"; }

std::string coefficient_label(Method method) {
  switch (method) {
    case Method::Spearman:
      return "Spearman r";
    case Method::Pearson:
      return "Pearson r";
    case Method::Kendall:
      return "Kendall tau-b";
  }
  return "r";
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

std::string display_name(const BenchmarkInfo& info) {
  return info.name.empty() ? info.id : info.name;
}

std::string score_axis_title(ScoreKind kind) {
  return kind == ScoreKind::Pc1 ? "Capabilities score (first principal component)"
                                : "Capabilities score (mean z-score)";
}

// Text describing the intervals of a result, e.g. "95% Fisher-z interval".
std::string interval_description(const AnalysisResult& result) {
  std::string kind = "Fisher-z";
  if (result.bootstrap > 0) {
    kind = result.bootstrap_interval == BootstrapInterval::Bca ? "BCa bootstrap"
                                                               : "percentile bootstrap";
  }
  return fmt::format("{:g}% {} interval", result.confidence * 100, kind);
}

// ---------------------------------------------------------------- canvas

enum class Anchor { Start, Middle, End };

struct TextStyle {
  int size = kLabelSize;
  Anchor anchor = Anchor::Start;
  bool bold = false;
  const char* fill = kInk;
  double rotate = 0.0;  ///< Degrees, about the anchor point.
};

// An SVG document assembled element by element. The size may change until
// `finish`, because row-based charts know their height only after layout.
class Svg {
 public:
  Svg(double initial_width, double initial_height) : width(initial_width), height(initial_height) {}

  void rect(
      double x, double y, double w, double h, std::string_view fill, std::string_view extra = {}) {
    body_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{}/>\n",
                         coord(x),
                         coord(y),
                         coord(std::max(w, 0.0)),
                         coord(std::max(h, 0.0)),
                         fill,
                         extra.empty() ? "" : " ",
                         extra);
  }

  void line(double x1,
            double y1,
            double x2,
            double y2,
            std::string_view stroke,
            double stroke_width = 1.0,
            std::string_view extra = {}) {
    body_ += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}{}/>\n",
        coord(x1),
        coord(y1),
        coord(x2),
        coord(y2),
        stroke,
        coord(stroke_width),
        extra.empty() ? "" : " ",
        extra);
  }

  /// Text shortened to `max_width` px (0: no limit). Shortened text keeps the
  /// full text in a <title> child, which browsers show as a tooltip.
  void text(double x,
            double y,
            std::string_view content,
            const TextStyle& style,
            double max_width = 0.0) {
    std::string visible =
        max_width > 0 ? fit_text(content, max_width, style.size) : std::string(content);
    text_with_tooltip(x, y, visible, visible == content ? std::string_view{} : content, style);
  }

  /// Text with an optional tooltip (empty: none).
  void text_with_tooltip(double x,
                         double y,
                         std::string_view visible,
                         std::string_view tooltip,
                         const TextStyle& style) {
    std::string attributes =
        fmt::format("x=\"{}\" y=\"{}\" font-size=\"{}\"", coord(x), coord(y), style.size);
    if (style.anchor == Anchor::Middle) attributes += " text-anchor=\"middle\"";
    if (style.anchor == Anchor::End) attributes += " text-anchor=\"end\"";
    if (style.bold) attributes += " font-weight=\"bold\"";
    if (std::string_view(style.fill) != kInk) attributes += fmt::format(" fill=\"{}\"", style.fill);
    if (style.rotate != 0.0) {
      attributes +=
          fmt::format(" transform=\"rotate({} {} {})\"", coord(style.rotate), coord(x), coord(y));
    }
    std::string title = tooltip.empty() ? "" : "<title>" + xml_escape(tooltip) + "</title>";
    body_ += fmt::format("<text {}>{}{}</text>\n", attributes, title, xml_escape(visible));
  }

  void append(std::string_view markup) { body_ += markup; }

  /// Returns the complete document. `title` names the plot for screen readers.
  std::string finish(std::string_view title) const {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {0} {1}\" "
        "width=\"{0}\" height=\"{1}\" font-family=\"sans-serif\">\n"
        "<title>{2}</title>\n"
        "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#FFFFFF\"/>\n"
        "{3}</svg>\n",
        coord(width),
        coord(height),
        xml_escape(title),
        body_);
  }

  double width;
  double height;

 private:
  std::string body_;
};

// ---------------------------------------------------------------- axes

// A linear map from data values to pixels.
struct Scale {
  double domain_low = 0.0;
  double domain_high = 1.0;
  double range_low = 0.0;
  double range_high = 1.0;

  double operator()(double value) const {
    double span = domain_high - domain_low;
    double t = span != 0.0 ? (value - domain_low) / span : 0.5;
    return range_low + t * (range_high - range_low);
  }
};

// The domain of an axis and its round tick values.
struct Ticks {
  double low = 0.0;
  double high = 1.0;
  std::vector<double> values;
  int decimals = 0;  ///< Decimals that print every tick exactly.
};

int decimals_of(double step) {
  for (int d = 0; d < 10; ++d) {
    double scaled = step * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::abs(scaled))) return d;
  }
  return 10;
}

enum class Domain {
  Data,      ///< The axis spans the data; ticks lie inside it.
  Extended,  ///< The axis ends on ticks at or beyond the data.
};

// Ticks at multiples of `step` for [low, high], or nothing unless there are 4 to 6.
std::optional<Ticks> ticks_with_step(double low, double high, double step, Domain domain) {
  double first =
      domain == Domain::Data ? std::ceil(low / step - 1e-9) : std::floor(low / step + 1e-9);
  double last =
      domain == Domain::Data ? std::floor(high / step + 1e-9) : std::ceil(high / step - 1e-9);
  double count = last - first + 1;
  if (count < 4 || count > 6) return std::nullopt;
  Ticks ticks;
  for (double k = first; k <= last; k += 1) ticks.values.push_back(k == 0 ? 0.0 : k * step);
  ticks.low = domain == Domain::Data ? low : ticks.values.front();
  ticks.high = domain == Domain::Data ? high : ticks.values.back();
  ticks.decimals = decimals_of(step);
  return ticks;
}

// Chooses 4 to 6 ticks at multiples of 1, 2, 2.5 or 5 times a power of ten,
// preferring 5 ticks. With Domain::Data the axis keeps [low, high] when
// round ticks fit inside it and is extended to round ticks otherwise. A range
// of zero width is widened first, so that every data set gets a usable axis.
Ticks nice_ticks(double low, double high, Domain domain) {
  if (!std::isfinite(low) || !std::isfinite(high)) {
    low = 0.0;
    high = 1.0;
  }
  if (high < low) std::swap(low, high);
  if (high - low < 1e-12 * std::max(1.0, std::abs(high))) {
    double pad = low == 0.0 ? 1.0 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }

  auto distance_from_five = [](const Ticks& ticks) {
    return std::abs(static_cast<int>(ticks.values.size()) - 5);
  };
  double base = std::pow(10.0, std::floor(std::log10((high - low) / 5)));
  std::vector<Domain> attempts = {domain};
  if (domain == Domain::Data) attempts.push_back(Domain::Extended);
  for (Domain attempt : attempts) {
    std::optional<Ticks> best;
    for (double scale : {base / 10, base, base * 10}) {
      for (double multiple : {1.0, 2.0, 2.5, 5.0}) {
        auto ticks = ticks_with_step(low, high, scale * multiple, attempt);
        if (ticks && (!best || distance_from_five(*ticks) < distance_from_five(*best))) {
          best = ticks;
        }
      }
    }
    if (best) return *best;
  }

  // Some extended step gives 4 to 6 ticks for any finite range, so only
  // rounding at the edges of the search can reach this default.
  Ticks ticks;
  double step = (high - low) / 4;
  for (int k = 0; k <= 4; ++k) ticks.values.push_back(low + k * step);
  ticks.low = low;
  ticks.high = high;
  ticks.decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(step))), 0, 6);
  return ticks;
}

// Ticks, gridlines and labels of a horizontal axis below (or above) a plot area.
void draw_x_axis(Svg& svg,
                 const Scale& x,
                 const Ticks& ticks,
                 double grid_top,
                 double grid_bottom,
                 double label_y,
                 const std::function<std::string(double)>& label) {
  for (double value : ticks.values) {
    svg.line(x(value), grid_top, x(value), grid_bottom, kGrid);
  }
  TextStyle style;
  style.anchor = Anchor::Middle;
  style.fill = kMuted;
  for (double value : ticks.values) svg.text(x(value), label_y, label(value), style);
}

std::string tick_label(const Ticks& ticks, double value) { return fixed(value, ticks.decimals); }

// ---------------------------------------------------------------- scatter plots

struct FitLine {
  double x1, y1, x2, y2;
};

// The least-squares line of y on x over [min x, max x], clipped to the y
// range of the plot. Empty when x does not vary.
std::optional<FitLine> fitted_line(const std::vector<ModelPoint>& points,
                                   double y_low,
                                   double y_high) {
  if (points.size() < 2) return std::nullopt;
  double mean_x = 0.0, mean_y = 0.0;
  for (const ModelPoint& p : points) {
    mean_x += p.score;
    mean_y += p.value;
  }
  mean_x /= static_cast<double>(points.size());
  mean_y /= static_cast<double>(points.size());
  double sxx = 0.0, sxy = 0.0;
  double min_x = points.front().score, max_x = points.front().score;
  for (const ModelPoint& p : points) {
    sxx += (p.score - mean_x) * (p.score - mean_x);
    sxy += (p.score - mean_x) * (p.value - mean_y);
    min_x = std::min(min_x, p.score);
    max_x = std::max(max_x, p.score);
  }
  if (!(sxx > 0.0) || max_x <= min_x) return std::nullopt;
  double slope = sxy / sxx;
  double intercept = mean_y - slope * mean_x;
  double x1 = min_x, x2 = max_x;
  if (slope != 0.0) {
    // Clip the segment to y_low <= y <= y_high.
    double xa = (y_low - intercept) / slope;
    double xb = (y_high - intercept) / slope;
    x1 = std::max(x1, std::min(xa, xb));
    x2 = std::min(x2, std::max(xa, xb));
    if (x2 <= x1) return std::nullopt;
  }
  return FitLine{x1, intercept + slope * x1, x2, intercept + slope * x2};
}

std::string scatter_title_suffix(const BenchmarkResult& b, Method method) {
  std::string r = b.capabilities.r ? fixed(*b.capabilities.r, 2) : "undefined";
  return fmt::format(": {} = {}, n = {}", coefficient_label(method), r, b.capabilities.n);
}

std::string scatter_subtitle(const BenchmarkResult& b, const AnalysisResult& result) {
  std::string out = "Capabilities correlation ";
  out += b.capabilities.r ? percent(*b.capabilities.r) : "undefined";
  if (b.capabilities.interval) {
    out += fmt::format(" [{}, {}] ({})",
                       fixed(b.capabilities.interval->low * 100, 1),
                       fixed(b.capabilities.interval->high * 100, 1),
                       interval_description(result));
  }
  if (b.risk) out += ", risk " + *b.risk;
  return out;
}

std::string y_axis_title(const BenchmarkResult& b) {
  std::string metric = b.info.metric.empty() ? "score" : b.info.metric;
  if (b.negated) return "-(" + metric + "), negated because lower is better";
  return metric;
}

std::string render_scatter(const BenchmarkResult& b, const AnalysisResult& result) {
  std::vector<ModelPoint> points;
  for (const ModelPoint& p : b.points) {
    if (std::isfinite(p.score) && std::isfinite(p.value)) points.push_back(p);
  }
  std::size_t dropped = b.points.size() - points.size();

  double x_low = 0.0, x_high = 0.0, y_low = 0.0, y_high = 0.0;
  if (!points.empty()) {
    x_low = x_high = points.front().score;
    y_low = y_high = points.front().value;
    for (const ModelPoint& p : points) {
      x_low = std::min(x_low, p.score);
      x_high = std::max(x_high, p.score);
      y_low = std::min(y_low, p.value);
      y_high = std::max(y_high, p.value);
    }
  }
  // A margin of 4% keeps points off the frame.
  double x_margin = (x_high - x_low) * 0.04, y_margin = (y_high - y_low) * 0.04;
  Ticks x_ticks = nice_ticks(x_low - x_margin, x_high + x_margin, Domain::Data);
  Ticks y_ticks = nice_ticks(y_low - y_margin, y_high + y_margin, Domain::Data);

  double max_y_label = 0.0;
  for (double value : y_ticks.values) {
    max_y_label = std::max(max_y_label, text_width(tick_label(y_ticks, value), kLabelSize));
  }
  Svg svg(640, 470);
  double left = 34 + max_y_label + 8;
  double right = svg.width - 24;
  double top = 64;
  double bottom = svg.height - 58;
  Scale x{x_ticks.low, x_ticks.high, left, right};
  Scale y{y_ticks.low, y_ticks.high, bottom, top};

  // Title: the benchmark name, shortened if needed, then the coefficient.
  std::string name = display_name(b.info);
  std::string suffix = scatter_title_suffix(b, result.method);
  double name_room = svg.width - 24 - text_width(suffix, kTitleSize);
  std::string visible_name = fit_text(name, name_room, kTitleSize);
  TextStyle title_style{kTitleSize, Anchor::Start, true};
  svg.text_with_tooltip(
      12, 24, visible_name + suffix, visible_name == name ? "" : name + suffix, title_style);
  TextStyle subtitle_style{kLabelSize, Anchor::Start, false, kMuted};
  svg.text(12, 44, scatter_subtitle(b, result), subtitle_style, svg.width - 24);

  draw_x_axis(
      svg, x, x_ticks, top, bottom, bottom + 18, [&](double v) { return tick_label(x_ticks, v); });
  TextStyle y_label_style{kLabelSize, Anchor::End, false, kMuted};
  for (double value : y_ticks.values) {
    svg.line(left, y(value), right, y(value), kGrid);
    svg.text(left - 6, y(value) + 4, tick_label(y_ticks, value), y_label_style);
  }
  svg.rect(left, top, right - left, bottom - top, "none", fmt::format("stroke=\"{}\"", kMuted));

  TextStyle axis_style{kAxisTitleSize, Anchor::Middle};
  svg.text(
      (left + right) / 2, svg.height - 16, score_axis_title(result.capabilities.score), axis_style);
  TextStyle y_axis_style{kAxisTitleSize, Anchor::Middle, false, kInk, -90.0};
  svg.text(18, (top + bottom) / 2, y_axis_title(b), y_axis_style, bottom - top);

  if (points.empty()) {
    TextStyle empty_style{kAxisTitleSize, Anchor::Middle, false, kMuted};
    svg.text((left + right) / 2,
             (top + bottom) / 2,
             "No model has both a value and a score",
             empty_style);
  }
  if (auto fit = fitted_line(points, y_ticks.low, y_ticks.high)) {
    svg.line(x(fit->x1), y(fit->y1), x(fit->x2), y(fit->y2), kPalette[5], 2.0);
  }
  for (const ModelPoint& p : points) {
    svg.append(fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" fill-opacity=\"0.8\" stroke=\"#FFFFFF\" "
        "stroke-width=\"1\"><title>{} (score {}, value {})</title></circle>\n",
        coord(x(p.score)),
        coord(y(p.value)),
        kPalette[0],
        xml_escape(p.model),
        fixed(p.score, 3),
        fixed(p.value, 4)));
  }
  if (dropped > 0) {
    svg.text(
        right, top - 6, fmt::format("{} non-finite point(s) not shown", dropped), y_label_style);
  }
  return svg.finish(name + suffix);
}

// ---------------------------------------------------------------- file names

bool is_reported(const BenchmarkResult& b) {
  return b.role == Role::Safety && !b.skipped && b.capabilities.r &&
         std::isfinite(*b.capabilities.r);
}

// Letters, digits, '-', '_' and '.' are kept; every other code point becomes
// '_'. Stems are capped well below the usual 255-byte file name limit.
std::string file_name_stem(std::string_view id) {
  constexpr std::size_t kMaxStem = 100;
  std::string stem;
  for (std::size_t i = 0; i < id.size() && stem.size() < kMaxStem; ++i) {
    unsigned char c = static_cast<unsigned char>(id[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte of a code point already replaced
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
    stem += safe ? static_cast<char>(c) : '_';
  }
  return stem.empty() ? "benchmark" : stem;
}

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// ---------------------------------------------------------------- correlations.svg

// Fill and further attributes of the bars of one category.
struct CategoryStyle {
  std::string fill;
  std::string extra;
};

std::string hatch_id(std::size_t colour) { return fmt::format("safetywash-hatch-{}", colour); }

// Style of the category with index `index`: the palette's colours solid, then
// hatched, then light, so that up to 21 categories differ. The group headings
// of the chart name every category, so repeated styles stay readable.
CategoryStyle category_style(std::size_t index) {
  const char* colour = kPalette[index % kPalette.size()];
  switch ((index / kPalette.size()) % 3) {
    case 0:
      return {colour, ""};
    case 1:
      return {fmt::format("url(#{})", hatch_id(index % kPalette.size())),
              fmt::format("stroke=\"{}\"", colour)};
    default:
      return {colour, fmt::format("fill-opacity=\"0.35\" stroke=\"{}\"", colour)};
  }
}

std::string hatch_patterns() {
  std::string out = "<defs>\n";
  for (std::size_t k = 0; k < kPalette.size(); ++k) {
    out += fmt::format(
        "<pattern id=\"{}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
        "patternTransform=\"rotate(45)\"><rect x=\"0\" y=\"0\" width=\"6\" height=\"6\" "
        "fill=\"#FFFFFF\"/><rect x=\"0\" y=\"0\" width=\"3\" height=\"6\" fill=\"{}\"/>"
        "</pattern>\n",
        hatch_id(k),
        kPalette[k]);
  }
  return out + "</defs>\n";
}

// Reported benchmarks grouped by category (alphabetical), each group sorted
// by capabilities correlation, strongest first.
std::vector<std::pair<std::string, std::vector<const BenchmarkResult*>>> reported_by_category(
    const AnalysisResult& result) {
  std::map<std::string, std::vector<const BenchmarkResult*>> groups;
  for (const BenchmarkResult& b : result.benchmarks) {
    if (is_reported(b)) groups[b.info.category].push_back(&b);
  }
  std::vector<std::pair<std::string, std::vector<const BenchmarkResult*>>> ordered(groups.begin(),
                                                                                   groups.end());
  for (auto& [category, members] : ordered) {
    std::stable_sort(
        members.begin(), members.end(), [](const BenchmarkResult* a, const BenchmarkResult* b) {
          return *a->capabilities.r > *b->capabilities.r;
        });
  }
  return ordered;
}

// Draws a legend of swatches and labels that wraps at `max_x`. Returns the
// y coordinate below it.
double draw_legend(Svg& svg,
                   const std::vector<std::pair<CategoryStyle, std::string>>& items,
                   double x0,
                   double y0,
                   double max_x) {
  constexpr double kRow = 20;
  double x = x0, y = y0;
  for (const auto& [style, label] : items) {
    std::string visible = fit_text(label, 240, kLabelSize);
    double width = 16 + text_width(visible, kLabelSize) + 18;
    if (x > x0 && x + width > max_x) {
      x = x0;
      y += kRow;
    }
    svg.rect(x, y - 10, 12, 12, style.fill, style.extra);
    svg.text(x + 16, y, label, {}, 240);
    x += width;
  }
  return y + kRow;
}

std::string category_label(const std::string& category) {
  return category.empty() ? "(no category)" : category;
}

std::string render_correlations(const AnalysisResult& result) {
  auto groups = reported_by_category(result);
  std::size_t count = 0;
  double longest = 0.0;
  for (const auto& [category, members] : groups) {
    count += members.size();
    for (const BenchmarkResult* b : members) {
      longest = std::max(longest, text_width(display_name(b->info), kLabelSize));
    }
  }
  constexpr double kRow = 18, kGroupRow = 24;
  Svg svg(1000, 0);
  double label_width = std::clamp(longest, 120.0, 400.0);
  double left = 12 + label_width + 12;
  double right = svg.width - 72;
  Scale x{-1.0, 1.0, left, right};
  Ticks ticks = nice_ticks(-1.0, 1.0, Domain::Extended);
  auto percent_label = [](double v) { return fixed(v * 100, 0) + "%"; };

  svg.append(hatch_patterns());
  svg.text(12,
           24,
           fmt::format("Capabilities correlation of {} reported benchmark{} ({})",
                       count,
                       count == 1 ? "" : "s",
                       method_title(result.method)),
           {kTitleSize, Anchor::Start, true},
           svg.width - 24);
  std::vector<std::pair<CategoryStyle, std::string>> legend;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    legend.emplace_back(category_style(k), category_label(groups[k].first));
  }
  double y = draw_legend(svg, legend, 12, 48, svg.width - 12);
  TextStyle note_style{kLabelSize, Anchor::Start, false, kMuted};
  svg.text(12,
           y,
           fmt::format("Whiskers: {}. Dashed lines: risk thresholds at 40% (moderate) and "
                       "70% (high).",
                       interval_description(result)),
           note_style,
           svg.width - 24);

  double axis_labels_y = y + 26;
  double top = axis_labels_y + 8;
  double rows_height = count == 0 ? 60.0
                                  : static_cast<double>(groups.size()) * kGroupRow +
                                        static_cast<double>(count) * kRow + 8;
  double bottom = top + rows_height;
  svg.height = bottom + 58;

  draw_x_axis(svg, x, ticks, top, bottom, axis_labels_y, percent_label);
  for (double threshold : {0.4, 0.7}) {
    svg.line(x(threshold), top, x(threshold), bottom, kThreshold, 1.0, "stroke-dasharray=\"4 3\"");
  }

  // Rows: a heading per category, then one bar per benchmark.
  double row_y = top + 4;
  TextStyle label_style{kLabelSize, Anchor::End};
  TextStyle value_style{kLabelSize, Anchor::End, false, kMuted};
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const auto& [category, members] = groups[k];
    CategoryStyle style = category_style(k);
    svg.rect(12, row_y + 8, 12, 12, style.fill, style.extra);
    svg.text(30,
             row_y + 18,
             fmt::format("{} ({})", category_label(category), members.size()),
             {kLabelSize, Anchor::Start, true},
             svg.width - 42);
    row_y += kGroupRow;
    for (const BenchmarkResult* b : members) {
      double center = row_y + kRow / 2;
      double r = std::clamp(*b->capabilities.r, -1.0, 1.0);
      svg.rect(
          std::min(x(0), x(r)), center - 6, std::abs(x(r) - x(0)), 12, style.fill, style.extra);
      if (b->capabilities.interval) {
        double low = std::clamp(b->capabilities.interval->low, -1.0, 1.0);
        double high = std::clamp(b->capabilities.interval->high, -1.0, 1.0);
        // A white halo under the dark whisker keeps it visible on dark bars.
        for (auto [colour, width] : {std::pair{"#FFFFFF", 3.0}, std::pair{kInk, 1.3}}) {
          svg.line(x(low), center, x(high), center, colour, width);
          svg.line(x(low), center - 4, x(low), center + 4, colour, width);
          svg.line(x(high), center - 4, x(high), center + 4, colour, width);
        }
      }
      svg.text(left - 8, center + 4, display_name(b->info), label_style, label_width);
      svg.text(svg.width - 12, center + 4, percent(r), value_style);
      row_y += kRow;
    }
  }
  if (count == 0) {
    svg.text((left + right) / 2,
             top + 34,
             "No reported benchmark has a capabilities correlation",
             {kAxisTitleSize, Anchor::Middle, false, kMuted});
  }

  svg.line(x(0), top, x(0), bottom, kInk, 1.2);
  TextStyle axis_label_style{kLabelSize, Anchor::Middle, false, kMuted};
  for (double value : ticks.values) {
    svg.text(x(value), bottom + 18, percent_label(value), axis_label_style);
  }
  svg.text((left + right) / 2,
           svg.height - 16,
           fmt::format("Capabilities correlation ({}, %)", coefficient_label(result.method)),
           {kAxisTitleSize, Anchor::Middle});
  return svg.finish("Capabilities correlations by category");
}

// ---------------------------------------------------------------- scores.svg

std::string render_scores(const AnalysisResult& result) {
  const CapabilitiesSummary& caps = result.capabilities;
  std::vector<std::pair<std::string, double>> rows;
  std::size_t rows_count = std::min(caps.models.size(), caps.scores.size());
  for (std::size_t i = 0; i < rows_count; ++i) {
    if (std::isfinite(caps.scores[i])) rows.emplace_back(caps.models[i], caps.scores[i]);
  }
  std::stable_sort(
      rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });

  double longest = 0.0, low = 0.0, high = 0.0;
  for (const auto& [model, score] : rows) {
    longest = std::max(longest, text_width(model, kLabelSize));
    low = std::min(low, score);
    high = std::max(high, score);
  }
  constexpr double kRow = 18;
  Svg svg(820, 0);
  double label_width = std::clamp(longest, 100.0, 300.0);
  double left = 12 + label_width + 12;
  double right = svg.width - 64;
  Ticks ticks = nice_ticks(low, high, Domain::Extended);
  Scale x{ticks.low, ticks.high, left, right};

  svg.text(
      12,
      24,
      fmt::format("Capabilities score of {} model{}", rows.size(), rows.size() == 1 ? "" : "s"),
      {kTitleSize, Anchor::Start, true},
      svg.width - 24);
  TextStyle note_style{kLabelSize, Anchor::Start, false, kMuted};
  double y = 44;
  if (!caps.excluded_models.empty()) {
    svg.text(12,
             y,
             fmt::format("{} model(s) without a score (missing a capability value) are not shown.",
                         caps.excluded_models.size()),
             note_style,
             svg.width - 24);
    y += 20;
  }
  double axis_labels_y = y + 6;
  double top = axis_labels_y + 8;
  double bottom = top + (rows.empty() ? 60.0 : static_cast<double>(rows.size()) * kRow + 8);
  svg.height = bottom + 58;
  auto label = [&](double v) { return tick_label(ticks, v); };
  draw_x_axis(svg, x, ticks, top, bottom, axis_labels_y, label);

  double row_y = top + 4;
  TextStyle label_style{kLabelSize, Anchor::End};
  TextStyle value_style{kLabelSize, Anchor::End, false, kMuted};
  for (const auto& [model, score] : rows) {
    double center = row_y + kRow / 2;
    svg.rect(std::min(x(0), x(score)), center - 6, std::abs(x(score) - x(0)), 12, kPalette[0]);
    svg.text(left - 8, center + 4, model, label_style, label_width);
    svg.text(svg.width - 12, center + 4, fixed(score, 2), value_style);
    row_y += kRow;
  }
  if (rows.empty()) {
    svg.text((left + right) / 2,
             top + 34,
             "No model has a capabilities score",
             {kAxisTitleSize, Anchor::Middle, false, kMuted});
  }
  svg.line(x(0), top, x(0), bottom, kInk, 1.2);
  TextStyle axis_label_style{kLabelSize, Anchor::Middle, false, kMuted};
  for (double value : ticks.values) svg.text(x(value), bottom + 18, label(value), axis_label_style);
  svg.text((left + right) / 2,
           svg.height - 16,
           score_axis_title(caps.score),
           {kAxisTitleSize, Anchor::Middle});
  return svg.finish("Capabilities score per model");
}

// ---------------------------------------------------------------- scree.svg

std::string matrix_label(PcaMatrix matrix) {
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

std::string render_scree(const AnalysisResult& result) {
  const CapabilitiesSummary& caps = result.capabilities;
  std::vector<double> eigenvalues;
  for (double e : caps.eigenvalues) {
    // Rounding leaves eigenvalues of a singular matrix slightly below zero.
    eigenvalues.push_back(std::isfinite(e) ? std::max(e, 0.0) : 0.0);
  }
  double total = 0.0, largest = 0.0;
  for (double e : eigenvalues) {
    total += e;
    largest = std::max(largest, e);
  }
  constexpr double kSlot = 64;
  Ticks ticks = nice_ticks(0.0, largest > 0.0 ? largest : 1.0, Domain::Extended);
  double max_tick_label = 0.0;
  for (double value : ticks.values) {
    max_tick_label = std::max(max_tick_label, text_width(tick_label(ticks, value), kLabelSize));
  }
  double left = std::max(34 + max_tick_label + 8, 12 + text_width("Cumulative", kLabelSize) + 8);
  double plot_width = std::max(1.0, static_cast<double>(eigenvalues.size())) * kSlot;
  Svg svg(std::max(560.0, left + plot_width + 24), 440);
  double right = left + plot_width;
  double top = 84;
  double bottom = svg.height - 98;
  Scale y{ticks.low, ticks.high, bottom, top};

  svg.text(12,
           24,
           "Eigenvalues of the " + matrix_label(caps.pca_matrix),
           {kTitleSize, Anchor::Start, true},
           svg.width - 24);
  TextStyle note_style{kLabelSize, Anchor::Start, false, kMuted};
  svg.text(12,
           44,
           fmt::format("{} capability benchmarks. The first component explains {} of the variance.",
                       caps.benchmarks.size(),
                       percent(caps.explained_variance)),
           note_style,
           svg.width - 24);
  svg.text(12,
           62,
           "Above each bar: explained variance, % of the sum of eigenvalues.",
           note_style,
           svg.width - 24);

  TextStyle y_label_style{kLabelSize, Anchor::End, false, kMuted};
  for (double value : ticks.values) {
    svg.line(left, y(value), right, y(value), kGrid);
    svg.text(left - 6, y(value) + 4, tick_label(ticks, value), y_label_style);
  }
  TextStyle center_style{kLabelSize, Anchor::Middle};
  TextStyle muted_center{kLabelSize, Anchor::Middle, false, kMuted};
  double cumulative = 0.0;
  for (std::size_t k = 0; k < eigenvalues.size(); ++k) {
    double slot_x = left + static_cast<double>(k) * kSlot;
    double middle = slot_x + kSlot / 2;
    svg.rect(slot_x + 10,
             y(eigenvalues[k]),
             kSlot - 20,
             bottom - y(eigenvalues[k]),
             k == 0 ? kPalette[0] : kPalette[4]);
    double share = total > 0.0 ? eigenvalues[k] / total : 0.0;
    cumulative += share;
    if (total > 0.0) svg.text(middle, y(eigenvalues[k]) - 6, percent(share), center_style);
    svg.text(middle, bottom + 18, fmt::format("PC{}", k + 1), muted_center);
    if (total > 0.0) svg.text(middle, bottom + 40, percent(cumulative), center_style);
  }
  if (eigenvalues.empty()) {
    svg.text((left + right) / 2,
             (top + bottom) / 2,
             "No eigenvalues",
             {kAxisTitleSize, Anchor::Middle, false, kMuted});
  }
  svg.line(left, bottom, right, bottom, kInk, 1.2);
  svg.text(left - 8, bottom + 18, "Component", y_label_style);
  svg.text(left - 8, bottom + 40, "Cumulative", y_label_style);
  svg.text((left + right) / 2,
           svg.height - 16,
           "Principal component, with cumulative explained variance",
           {kAxisTitleSize, Anchor::Middle});
  TextStyle y_axis_style{kAxisTitleSize, Anchor::Middle, false, kInk, -90.0};
  svg.text(18, (top + bottom) / 2, "Eigenvalue", y_axis_style);
  return svg.finish("Eigenvalues of the capabilities matrix");
}

// ---------------------------------------------------------------- heatmap.svg

struct Rgb {
  double r, g, b;
};

// Diverging palette from blue (-1) over near-white (0) to red (+1), with the
// five colours of ColorBrewer's RdBu scheme. Blue and red stay distinct with
// red-green colour-vision deficiencies.
Rgb diverging_colour(double t) {
  static constexpr std::array<Rgb, 5> kStops = {Rgb{0x21, 0x66, 0xAC},
                                                Rgb{0x67, 0xA9, 0xCF},
                                                Rgb{0xF7, 0xF7, 0xF7},
                                                Rgb{0xEF, 0x8A, 0x62},
                                                Rgb{0xB2, 0x18, 0x2B}};
  double position = (std::clamp(t, -1.0, 1.0) + 1.0) / 2.0 * (kStops.size() - 1);
  std::size_t index = std::min(static_cast<std::size_t>(position), kStops.size() - 2);
  double f = position - static_cast<double>(index);
  const Rgb& a = kStops[index];
  const Rgb& b = kStops[index + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

std::string hex(const Rgb& c) {
  auto channel = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 255.0))); };
  return fmt::format("#{:02X}{:02X}{:02X}", channel(c.r), channel(c.g), channel(c.b));
}

// Black or white, whichever contrasts more with the background (WCAG
// relative luminance).
const char* text_colour_on(const Rgb& c) {
  auto linear = [](double v) {
    v /= 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  double luminance = 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#FFFFFF";
}

std::string render_heatmap(const AnalysisResult& result) {
  const CapabilitiesSummary& caps = result.capabilities;
  std::size_t k = caps.benchmarks.size();
  bool complete = caps.matrix.size() == k;
  for (const auto& row : caps.matrix) complete = complete && row.size() == k;
  if (!complete) k = 0;

  std::vector<std::string> names;
  for (const std::string& id : caps.benchmarks) {
    auto found = std::find_if(result.benchmarks.begin(),
                              result.benchmarks.end(),
                              [&](const BenchmarkResult& b) { return b.info.id == id; });
    names.push_back(found != result.benchmarks.end() ? display_name(found->info) : id);
  }
  // Correlations print with two decimals on a fixed -1..1 colour scale. A
  // covariance matrix prints with three significant digits, and its colour
  // scale ends at its largest absolute value.
  bool covariance = caps.pca_matrix == PcaMatrix::Covariance;
  double scale_max = 1.0;
  if (covariance) {
    scale_max = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      for (double v : caps.matrix[i]) {
        if (std::isfinite(v)) scale_max = std::max(scale_max, std::abs(v));
      }
    }
    if (scale_max == 0.0) scale_max = 1.0;
  }
  auto cell_text = [&](double v) {
    if (!std::isfinite(v)) return std::string("-");
    return covariance ? fmt::format("{:.3g}", v) : fixed(v, 2);
  };
  double widest_value = text_width("-0.00", kLabelSize);
  for (std::size_t i = 0; i < k; ++i) {
    for (double v : caps.matrix[i]) {
      widest_value = std::max(widest_value, text_width(cell_text(v), kLabelSize));
    }
  }
  double longest = 0.0;
  for (const std::string& name : names) longest = std::max(longest, text_width(name, kLabelSize));
  double label_width = std::clamp(longest, 60.0, 200.0);
  double cell = std::max(48.0, widest_value + 10);
  // Column labels run up and to the right at 45 degrees above the grid.
  double diagonal = label_width * std::sqrt(0.5);
  double left = 12 + label_width + 8;
  double top = 68 + diagonal;
  double grid = static_cast<double>(k) * cell;
  Svg svg(std::max(560.0, left + grid + diagonal + 12), top + std::max(grid, 60.0) + 80);

  svg.text(12,
           24,
           covariance ? "Covariances of the capability benchmarks"
                      : "Correlations of the capability benchmarks",
           {kTitleSize, Anchor::Start, true},
           svg.width - 24);
  svg.text(12,
           44,
           fmt::format("The {} that the capabilities component decomposes.",
                       matrix_label(caps.pca_matrix)),
           {kLabelSize, Anchor::Start, false, kMuted},
           svg.width - 24);

  TextStyle row_style{kLabelSize, Anchor::End};
  TextStyle column_style{kLabelSize, Anchor::Start, false, kInk, -45.0};
  for (std::size_t i = 0; i < k; ++i) {
    double offset = static_cast<double>(i) * cell;
    svg.text(left - 8, top + offset + cell / 2 + 4, names[i], row_style, label_width);
    svg.text(left + offset + cell / 2, top - 8, names[i], column_style, label_width);
    for (std::size_t j = 0; j < k; ++j) {
      double v = caps.matrix[i][j];
      double column_x = left + static_cast<double>(j) * cell;
      Rgb colour = std::isfinite(v) ? diverging_colour(v / scale_max) : Rgb{0xDD, 0xDD, 0xDD};
      svg.append(fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#FFFFFF\">"
          "<title>{} / {}: {}</title></rect>\n",
          coord(column_x),
          coord(top + offset),
          coord(cell),
          coord(cell),
          hex(colour),
          xml_escape(names[i]),
          xml_escape(names[j]),
          cell_text(v)));
      svg.text(column_x + cell / 2,
               top + offset + cell / 2 + 4,
               cell_text(v),
               {kLabelSize, Anchor::Middle, false, text_colour_on(colour)});
    }
  }
  if (k == 0) {
    svg.text(
        left + 20, top + 34, "No matrix to show", {kAxisTitleSize, Anchor::Start, false, kMuted});
  }

  // Colour scale: 20 steps from -max to +max.
  double scale_y = top + std::max(grid, 60.0) + 28;
  double scale_width = std::min(320.0, svg.width - 24 - 60);
  double step = scale_width / 20;
  for (int s = 0; s < 20; ++s) {
    double t = -1.0 + (s + 0.5) / 10.0;
    svg.rect(left + s * step, scale_y, step + 0.5, 14, hex(diverging_colour(t)));
  }
  TextStyle scale_label{kLabelSize, Anchor::Middle, false, kMuted};
  auto scale_text = [&](double v) { return covariance ? fmt::format("{:.3g}", v) : fixed(v, 0); };
  svg.text(left, scale_y + 30, scale_text(-scale_max), scale_label);
  svg.text(left + scale_width / 2, scale_y + 30, "0", scale_label);
  svg.text(left + scale_width, scale_y + 30, scale_text(scale_max), scale_label);
  return svg.finish("Capability benchmark matrix");
}

}  // namespace

// ---------------------------------------------------------------- public API

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out += c < 0x20 ? ' ' : static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Decode one multi-byte UTF-8 sequence. Keep it only when it is valid,
    // in shortest form and a character that XML 1.0 allows.
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c >= 0xF0) {
      length = 4;
      code = c & 0x07u;
    } else if (c >= 0xE0) {
      length = 3;
      code = c & 0x0Fu;
    } else if (c >= 0xC0) {
      length = 2;
      code = c & 0x1Fu;
    }
    bool valid = length > 0 && c <= 0xF4 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3Fu);
    }
    static constexpr std::array<std::uint32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
    valid = valid && code >= kMinimum[length] && code <= 0x10FFFF &&
            !(code >= 0xD800 && code <= 0xDFFF) && code != 0xFFFE && code != 0xFFFF;
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

std::vector<std::string> scatter_file_names(const AnalysisResult& result) {
  std::vector<std::string> names(result.benchmarks.size());
  // Lower-case names already in use, so that names stay distinct on
  // case-insensitive file systems too.
  std::set<std::string> used_names = {"correlations.svg", "scores.svg", "scree.svg", "heatmap.svg"};
  for (std::size_t i = 0; i < result.benchmarks.size(); ++i) {
    if (!is_reported(result.benchmarks[i])) continue;
    std::string stem = "scatter_" + file_name_stem(result.benchmarks[i].info.id);
    std::string name = stem + ".svg";
    for (int suffix = 2; used_names.count(lower_ascii(name)) > 0; ++suffix) {
      name = fmt::format("{}_{}.svg", stem, suffix);
    }
    used_names.insert(lower_ascii(name));
    names[i] = name;
  }
  return names;
}

std::vector<PlotFile> render_plots(const AnalysisResult& result) {
  std::vector<PlotFile> plots = {{"correlations.svg", render_correlations(result)},
                                 {"scores.svg", render_scores(result)},
                                 {"scree.svg", render_scree(result)},
                                 {"heatmap.svg", render_heatmap(result)}};
  std::vector<std::string> names = scatter_file_names(result);
  for (std::size_t i = 0; i < result.benchmarks.size(); ++i) {
    if (names[i].empty()) continue;
    plots.push_back({names[i], render_scatter(result.benchmarks[i], result)});
  }
  return plots;
}

}  // namespace safetywash
