// SPDX-License-Identifier: MIT
// Tests of the SVG plots and the HTML report: well-formed XML (checked by
// Python's XML parser), one scatter plot per reported benchmark, escaping,
// edge cases and SHA-256.
#include "safetywash/plots.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <catch2/catch.hpp>
#include <sstream>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/input.h"
#include "safetywash/table.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kSvgNamespace = "http://www.w3.org/2000/svg";

std::size_t count_occurrences(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

struct ParseResult {
  int exit_code = -1;  ///< 0 when every document parsed.
  std::string output;  ///< The first parser error, naming its document.
};

// Parses each document with Boost.PropertyTree's XML reader, which rejects
// documents that are not well-formed XML (unbalanced tags, unquoted
// attributes, bare ampersands).
ParseResult parse_as_xml(const std::vector<PlotFile>& documents) {
  ParseResult result;
  for (const PlotFile& document : documents) {
    std::istringstream stream(document.svg);
    boost::property_tree::ptree tree;
    try {
      boost::property_tree::read_xml(stream, tree);
    } catch (const boost::property_tree::xml_parser_error& error) {
      result.exit_code = 1;
      result.output = document.name + ": " + error.what();
      return result;
    }
  }
  result.exit_code = 0;
  result.output = "parsed " + std::to_string(documents.size());
  return result;
}

bool is_reported(const BenchmarkResult& b) {
  return b.role == Role::Safety && !b.skipped && b.capabilities.r &&
         std::isfinite(*b.capabilities.r);
}

std::size_t reported_count(const AnalysisResult& result) {
  return static_cast<std::size_t>(
      std::count_if(result.benchmarks.begin(), result.benchmarks.end(), is_reported));
}

const PlotFile* find_plot(const std::vector<PlotFile>& plots, const std::string& name) {
  auto found =
      std::find_if(plots.begin(), plots.end(), [&](const PlotFile& p) { return p.name == name; });
  return found == plots.end() ? nullptr : &*found;
}

// The <title> text of every <circle>, in document order.
std::vector<std::string> circle_titles(const std::string& svg) {
  static const std::regex kCircle("<circle [^>]*><title>([^<]*)</title></circle>");
  std::vector<std::string> titles;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kCircle);
       it != std::sregex_iterator();
       ++it) {
    titles.push_back((*it)[1].str());
  }
  return titles;
}

// "nan" or "inf" as a word of their own, in any case.
bool has_non_finite_text(const std::string& text) {
  static const std::regex kNonFinite("(^|[^A-Za-z])(nan|inf)([^A-Za-z]|$)", std::regex::icase);
  return std::regex_search(text, kNonFinite);
}

// Every URL-like "http://" or "https://" other than the SVG namespace.
std::size_t foreign_urls(const std::string& text) {
  std::size_t all = count_occurrences(text, "http://") + count_occurrences(text, "https://");
  return all - count_occurrences(text, kSvgNamespace);
}

void check_font_sizes(const PlotFile& plot) {
  static const std::regex kFontSize("font-size=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(plot.svg.begin(), plot.svg.end(), kFontSize);
       it != std::sregex_iterator();
       ++it) {
    double size = std::stod((*it)[1].str());
    INFO(plot.name << ": font-size " << size);
    CHECK(size >= 12);
    CHECK(size <= 14);
  }
}

