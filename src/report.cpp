// SPDX-License-Identifier: MIT
// Machine-readable renderers: JSON and CSV, and the registry listing.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report_common.h"
#include "safetywash/error.h"
#include "safetywash/report.h"

namespace safetywash {
namespace {

using Json = nlohmann::ordered_json;

Json optional_number(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json correlation_json(const CorrelationSummary& c, bool bootstrap) {
  Json j;
  j["r"] = optional_number(c.r);
  j["n"] = c.n;
  j["p"] = optional_number(c.p);
  j["p_method"] = c.p ? Json(std::string(p_value_method_name(c.p_method))) : Json(nullptr);
  j["p_adjusted"] = optional_number(c.p_adjusted);
  j["ci_low"] = c.interval ? Json(c.interval->low) : Json(nullptr);
  j["ci_high"] = c.interval ? Json(c.interval->high) : Json(nullptr);
  j["ci_method"] = c.interval ? Json(c.interval_method) : Json(nullptr);
  if (bootstrap) {
    j["bootstrap_defined"] = c.bootstrap_defined;
    j["bootstrap_undefined"] = c.bootstrap_undefined;
  }
  return j;
}

Json partial_json(const CorrelationSummary& c) {
  return Json{{"r", optional_number(c.r)}, {"n", c.n}, {"p", optional_number(c.p)}};
}

Json range_json(const std::optional<RefitRange>& range) {
  if (!range) return Json(nullptr);
  bool defined = range->refits > 0;
  return Json{{"min", defined ? Json(range->min) : Json(nullptr)},
              {"max", defined ? Json(range->max) : Json(nullptr)},
              {"refits", range->refits},
              {"undefined", range->undefined},
              {"risk_changes", range->risk_changes}};
}

Json benchmark_json(const BenchmarkResult& b, bool has_compute, bool bootstrap) {
  Json j;
  j["benchmark"] = b.info.id;
  j["name"] = b.info.name;
  j["role"] = std::string(role_name(b.role));
  j["category"] = b.info.category;
  j["metric"] = b.info.metric;
  j["higher_is_better"] = b.info.higher_is_better;
  j["negated"] = b.negated;
  j["values"] = b.values;
  j["n"] = b.capabilities.n;
  j["capabilities_correlation"] = correlation_json(b.capabilities, bootstrap);
  j["compute_correlation"] = has_compute ? correlation_json(b.compute, bootstrap) : Json(nullptr);
  j["partial_correlations"] =
      has_compute ? Json{{"capabilities_given_compute", partial_json(b.capabilities_given_compute)},
                         {"compute_given_capabilities", partial_json(b.compute_given_capabilities)}}
                  : Json(nullptr);
  if (b.capabilities_excluding_self) {
    j["capabilities_correlation_excluding_self"] = partial_json(*b.capabilities_excluding_self);
  }
  j["regression"] = b.regression ? Json{{"slope", b.regression->slope},
                                        {"intercept", b.regression->intercept},
                                        {"r_squared", b.regression->r_squared},
                                        {"n", b.regression->n}}
                                  : Json(nullptr);
  if (b.jackknife) j["jackknife"] = range_json(b.jackknife);
  if (b.by_family) j["by_family"] = range_json(b.by_family);
  j["risk"] = b.risk ? Json(*b.risk) : Json(nullptr);
  if (b.skipped) j["skipped"] = *b.skipped;
  return j;
}

Json capabilities_json(const CapabilitiesSummary& s) {
  Json j;
  j["benchmarks"] = s.benchmarks;
  j["models"] = s.models.size();
  j["explained_variance"] = s.explained_variance;
  j["eigenvalues"] = s.eigenvalues;
  Json loadings = Json::object();
  for (std::size_t k = 0; k < s.benchmarks.size(); ++k) loadings[s.benchmarks[k]] = s.loadings[k];
  j["loadings"] = loadings;
  Json scores = Json::array();
  for (std::size_t i = 0; i < s.models.size(); ++i) {
    scores.push_back(Json{{"model", s.models[i]}, {"score", s.scores[i]}});
  }
  j["scores"] = scores;
  Json excluded = Json::array();
  for (const auto& [model, lacking] : s.excluded_models) {
    excluded.push_back(Json{{"model", model}, {"missing", lacking}});
  }
  j["excluded_models"] = excluded;
  j["pca_matrix"] = std::string(pca_matrix_name(s.pca_matrix));
  j["missing"] = std::string(missing_policy_name(s.missing));
  j["score"] = std::string(score_kind_name(s.score));
  j["anchor"] = s.anchor ? Json(*s.anchor) : Json(nullptr);
  j["repaired"] = s.repaired;
  Json components = Json::array();
  for (std::size_t c = 0; c < s.components.size(); ++c) {
    Json vector = Json::object();
    for (std::size_t k = 0; k < s.benchmarks.size(); ++k) vector[s.benchmarks[k]] = s.components[c][k];
    components.push_back(Json{{"eigenvalue", s.eigenvalues[c]}, {"loadings", vector}});
  }
  j["components"] = components;
  if (s.missing == MissingPolicy::Impute) {
    Json cells = Json::array();
    for (const auto& cell : s.imputed) {
      cells.push_back(Json{{"model", cell.model}, {"benchmark", cell.benchmark}, {"z", cell.z}});
    }
    j["imputation"] = Json{{"cells", cells},
                           {"iterations", s.impute_iterations},
                           {"converged", s.impute_converged}};
  }
  return j;
}

Json tool_json(const RunInfo& run) { return Json{{"name", "safetywash"}, {"version", run.version}}; }

// Invalid UTF-8 (possible in file names) is replaced by U+FFFD instead of
// aborting the dump.
std::string dump(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string csv_number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

}  // namespace

OutputFormat parse_output_format(std::string_view name) {
  if (name == "table") return OutputFormat::Table;
  if (name == "json") return OutputFormat::Json;
  if (name == "csv") return OutputFormat::Csv;
  if (name == "markdown") return OutputFormat::Markdown;
  throw UsageError(
      fmt::format("unknown format '{}'; use table, json, csv or markdown", name));
}

std::string csv_escape(std::string_view field) {
  // Readers trim unquoted fields, so surrounding blanks need quotes too.
  bool blank_edge = !field.empty() && (field.front() == ' ' || field.front() == '\t' ||
                                       field.back() == ' ' || field.back() == '\t');
  if (!blank_edge && field.find_first_of(",;\t\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render_analysis_json(const AnalysisResult& result, const RunInfo& run) {
  Json j;
  j["schema_version"] = 1;
  j["tool"] = tool_json(run);
  j["input"] = Json{{"files", run.inputs},
                    {"models", result.models},
                    {"benchmarks", result.benchmarks.size()}};
  j["options"] = Json{{"method", std::string(method_name(result.method))},
                      {"confidence", result.confidence},
                      {"adjust", std::string(adjustment_name(result.adjustment))},
                      {"bootstrap", result.bootstrap},
                      {"seed", result.bootstrap > 0 ? Json(result.seed) : Json(nullptr)},
                      {"ci_method", result.bootstrap > 0
                                        ? std::string(bootstrap_interval_name(result.bootstrap_interval))
                                        : std::string("fisher-z")},
                      {"capabilities", result.capabilities.benchmarks},
                      {"pca_matrix", std::string(pca_matrix_name(result.capabilities.pca_matrix))},
                      {"missing", std::string(missing_policy_name(result.capabilities.missing))},
                      {"score", std::string(score_kind_name(result.capabilities.score))},
                      {"compute", result.compute_column ? Json(*result.compute_column)
                                                        : Json(nullptr)}};
  j["capabilities"] = capabilities_json(result.capabilities);
  j["compute"] = result.compute_column
                     ? Json{{"column", *result.compute_column},
                            {"models", result.compute_models},
                            {"transform", result.method == Method::Pearson ? "log10" : "none"}}
                     : Json(nullptr);
  Json benchmarks = Json::array();
  for (const BenchmarkResult& b : result.benchmarks) {
    benchmarks.push_back(
        benchmark_json(b, result.compute_column.has_value(), result.bootstrap > 0));
  }
  j["benchmarks"] = benchmarks;
  if (result.bootstrap > 0) {
    j["bootstrap"] = Json{{"resamples", result.bootstrap},
                          {"seed", result.seed},
                          {"failed_fits", result.failed_fits}};
  }
  j["warnings"] = result.warnings;
  return dump(j);
}

std::string render_analysis_csv(const AnalysisResult& result) {
  std::string out =
      "benchmark,name,role,category,n,capabilities_r,capabilities_p,capabilities_p_adjusted,"
      "ci_low,ci_high,compute_n,compute_r,compute_p,compute_p_adjusted,risk,negated,skipped\n";
  for (const BenchmarkResult& b : result.benchmarks) {
    const auto& interval = b.capabilities.interval;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                       csv_escape(b.info.id), csv_escape(b.info.name), role_name(b.role),
                       csv_escape(b.info.category), b.capabilities.n,
                       csv_number(b.capabilities.r), csv_number(b.capabilities.p),
                       csv_number(b.capabilities.p_adjusted),
                       csv_number(interval ? std::optional(interval->low) : std::nullopt),
                       csv_number(interval ? std::optional(interval->high) : std::nullopt),
                       result.compute_column ? fmt::format("{}", b.compute.n) : "",
                       csv_number(b.compute.r), csv_number(b.compute.p),
                       csv_number(b.compute.p_adjusted), b.risk.value_or(""),
                       b.negated ? "true" : "false", b.skipped.value_or(""));
  }
  return out;
}

std::string render_capabilities(const CapabilitiesSummary& summary, OutputFormat format,
                                const RunInfo& run) {
  if (format == OutputFormat::Json) {
    Json j;
    j["schema_version"] = 1;
    j["tool"] = tool_json(run);
    j["input"] = Json{{"files", run.inputs}};
    j["capabilities"] = capabilities_json(summary);
    return dump(j);
  }
  if (format == OutputFormat::Csv) {
    std::string out = "kind,name,value\n";
    for (std::size_t k = 0; k < summary.eigenvalues.size(); ++k) {
      out += fmt::format("eigenvalue,{},{}\n", k + 1, summary.eigenvalues[k]);
    }
    out += fmt::format("explained_variance,,{}\n", summary.explained_variance);
    for (std::size_t k = 0; k < summary.benchmarks.size(); ++k) {
      out += fmt::format("loading,{},{}\n", csv_escape(summary.benchmarks[k]),
                         summary.loadings[k]);
    }
    for (std::size_t i = 0; i < summary.models.size(); ++i) {
      out += fmt::format("score,{},{}\n", csv_escape(summary.models[i]), summary.scores[i]);
    }
    return out;
  }
  return render_capabilities_text(summary, format == OutputFormat::Markdown);
}

std::string render_registry(const Registry& registry, OutputFormat format) {
  if (format == OutputFormat::Json) {
    Json list = Json::array();
    for (const BenchmarkInfo& b : registry.entries()) {
      list.push_back(Json{{"id", b.id},
                          {"name", b.name},
                          {"role", std::string(role_name(b.role))},
                          {"higher_is_better", b.higher_is_better},
                          {"category", b.category},
                          {"metric", b.metric},
                          {"description", b.description}});
    }
    return dump(Json{{"schema_version", 1}, {"benchmarks", list}});
  }
  if (format == OutputFormat::Csv) {
    std::string out = "id,name,role,higher_is_better,category,metric,description\n";
    for (const BenchmarkInfo& b : registry.entries()) {
      out += fmt::format("{},{},{},{},{},{},{}\n", csv_escape(b.id), csv_escape(b.name),
                         role_name(b.role), b.higher_is_better ? "true" : "false",
                         csv_escape(b.category), csv_escape(b.metric),
                         csv_escape(b.description));
    }
    return out;
  }
  return render_registry_text(registry, format == OutputFormat::Markdown);
}

}  // namespace safetywash
