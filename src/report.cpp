// SPDX-License-Identifier: MIT
// Machine-readable renderers: JSON and CSV, and the registry listing.
#include <fmt/format.h>

#include "json_writer.h"
#include "report_common.h"
#include "safetywash/error.h"
#include "safetywash/report.h"

namespace safetywash {
namespace {

void write_correlation(JsonWriter& w, const CorrelationSummary& c, bool bootstrap) {
  w.begin_object();
  w.member("r", c.r);
  w.member("n", c.n);
  w.member("p", c.p);
  w.key("p_method");
  if (c.p) {
    w.value(p_value_method_name(c.p_method));
  } else {
    w.value(nullptr);
  }
  w.member("p_adjusted", c.p_adjusted);
  w.member("ci_low", c.interval ? std::optional(c.interval->low) : std::nullopt);
  w.member("ci_high", c.interval ? std::optional(c.interval->high) : std::nullopt);
  w.key("ci_method");
  if (c.interval) {
    w.value(c.interval_method);
  } else {
    w.value(nullptr);
  }
  if (bootstrap) {
    w.member("bootstrap_defined", c.bootstrap_defined);
    w.member("bootstrap_undefined", c.bootstrap_undefined);
  }
  w.end_object();
}

void write_partial(JsonWriter& w, const CorrelationSummary& c) {
  w.begin_object();
  w.member("r", c.r);
  w.member("n", c.n);
  w.member("p", c.p);
  w.end_object();
}

void write_range(JsonWriter& w, const std::optional<RefitRange>& range) {
  if (!range) {
    w.value(nullptr);
    return;
  }
  bool defined = range->refits > 0;
  w.begin_object();
  w.member("min", defined ? std::optional(range->min) : std::nullopt);
  w.member("max", defined ? std::optional(range->max) : std::nullopt);
  w.member("refits", range->refits);
  w.member("undefined", range->undefined);
  w.member("risk_changes", range->risk_changes);
  w.end_object();
}

void write_benchmark(JsonWriter& w, const BenchmarkResult& b, bool has_compute, bool bootstrap) {
  w.begin_object();
  w.member("benchmark", b.info.id);
  w.member("name", b.info.name);
  w.member("role", role_name(b.role));
  w.member("category", b.info.category);
  w.member("metric", b.info.metric);
  w.member("higher_is_better", b.info.higher_is_better);
  w.member("negated", b.negated);
  w.member("values", b.values);
  w.member("n", b.capabilities.n);
  w.key("capabilities_correlation");
  write_correlation(w, b.capabilities, bootstrap);
  w.key("compute_correlation");
  if (has_compute) {
    write_correlation(w, b.compute, bootstrap);
  } else {
    w.value(nullptr);
  }
  w.key("partial_correlations");
  if (has_compute) {
    w.begin_object();
    w.key("capabilities_given_compute");
    write_partial(w, b.capabilities_given_compute);
    w.key("compute_given_capabilities");
    write_partial(w, b.compute_given_capabilities);
    w.end_object();
  } else {
    w.value(nullptr);
  }
  if (b.capabilities_excluding_self) {
    w.key("capabilities_correlation_excluding_self");
    write_partial(w, *b.capabilities_excluding_self);
  }
  w.key("regression");
  if (b.regression) {
    w.begin_object();
    w.member("slope", b.regression->slope);
    w.member("intercept", b.regression->intercept);
    w.member("r_squared", b.regression->r_squared);
    w.member("n", b.regression->n);
    w.end_object();
  } else {
    w.value(nullptr);
  }
  if (b.jackknife) {
    w.key("jackknife");
    write_range(w, b.jackknife);
  }
  if (b.by_family) {
    w.key("by_family");
    write_range(w, b.by_family);
  }
  w.member("risk", b.risk);
  if (b.skipped) w.member("skipped", *b.skipped);
  w.end_object();
}

// One loading per benchmark, keyed by benchmark name. The names are unique
// because the table reader rejects duplicate columns and the capability
// list is a set of columns.
// NOTE: a repeated name would print its key twice, where an ordered_json
// tree kept one member.
void write_loadings(JsonWriter& w, const std::vector<std::string>& benchmarks,
                    const std::vector<double>& loadings) {
  w.begin_object();
  for (std::size_t k = 0; k < benchmarks.size(); ++k) w.member(benchmarks[k], loadings[k]);
  w.end_object();
}

void write_capabilities(JsonWriter& w, const CapabilitiesSummary& s) {
  w.begin_object();
  w.member("benchmarks", s.benchmarks);
  w.member("models", s.models.size());
  w.member("explained_variance", s.explained_variance);
  w.member("eigenvalues", s.eigenvalues);
  w.key("loadings");
  write_loadings(w, s.benchmarks, s.loadings);
  w.key("scores");
  w.begin_array();
  w.elements(s.models.size(), [&](JsonWriter& writer, std::size_t i) {
    writer.begin_object();
    writer.member("model", s.models[i]);
    writer.member("score", s.scores[i]);
    writer.end_object();
  });
  w.end_array();
  w.key("excluded_models");
  w.begin_array();
  for (const auto& [model, lacking] : s.excluded_models) {
    w.begin_object();
    w.member("model", model);
    w.member("missing", lacking);
    w.end_object();
  }
  w.end_array();
  w.member("pca_matrix", pca_matrix_name(s.pca_matrix));
  w.member("missing", missing_policy_name(s.missing));
  w.member("score", score_kind_name(s.score));
  w.member("anchor", s.anchor);
  w.member("repaired", s.repaired);
  w.key("components");
  w.begin_array();
  for (std::size_t c = 0; c < s.components.size(); ++c) {
    w.begin_object();
    w.member("eigenvalue", s.eigenvalues[c]);
    w.key("loadings");
    write_loadings(w, s.benchmarks, s.components[c]);
    w.end_object();
  }
  w.end_array();
  if (s.missing == MissingPolicy::Impute) {
    w.key("imputation");
    w.begin_object();
    w.key("cells");
    w.begin_array();
    for (const auto& cell : s.imputed) {
      w.begin_object();
      w.member("model", cell.model);
      w.member("benchmark", cell.benchmark);
      w.member("z", cell.z);
      w.end_object();
    }
    w.end_array();
    w.member("iterations", s.impute_iterations);
    w.member("converged", s.impute_converged);
    w.end_object();
  }
  w.end_object();
}

void write_tool(JsonWriter& w, const RunInfo& run) {
  w.begin_object();
  w.member("name", "safetywash");
  w.member("version", run.version);
  w.end_object();
}

// Opens a result document with its schema version, the tool and the input
// files. The "input" object stays open for the caller to extend and close.
void begin_document(JsonWriter& w, const RunInfo& run) {
  w.begin_object();
  w.member("schema_version", 1);
  w.key("tool");
  write_tool(w, run);
  w.key("input");
  w.begin_object();
  w.member("files", run.inputs);
}

// The documents end with a line break, which nlohmann's dump does not add.
std::string finish(JsonWriter& w) {
  w.text() += '\n';
  return std::move(w.text());
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
  bool bootstrap = result.bootstrap > 0;
  JsonWriter w;
  begin_document(w, run);
  w.member("models", result.models);
  w.member("benchmarks", result.benchmarks.size());
  w.end_object();

  w.key("options");
  w.begin_object();
  w.member("method", method_name(result.method));
  w.member("confidence", result.confidence);
  w.member("adjust", adjustment_name(result.adjustment));
  w.member("bootstrap", result.bootstrap);
  w.key("seed");
  if (bootstrap) {
    w.value(result.seed);
  } else {
    w.value(nullptr);
  }
  w.member("ci_method",
           bootstrap ? bootstrap_interval_name(result.bootstrap_interval) : "fisher-z");
  w.member("capabilities", result.capabilities.benchmarks);
  w.member("pca_matrix", pca_matrix_name(result.capabilities.pca_matrix));
  w.member("missing", missing_policy_name(result.capabilities.missing));
  w.member("score", score_kind_name(result.capabilities.score));
  w.member("compute", result.compute_column);
  w.end_object();

  w.key("capabilities");
  write_capabilities(w, result.capabilities);

  w.key("compute");
  if (result.compute_column) {
    w.begin_object();
    w.member("column", *result.compute_column);
    w.member("models", result.compute_models);
    w.member("transform", result.method == Method::Pearson ? "log10" : "none");
    w.end_object();
  } else {
    w.value(nullptr);
  }

  w.key("benchmarks");
  w.begin_array();
  for (const BenchmarkResult& b : result.benchmarks) {
    write_benchmark(w, b, result.compute_column.has_value(), bootstrap);
  }
  w.end_array();

  if (bootstrap) {
    w.key("bootstrap");
    w.begin_object();
    w.member("resamples", result.bootstrap);
    w.member("seed", result.seed);
    w.member("failed_fits", result.failed_fits);
    w.end_object();
  }
  w.member("warnings", result.warnings);
  w.end_object();
  return finish(w);
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
    JsonWriter w;
    begin_document(w, run);
    w.end_object();
    w.key("capabilities");
    write_capabilities(w, summary);
    w.end_object();
    return finish(w);
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
    JsonWriter w;
    w.begin_object();
    w.member("schema_version", 1);
    w.key("benchmarks");
    w.begin_array();
    for (const BenchmarkInfo& b : registry.entries()) {
      w.begin_object();
      w.member("id", b.id);
      w.member("name", b.name);
      w.member("role", role_name(b.role));
      w.member("higher_is_better", b.higher_is_better);
      w.member("category", b.category);
      w.member("metric", b.metric);
      w.member("description", b.description);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    return finish(w);
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