void check_svg_header(const PlotFile& plot) {
  INFO(plot.name);
  CHECK(plot.svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK_THAT(plot.svg, Contains("viewBox=\"0 0 "));
  CHECK_THAT(plot.svg, Contains(" width=\""));
  CHECK_THAT(plot.svg, Contains(" height=\""));
  CHECK_THAT(plot.svg, Contains("fill=\"#FFFFFF\"/>"));
  CHECK_THAT(plot.svg, !Contains("<script"));
  CHECK_THAT(plot.svg, !Contains("<image"));
  CHECK_THAT(plot.svg, !Contains("@import"));
  CHECK(foreign_urls(plot.svg) == 0);
  CHECK_FALSE(has_non_finite_text(plot.svg));
}

AnalysisResult paper_chat_result() {
  Warnings warnings;
  ScoreTable table = load_dataset("paper-chat", warnings);
  AnalysisOptions options;
  options.points = true;
  return analyze(table, Registry::builtin(), options);
}

// A table with 2 capability benchmarks and names that need escaping: ids with
// '<', '&' and quotes, two ids that map to one file name, a very long display
// name, a lower-is-better benchmark and model names with quotes and UTF-8.
constexpr std::string_view kAwkwardTable =
    "model,mmlu,gsm8k,\"a<b&c\",\"a>b&c\",long_one,lower,constant\n"
    "\"m<1> & \"\"x\"\"\",0.30,0.05,0.21,0.50,0.10,0.70,1\n"
    "Mod\xC3\xA8le \xC3\xBC,0.45,0.12,0.25,0.40,0.20,0.62,1\n"
    "'single',0.52,0.30,0.24,0.45,0.15,0.55,1\n"
    "d,0.61,0.41,0.33,0.30,0.40,0.40,1\n"
    "e,0.70,0.55,0.38,0.35,0.30,0.41,1\n";

const std::string kLongName =
    "A benchmark name far too long for any label column, repeated: " + std::string(150, 'x');

Registry awkward_registry() {
  Registry registry = Registry::builtin();
  std::string meta =
      "id,name,role,higher_is_better,category,metric\n"
      "\"a<b&c\",\"Q&A <\"\"quoted\"\"> 'single'\",safety,true,\"cat & <dog>\",accuracy\n"
      "\"a>b&c\",Second clash,safety,true,\"cat & <dog>\",accuracy\n"
      "long_one,\"" +
      kLongName +
      "\",safety,true,truthfulness,accuracy\n"
      "lower,Lower is better,safety,false,bias,error rate\n";
  registry.merge(meta, "meta.csv");
  return registry;
}

AnalysisResult awkward_result() {
  Warnings warnings;
  ScoreTable table = parse_table(kAwkwardTable, "awkward <&>.csv", {}, warnings);
  AnalysisOptions options;
  options.capabilities = {"mmlu", "gsm8k"};
  options.points = true;
  AnalysisResult result = analyze(table, awkward_registry(), options);
  result.warnings.push_back("a warning with <markup> & \"quotes\"");
  return result;
}

BenchmarkResult reported_benchmark(const std::string& id,
                                   const std::string& name,
                                   const std::string& category,
                                   double r,
                                   std::vector<ModelPoint> points) {
  BenchmarkResult b;
  b.info = BenchmarkInfo{id, name, Role::Safety, true, category, "accuracy", ""};
  b.role = Role::Safety;
  b.values = points.size();
  b.capabilities.n = points.size();
  b.capabilities.r = r;
  b.capabilities.interval = Interval{r - 0.2, std::min(1.0, r + 0.2)};
  b.risk = risk_label(r);
  b.points = std::move(points);
  return b;
}

// A hand-made result with degenerate inputs: points at one x, zero and one
// point, non-finite values, NaN in the matrix, a negative eigenvalue and
// 300 reported benchmarks.
AnalysisResult degenerate_result() {
  AnalysisResult result;
  result.source = "hand-made";
  result.models = 3;
  CapabilitiesSummary& caps = result.capabilities;
  caps.benchmarks = {"cap_a", "cap_b"};
  caps.loadings = {0.7, 0.7};
  caps.eigenvalues = {2.0, -1e-17};
  caps.explained_variance = 1.0;
  caps.models = {"m1", "m2", "m3", "m4"};
  caps.scores = {1.0, 1.0, kNaN, -0.5};
  caps.matrix = {{1.0, kNaN}, {kNaN, 1.0}};
  caps.excluded_models = {{"m5", {"cap_a"}}};

  result.benchmarks.push_back(
      reported_benchmark("one_x",
                         "All points at one x",
                         "edge",
                         0.5,
                         {{"m1", 1.0, 0.2}, {"m2", 1.0, 0.4}, {"m3", 1.0, 0.6}}));
  result.benchmarks.push_back(reported_benchmark("no_points", "No points", "edge", 0.1, {}));
  result.benchmarks.push_back(
      reported_benchmark("one_point", "One point", "edge", -0.3, {{"m1", 0.5, 0.5}}));
  result.benchmarks.push_back(
      reported_benchmark("non_finite",
                         "Non-finite values",
                         "edge",
                         0.9,
                         {{"m1", kNaN, 0.1},
                          {"m2", 0.2, std::numeric_limits<double>::infinity()},
                          {"m3", 0.3, 0.3},
                          {"m4", 0.4, 0.5}}));
  result.benchmarks.push_back(reported_benchmark(
      "flat", "Constant values", "edge", 0.0, {{"m1", 0.1, 0.5}, {"m2", 0.2, 0.5}}));
  for (int i = 0; i < 300; ++i) {
    double r = std::sin(i) * 0.99;
    result.benchmarks.push_back(reported_benchmark(fmt::format("bulk_{}", i),
                                                   fmt::format("Bulk benchmark {}", i),
                                                   fmt::format("category {}", i % 25),
                                                   r,
                                                   {{"m1", 0.0, 0.1}, {"m2", 1.0, 0.2 + r}}));
  }
  BenchmarkResult skipped = reported_benchmark("skipped", "Skipped", "edge", 0.5, {});
  skipped.skipped = "constant";
  skipped.capabilities.r.reset();
  result.benchmarks.push_back(skipped);
  return result;
}

TEST_CASE("sha256 matches standard test vectors", "[plots]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(
      sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                 "klmnopqrlmnopqrsmnopqrstnopqrstu") ==
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 pads at block boundaries", "[plots]") {
  // 55 bytes fit one padded block, 56 need two, 64 is one full block.
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("xml_escape escapes markup and bad bytes", "[plots]") {
  CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(xml_escape("tab\there\nline") == "tab here line");
  CHECK(xml_escape("\x01") == " ");
  CHECK(xml_escape("Mod\xC3\xA8le \xE2\x9C\x93") == "Mod\xC3\xA8le \xE2\x9C\x93");
  CHECK(xml_escape("bad \xFF byte") == "bad \xEF\xBF\xBD byte");
  CHECK(xml_escape("cut \xC3") == "cut \xEF\xBF\xBD");
  CHECK(xml_escape("overlong \xC0\xAF") == "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(xml_escape("surrogate \xED\xA0\x80") == "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(xml_escape("\xEF\xBF\xBE") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("paper-chat plots are valid SVG", "[plots]") {
  AnalysisResult result = paper_chat_result();
  std::vector<PlotFile> plots = render_plots(result);

  for (const char* name : {"correlations.svg", "scores.svg", "scree.svg", "heatmap.svg"}) {
    INFO(name);
    CHECK(find_plot(plots, name) != nullptr);
  }
  std::size_t scatters =
      static_cast<std::size_t>(std::count_if(plots.begin(), plots.end(), [](const PlotFile& p) {
        return p.name.rfind("scatter_", 0) == 0;
      }));
  REQUIRE(reported_count(result) > 100);
  CHECK(scatters == reported_count(result));
  CHECK(plots.size() == scatters + 4);

  ParseResult parsed = parse_as_xml(plots);
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);
  for (const PlotFile& plot : plots) {
    check_svg_header(plot);
    check_font_sizes(plot);
  }
}

TEST_CASE("scatter plot has one tooltip per model", "[plots]") {
  AnalysisResult result = paper_chat_result();
  std::vector<PlotFile> plots = render_plots(result);
  std::vector<std::string> names = scatter_file_names(result);
  REQUIRE(names.size() == result.benchmarks.size());
  for (std::size_t i = 0; i < result.benchmarks.size(); ++i) {
    const BenchmarkResult& b = result.benchmarks[i];
    INFO(b.info.id);
    CHECK(names[i].empty() == !is_reported(b));
    if (names[i].empty()) continue;
    const PlotFile* plot = find_plot(plots, names[i]);
    REQUIRE(plot != nullptr);
    std::vector<std::string> titles = circle_titles(plot->svg);
    REQUIRE(titles.size() == b.points.size());
    for (std::size_t k = 0; k < titles.size(); ++k) {
      CHECK(titles[k].rfind(xml_escape(b.points[k].model) + " (", 0) == 0);
    }
    CHECK_THAT(plot->svg,
               Contains(xml_escape(b.info.name) +
                        ": Spearman r = " + fmt::format("{:.2f}", *b.capabilities.r) +
                        fmt::format(", n = {}", b.capabilities.n)));
  }
}

TEST_CASE("correlations chart lists every reported benchmark", "[plots]") {
  AnalysisResult result = paper_chat_result();
  std::vector<PlotFile> plots = render_plots(result);
  const PlotFile* chart = find_plot(plots, "correlations.svg");
  REQUIRE(chart != nullptr);
  for (const BenchmarkResult& b : result.benchmarks) {
    if (!is_reported(b)) continue;
    INFO(b.info.id);
    CHECK_THAT(chart->svg, Contains(xml_escape(b.info.name)));
    CHECK_THAT(chart->svg, Contains(xml_escape(b.info.category)));
  }
  for (const char* tick : {">-100%<", ">-50%<", ">0%<", ">50%<", ">100%<"}) {
    CHECK_THAT(chart->svg, Contains(tick));
  }
}

TEST_CASE("html report is self-contained", "[plots]") {
  AnalysisResult result = paper_chat_result();
  ReportContext context;
  context.version = "9.9.9";
  context.inputs = {"paper-chat"};
  context.input_sha256 = {sha256_hex(embedded_file("paper_chat.csv"))};
  context.options = {"--dataset paper-chat", "--method spearman"};
  context.warnings = {"input warning <1> & more"};
  std::string html = render_html_report(result, context);

  ParseResult parsed = parse_as_xml({{"report.html", html}});
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);

  CHECK(foreign_urls(html) == 0);
  CHECK_FALSE(has_non_finite_text(html));
  CHECK_THAT(html, !Contains("<script"));
  CHECK_THAT(html, !Contains("<img"));
  CHECK_THAT(html, !Contains("<link"));
  CHECK_THAT(html, !Contains(" src="));
  CHECK_THAT(html, !Contains("url(http"));
  CHECK_THAT(html, Contains("<style>"));
  CHECK_THAT(html, Contains("9.9.9"));
  CHECK_THAT(html, Contains(context.input_sha256[0]));
  CHECK_THAT(html, Contains("--dataset paper-chat --method spearman"));
  CHECK_THAT(html, Contains("input warning &lt;1&gt; &amp; more"));
  CHECK_THAT(html, Contains("How to read this report"));
  CHECK(count_occurrences(html, "<svg ") == render_plots(result).size());
  for (const BenchmarkResult& b : result.benchmarks) {
    INFO(b.info.id);
    CHECK_THAT(html, Contains(">" + xml_escape(b.info.name)));
  }
}

TEST_CASE("html report names the bootstrap", "[plots]") {
  std::string csv =
      "model,mmlu,gsm8k,truthfulqa_mc1\n"
      "a,0.30,0.05,0.21\nb,0.45,0.12,0.25\nc,0.52,0.30,0.24\nd,0.61,0.41,0.33\n"
      "e,0.70,0.55,0.38\nf,0.66,0.50,0.30\n";
  Warnings warnings;
  ScoreTable table = parse_table(csv, "mine.csv", {}, warnings);
  AnalysisOptions options;
  options.bootstrap = 50;
  options.seed = 12345;
  options.points = true;
  AnalysisResult result = analyze(table, Registry::builtin(), options);
  std::string html = render_html_report(result, ReportContext{});
  CHECK_THAT(html, Contains("50 resamples"));
  CHECK_THAT(html, Contains("seed 12345"));
  CHECK_THAT(html, Contains("BCa bootstrap"));
  ParseResult parsed = parse_as_xml({{"report.html", html}});
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);
}

TEST_CASE("awkward names are escaped", "[plots]") {
  AnalysisResult result = awkward_result();
  std::vector<PlotFile> plots = render_plots(result);
  std::string html = render_html_report(
      result, ReportContext{"1.0", {"awkward <&>.csv"}, {sha256_hex(kAwkwardTable)}, {}, {}});
  std::vector<PlotFile> documents = plots;
  documents.push_back({"report.html", html});
  ParseResult parsed = parse_as_xml(documents);
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);

  std::vector<std::string> names = scatter_file_names(result);
  CHECK(std::count(names.begin(), names.end(), "scatter_a_b_c.svg") == 1);
  CHECK(std::count(names.begin(), names.end(), "scatter_a_b_c_2.svg") == 1);
  const PlotFile* scatter = find_plot(plots, "scatter_a_b_c.svg");
  REQUIRE(scatter != nullptr);
  CHECK_THAT(scatter->svg, Contains("Q&amp;A &lt;&quot;quoted&quot;&gt; &#39;single&#39;"));
  CHECK_THAT(scatter->svg, Contains("<title>m&lt;1&gt; &amp; &quot;x&quot; ("));
  CHECK_THAT(scatter->svg, Contains("<title>Mod\xC3\xA8le \xC3\xBC ("));
  CHECK_THAT(scatter->svg, Contains("<title>&#39;single&#39; ("));
  CHECK(circle_titles(scatter->svg).size() == 5);

  // The long name is cut with an ellipsis and kept whole in a tooltip.
  const PlotFile* chart = find_plot(plots, "correlations.svg");
  REQUIRE(chart != nullptr);
  CHECK_THAT(chart->svg, Contains("<title>" + kLongName + "</title>"));
  CHECK_THAT(chart->svg, Contains("\xE2\x80\xA6</text>"));
  CHECK_THAT(chart->svg, Contains("cat &amp; &lt;dog&gt;"));

  // Two capability benchmarks give a 2 x 2 heatmap and two eigenvalues.
  const PlotFile* heatmap = find_plot(plots, "heatmap.svg");
  REQUIRE(heatmap != nullptr);
  CHECK(count_occurrences(heatmap->svg, "</title></rect>") == 4);
  CHECK(count_occurrences(heatmap->svg, ">1.00</text>") == 4);
  const PlotFile* scree = find_plot(plots, "scree.svg");
  REQUIRE(scree != nullptr);
  CHECK_THAT(scree->svg, Contains(">PC2<"));
  CHECK_THAT(scree->svg, !Contains(">PC3<"));

  CHECK_THAT(html, Contains("awkward &lt;&amp;&gt;.csv"));
  CHECK_THAT(html, Contains("a warning with &lt;markup&gt; &amp; &quot;quotes&quot;"));
  CHECK_THAT(html, Contains("Lower is better *"));
  CHECK_THAT(html, Contains("skipped: constant"));
  CHECK_FALSE(has_non_finite_text(html));
  for (const PlotFile& plot : plots) {
    check_svg_header(plot);
    check_font_sizes(plot);
  }
}

TEST_CASE("degenerate results still render", "[plots]") {
  AnalysisResult result = degenerate_result();
  std::vector<PlotFile> plots = render_plots(result);
  std::string html = render_html_report(result, ReportContext{});
  std::vector<PlotFile> documents = plots;
  documents.push_back({"report.html", html});
  ParseResult parsed = parse_as_xml(documents);
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);
  CHECK(plots.size() == 4 + 305);
  CHECK_FALSE(has_non_finite_text(html));
  for (const PlotFile& plot : plots) {
    check_svg_header(plot);
    check_font_sizes(plot);
  }

  const PlotFile* one_x = find_plot(plots, "scatter_one_x.svg");
  REQUIRE(one_x != nullptr);
  CHECK(circle_titles(one_x->svg).size() == 3);
  const PlotFile* no_points = find_plot(plots, "scatter_no_points.svg");
  REQUIRE(no_points != nullptr);
  CHECK(circle_titles(no_points->svg).empty());
  CHECK_THAT(no_points->svg, Contains("No model has both a value and a score"));
  const PlotFile* non_finite = find_plot(plots, "scatter_non_finite.svg");
  REQUIRE(non_finite != nullptr);
  CHECK(circle_titles(non_finite->svg).size() == 2);
  CHECK_THAT(non_finite->svg, Contains("2 non-finite point(s) not shown"));
  CHECK(find_plot(plots, "scatter_skipped.svg") == nullptr);

  // 300 bars need a chart taller than 300 rows of 18 px.
  const PlotFile* chart = find_plot(plots, "correlations.svg");
  REQUIRE(chart != nullptr);
  std::smatch height;
  REQUIRE(std::regex_search(chart->svg, height, std::regex("height=\"([0-9.]+)\"")));
  CHECK(std::stod(height[1].str()) > 300 * 18);

  const PlotFile* scores = find_plot(plots, "scores.svg");
  REQUIRE(scores != nullptr);
  CHECK_THAT(scores->svg, Contains("1 model(s) without a score"));
}

TEST_CASE("empty result renders placeholder plots", "[plots]") {
  AnalysisResult result;
  result.source = "empty";
  std::vector<PlotFile> plots = render_plots(result);
  REQUIRE(plots.size() == 4);
  std::vector<PlotFile> documents = plots;
  documents.push_back({"report.html", render_html_report(result, ReportContext{})});
  ParseResult parsed = parse_as_xml(documents);
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);
  CHECK_THAT(plots[0].svg, Contains("No reported benchmark has a capabilities correlation"));
}

TEST_CASE("scatter file names are safe and unique", "[plots]") {
  AnalysisResult result;
  for (const char* id : {"a/b", "a_b", "A_B", "..", "\xCE\xA3 sum", ""}) {
    result.benchmarks.push_back(reported_benchmark(id, id, "c", 0.5, {}));
  }
  result.benchmarks.push_back(reported_benchmark(std::string(300, 'z'), "long", "c", 0.5, {}));
  std::vector<std::string> names = scatter_file_names(result);
  REQUIRE(names.size() == 7);
  CHECK(names[0] == "scatter_a_b.svg");
  CHECK(names[1] == "scatter_a_b_2.svg");
  CHECK(names[2] == "scatter_A_B_3.svg");
  CHECK(names[3] == "scatter_...svg");
  CHECK(names[4] == "scatter___sum.svg");
  CHECK(names[5] == "scatter_benchmark.svg");
  CHECK(names[6].size() < 120);
  static const std::regex kSafe("[A-Za-z0-9._-]+");
  std::set<std::string> lower;
  for (const std::string& name : names) {
    INFO(name);
    CHECK(std::regex_match(name, kSafe));
    std::string folded = name;
    std::transform(folded.begin(), folded.end(), folded.begin(), [](unsigned char c) {
      return static_cast<char>(std::tolower(c));
    });
    CHECK(lower.insert(folded).second);
  }
}

}  // namespace
}  // namespace safetywash
