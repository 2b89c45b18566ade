// SPDX-License-Identifier: MIT
// The safetywashing analysis: selection, orientation, component, correlations.
#include "safetywash/analysis.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <fmt/format.h>
#include <limits>
#include <memory>
#include <numeric>
#include <set>
#include <span>
#include <unordered_map>

#include "parallel.h"
#include "safetywash/error.h"
#include "safetywash/pca.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Tables of fewer cells are analyzed on one thread: starting threads costs
// more than a small table's whole analysis.
constexpr std::size_t kParallelCells = 200'000;
constexpr std::size_t kMinCapabilityModels = 3;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'x'?)" for the closest of `candidates`, when it is close.
std::string suggestion(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : candidates) {
    std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = &candidate;
    }
  }
  if (best == nullptr || best_distance > std::max<std::size_t>(2, name.size() / 3)) return "";
  return fmt::format("; did you mean '{}'?", *best);
}

std::string ascii_lower_copy(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::span<const double> column_values(const ScoreTable& table, std::size_t column) {
  auto c = static_cast<Eigen::Index>(column);
  return {table.scores.col(c).data(), static_cast<std::size_t>(table.scores.rows())};
}

// The table after orientation, with the compute column resolved.
struct Prepared {
  ScoreTable table;
  std::vector<bool> negated;  // per benchmark column
  std::optional<std::string> compute_column;
  std::vector<double> compute;  // per model, NaN when missing
  bool check_compute = true;    // reject non-positive compute values
};

std::size_t resolve_benchmark(const ScoreTable& table, const std::string& name,
                              std::string_view option) {
  if (auto index = table.find_benchmark(name)) return *index;
  if (table.find_attribute(name) != nullptr) {
    throw InputError(fmt::format("{}: column '{}' given to {} is a model attribute, not a "
                                 "benchmark",
                                 table.source, name, option));
  }
  throw InputError(fmt::format("{}: no benchmark column '{}' (from {}){}", table.source, name,
                               option, suggestion(name, table.benchmarks)));
}

void resolve_compute(Prepared& prepared, const AnalysisOptions& options, Warnings& warnings) {
  ScoreTable& table = prepared.table;
  const Attribute* attribute = nullptr;
  if (options.compute) {
    if (auto index = table.find_benchmark(*options.compute)) {
      warnings.push_back(fmt::format("column '{}' is used as training compute (--compute), so "
                                     "it is not analyzed as a benchmark",
                                     *options.compute));
      table.make_attribute(*index);
      prepared.negated.erase(prepared.negated.begin() + static_cast<std::ptrdiff_t>(*index));
    }
    attribute = table.find_attribute(*options.compute);
    if (attribute == nullptr && ascii_lower_copy(*options.compute) == "model") {
      throw InputError(fmt::format("{}: column '{}' contains the model ids; --compute needs a "
                                   "column of FLOP counts",
                                   table.source, *options.compute));
    }
    if (attribute == nullptr) {
      std::vector<std::string> names;
      for (const Attribute& a : table.attributes) names.push_back(a.name);
      throw InputError(fmt::format("{}: no column '{}' (from --compute){}", table.source,
                                   *options.compute, suggestion(*options.compute, names)));
    }
    if (!attribute->numeric) {
      throw InputError(fmt::format("{}: column '{}' given to --compute contains text, not "
                                   "numbers; name a column of FLOP counts",
                                   table.source, attribute->name));
    }
  } else {
    std::vector<std::string> candidates;
    for (const Attribute& a : table.attributes) {
      if (!a.numeric || !is_compute_name(a.name)) continue;
      if (attribute == nullptr) attribute = &a;
      candidates.push_back(a.name);
    }
    if (candidates.size() > 1) {
      warnings.push_back(fmt::format("several compute columns ({}); using '{}', choose another "
                                     "with --compute",
                                     fmt::join(candidates, ", "), candidates.front()));
    }
  }
  if (attribute == nullptr) return;
  if (!prepared.check_compute) {
    prepared.compute_column = attribute->name;
    prepared.compute = attribute->values;
    return;
  }
  for (std::size_t i = 0; i < attribute->values.size(); ++i) {
    double v = attribute->values[i];
    if (!std::isnan(v) && v <= 0) {
      throw InputError(fmt::format("{}:{}:{}: compute value {} for model '{}' is not positive; "
                                   "training compute is a FLOP count above 0 (leave the cell "
                                   "empty if unknown)",
                                   table.source, table.model_lines[i], attribute->position, v,
                                   table.models[i]));
    }
  }
  prepared.compute_column = attribute->name;
  prepared.compute = attribute->values;
}

// Resolves compute and negates lower-is-better columns. The direction a
// source states (lm-evaluation-harness) wins over the registry's.
// Takes the table by value so that a caller done with it can move it in
// rather than hold two copies of a large score matrix.
Prepared prepare(ScoreTable table, const Registry& registry, const AnalysisOptions& options,
                 Warnings& warnings, bool check_compute = true) {
  std::vector<bool> negated(table.benchmarks.size(), false);
  Prepared prepared{std::move(table), std::move(negated), {}, {}, check_compute};
  resolve_compute(prepared, options, warnings);
  ScoreTable& t = prepared.table;
  for (std::size_t j = 0; j < t.benchmarks.size(); ++j) {
    const BenchmarkInfo* info = registry.find(t.benchmarks[j]);
    bool higher_is_better = info == nullptr || info->higher_is_better;
    if (auto stated = t.higher_is_better.find(t.benchmarks[j]); stated != t.higher_is_better.end()) {
      higher_is_better = stated->second;
    }
    if (!higher_is_better) {
      auto c = static_cast<Eigen::Index>(j);
      t.scores.col(c) = -t.scores.col(c);
      prepared.negated[j] = true;
    }
  }
  prepared.compute.resize(t.models.size(), kNaN);
  return prepared;
}

// Capability columns in table order, from the option or the registry.
std::vector<std::size_t> select_capabilities(const ScoreTable& table, const Registry& registry,
                                             const AnalysisOptions& options) {
  std::set<std::size_t> chosen;
  if (!options.capabilities.empty()) {
    for (const std::string& name : options.capabilities) {
      chosen.insert(resolve_benchmark(table, name, "--capabilities"));
    }
  } else {
    for (std::size_t j = 0; j < table.benchmarks.size(); ++j) {
      const BenchmarkInfo* info = registry.find(table.benchmarks[j]);
      if (info != nullptr && info->role == Role::Capability) chosen.insert(j);
    }
  }
  return {chosen.begin(), chosen.end()};
}

std::string too_few_capabilities_message(const ScoreTable& table, std::size_t usable,
                                         const std::vector<std::string>& skipped) {
  std::string message = fmt::format(
      "{}: {} usable capability benchmark(s); the capabilities score needs at least 2",
      table.source, usable);
  if (!skipped.empty()) {
    message += fmt::format(" (skipped as constant: {})", fmt::join(skipped, ", "));
  }
  message += "; name them with --capabilities";
  if (table.benchmarks.size() >= 2) {
    message += fmt::format(", e.g. --capabilities {},{}", table.benchmarks[0],
                           table.benchmarks[1]);
  }
  constexpr std::size_t kShown = 8;
  if (!table.benchmarks.empty()) {
    std::size_t shown = std::min(kShown, table.benchmarks.size());
    message += fmt::format(
        " (benchmark columns: {}{})",
        fmt::join(table.benchmarks.begin(), table.benchmarks.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
        table.benchmarks.size() > shown ? ", ..." : "");
  }
  return message;
}

struct Fit {
  std::vector<std::size_t> capabilities;  // usable columns
  std::optional<std::size_t> anchor;      // position in `capabilities`
  std::vector<std::size_t> skipped;       // constant capability columns
  CapabilitiesComponent component;
  std::vector<double> score_by_model;     // NaN for models without a score
  CapabilitiesSummary summary;
};

bool has_all(const ScoreTable& table, std::size_t model, const std::vector<std::size_t>& cols) {
  for (std::size_t c : cols) {
    if (std::isnan(table.scores(static_cast<Eigen::Index>(model), static_cast<Eigen::Index>(c))))
      return false;
  }
  return true;
}

ComponentOptions component_options(const AnalysisOptions& options) {
  ComponentOptions component;
  component.matrix = options.pca_matrix.value_or(pca_matrix_for(options.method));
  component.missing = options.missing;
  component.impute_rank = options.impute_rank;
  component.score = options.score;
  component.components = options.components;
  return component;
}

// Drops capability columns that are constant over all their values, then,
// under the complete-case rule, those constant over the models with every
// remaining capability value.
void drop_constant_capabilities(const ScoreTable& table, Fit& fit, MissingPolicy missing,
                                Warnings& warnings) {
  std::vector<std::size_t> usable;
  for (std::size_t c : fit.capabilities) {
    if (is_constant_column(table.scores.col(static_cast<Eigen::Index>(c)))) {
      fit.skipped.push_back(c);
      bool empty = table.scores.col(static_cast<Eigen::Index>(c)).array().isNaN().all();
      warnings.push_back(fmt::format("capability benchmark '{}' {}; it is left out of the "
                                     "capabilities score",
                                     table.benchmarks[c],
                                     empty ? "has no values" : "has the same value for every model"));
    } else {
      usable.push_back(c);
    }
  }
  bool changed = missing == MissingPolicy::Complete;
  while (changed && usable.size() >= 2) {
    changed = false;
    std::vector<Eigen::Index> complete;
    for (std::size_t i = 0; i < table.models.size(); ++i) {
      if (has_all(table, i, usable)) complete.push_back(static_cast<Eigen::Index>(i));
    }
    for (std::size_t k = 0; k < usable.size() && !complete.empty(); ++k) {
      auto column = table.scores.col(static_cast<Eigen::Index>(usable[k]));
      double first = column(complete.front());
      bool constant = std::all_of(complete.begin(), complete.end(),
                                  [&](Eigen::Index i) { return column(i) == first; });
      if (constant) {
        warnings.push_back(fmt::format(
            "capability benchmark '{}' has the same value for every model with all capability "
            "values; it is left out of the capabilities score",
            table.benchmarks[usable[k]]));
        fit.skipped.push_back(usable[k]);
        usable.erase(usable.begin() + static_cast<std::ptrdiff_t>(k));
        changed = true;
        break;
      }
    }
  }
  fit.capabilities = usable;
}

Fit fit_component(const ScoreTable& table, const Registry& registry,
                  const AnalysisOptions& options, Warnings& warnings) {
  Fit fit;
  fit.capabilities = select_capabilities(table, registry, options);
  drop_constant_capabilities(table, fit, options.missing, warnings);
  if (fit.capabilities.size() < 2) {
    std::vector<std::string> skipped;
    for (std::size_t c : fit.skipped) skipped.push_back(table.benchmarks[c]);
    throw InputError(too_few_capabilities_message(table, fit.capabilities.size(), skipped));
  }

  auto rows = static_cast<Eigen::Index>(table.models.size());
  Eigen::MatrixXd values(rows, static_cast<Eigen::Index>(fit.capabilities.size()));
  bool large = table.models.size() * fit.capabilities.size() >= kParallelCells;
  for_each_index(fit.capabilities.size(), large ? options.threads : 1, [&](std::size_t k) {
    values.col(static_cast<Eigen::Index>(k)) =
        table.scores.col(static_cast<Eigen::Index>(fit.capabilities[k]));
  });
  CapabilitiesSummary& summary = fit.summary;
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    std::vector<std::string> lacking;
    for (std::size_t c : fit.capabilities) {
      if (std::isnan(table.scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c))))
        lacking.push_back(table.benchmarks[c]);
    }
    // Imputation keeps every model; pairwise scoring keeps every model with
    // at least one capability value.
    bool excluded = options.missing == MissingPolicy::Complete
                        ? !lacking.empty()
                        : options.missing == MissingPolicy::Pairwise &&
                              lacking.size() == fit.capabilities.size();
    if (excluded) summary.excluded_models.emplace_back(table.models[i], lacking);
  }
  std::size_t kept = table.models.size() - summary.excluded_models.size();
  if (kept < kMinCapabilityModels) {
    throw InputError(fmt::format(
        "{}: only {} model(s) have {} capability benchmark; the capabilities score needs at "
        "least {} (choose other benchmarks with --capabilities{})",
        table.source, kept,
        options.missing == MissingPolicy::Complete ? "a value for every" : "a value for a",
        kMinCapabilityModels,
        options.missing == MissingPolicy::Complete ? ", or keep models with --missing impute"
                                                   : ""));
  }
  if (!summary.excluded_models.empty()) {
    std::vector<std::string> parts;
    for (const auto& [model, lacking] : summary.excluded_models) {
      parts.push_back(fmt::format("{} (no {})", model, fmt::join(lacking, ", ")));
    }
    warnings.push_back(fmt::format("{} model(s) lack a capability benchmark and get no "
                                   "capabilities score: {}",
                                   summary.excluded_models.size(), fmt::join(parts, "; ")));
  }

  ComponentOptions component = component_options(options);
  if (table.models.size() * fit.capabilities.size() >= kParallelCells) {
    component.threads = options.threads;
  }
  if (options.anchor) {
    auto it = std::find_if(fit.capabilities.begin(), fit.capabilities.end(),
                           [&](std::size_t c) { return table.benchmarks[c] == *options.anchor; });
    if (it == fit.capabilities.end()) {
      std::vector<std::string> names;
      for (std::size_t c : fit.capabilities) names.push_back(table.benchmarks[c]);
      throw InputError(fmt::format("--anchor '{}' is not a usable capability benchmark{}",
                                   *options.anchor, suggestion(*options.anchor, names)));
    }
    component.anchor = static_cast<std::size_t>(it - fit.capabilities.begin());
    fit.anchor = component.anchor;
  }
  if (component.components > fit.capabilities.size()) {
    throw UsageError(fmt::format("--components {} exceeds the number of capability benchmarks "
                                 "({})",
                                 component.components, fit.capabilities.size()));
  }
  for (std::size_t c : fit.capabilities) component.names.push_back(table.benchmarks[c]);
  fit.component = fit_capabilities_component(values, component);
  summary.pca_matrix = component.matrix;
  summary.missing = component.missing;
  summary.score = component.score;
  summary.anchor = options.anchor;
  summary.anchor_disagrees = fit.component.anchor_disagrees;
  summary.repaired = fit.component.repaired;
  if (fit.component.anchor_disagrees) {
    warnings.push_back(fmt::format("--anchor {} flipped the sign of the capabilities component "
                                   "against the default rule (largest loading positive)",
                                   *options.anchor));
  }
  const Eigen::VectorXd& values_found = fit.component.eigenvalues;
  if (values_found.size() > 1 &&
      std::abs(values_found(0) - values_found(1)) <= 1e-9 * std::abs(values_found(0))) {
    warnings.push_back(fmt::format(
        "the two largest eigenvalues of the capability matrix are equal ({:.6g}), so the first "
        "component is not unique; the one reported is the eigen solver's choice, which depends "
        "on the order of the capability columns in the table",
        values_found(0)));
  }
  if (fit.component.repaired) {
    warnings.push_back("the pairwise correlation matrix of the capability benchmarks was not "
                       "positive semi-definite; its negative eigenvalues were set to 0");
  }
  for (Eigen::Index r = 0; r < fit.component.matrix.rows(); ++r) {
    const Eigen::MatrixXd& m = fit.component.matrix;
    summary.matrix.emplace_back();
    for (Eigen::Index c = 0; c < m.cols(); ++c) summary.matrix.back().push_back(m(r, c));
  }
  for (Eigen::Index c = 0; c < fit.component.components.cols(); ++c) {
    const auto& column = fit.component.components.col(c);
    summary.components.emplace_back(column.data(), column.data() + column.size());
  }
  if (fit.component.imputation) {
    const Imputation& imputation = *fit.component.imputation;
    for (std::size_t k = 0; k < imputation.cells.size(); ++k) {
      auto [row, column] = imputation.cells[k];
      summary.imputed.push_back({table.models[row], table.benchmarks[fit.capabilities[column]],
                                 imputation.values[k]});
    }
    summary.impute_iterations = imputation.iterations;
    summary.impute_converged = imputation.converged;
    if (!imputation.cells.empty()) {
      warnings.push_back(fmt::format(
          "imputed {} missing capability value(s) in {} iteration(s){}", imputation.cells.size(),
          imputation.iterations,
          imputation.converged ? "" : " without converging (changes stayed above 1e-10)"));
    }
  }
  fit.score_by_model.assign(table.models.size(), kNaN);
  for (std::size_t r = 0; r < fit.component.models.size(); ++r) {
    std::size_t model = fit.component.models[r];
    double score = fit.component.scores(static_cast<Eigen::Index>(r));
    if (std::isnan(score)) continue;
    fit.score_by_model[model] = score;
    summary.models.push_back(table.models[model]);
    summary.scores.push_back(score);
  }
  for (std::size_t k = 0; k < fit.capabilities.size(); ++k) {
    summary.benchmarks.push_back(table.benchmarks[fit.capabilities[k]]);
    summary.loadings.push_back(fit.component.loadings(static_cast<Eigen::Index>(k)));
  }
  const Eigen::VectorXd& eigenvalues = fit.component.eigenvalues;
  summary.eigenvalues.assign(eigenvalues.data(), eigenvalues.data() + eigenvalues.size());
  summary.explained_variance = fit.component.explained_variance;
  return fit;
}

// A variable to correlate with others over the models both have. For
// Spearman its present values are sorted once, so that the score and
// compute, which every benchmark is correlated with, are not sorted again
// for each benchmark.
struct Variable {
  Variable(Method method, std::span<const double> v) : values(v) {
    if (method == Method::Spearman) sorted.emplace(v);
  }
  // A variable whose values were sorted before; `sorted` must then hold
  // them for Spearman.
  Variable(std::span<const double> v, std::optional<SortedVariable> sorted_before)
      : values(v), sorted(std::move(sorted_before)) {}
  std::span<const double> values;
  std::optional<SortedVariable> sorted;
};

// The entries of each variable over the models where all of them are
// present, in model order; for Spearman, their average ranks within those
// models. Ranking within the subset gives the same numbers as ranking the
// subset's values from scratch.
std::vector<std::vector<double>> complete_cases(std::initializer_list<const Variable*> variables) {
  std::size_t n = (*variables.begin())->values.size();
  std::vector<std::uint8_t> keep(n, 1);
  for (const Variable* variable : variables) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(variable->values[i])) keep[i] = 0;
    }
  }
  std::size_t count = static_cast<std::size_t>(std::count(keep.begin(), keep.end(), 1));
  std::vector<std::vector<double>> out;
  std::vector<double> ranks;
  for (const Variable* variable : variables) {
    std::span<const double> source = variable->values;
    if (variable->sorted) {
      ranks.assign(n, kNaN);
      variable->sorted->subset_ranks(keep, ranks);
      source = ranks;
    }
    std::vector<double>& column = out.emplace_back();
    column.reserve(count);
    for (std::size_t i = 0; i < n; ++i) {
      if (keep[i]) column.push_back(source[i]);
    }
  }
  return out;
}

// A test's result over n pairs, with undefined values left empty.
CorrelationSummary summarize(std::size_t n, const CorrelationTest& test) {
  CorrelationSummary summary;
  summary.n = n;
  if (!std::isnan(test.r)) summary.r = test.r;
  if (!std::isnan(test.p)) summary.p = test.p;
  summary.p_method = test.p_method;
  return summary;
}

// Tests the first two columns of complete_cases' result.
CorrelationSummary test_pairs(Method method, const std::vector<std::vector<double>>& pairs) {
  CorrelationTest test = method == Method::Spearman
                             ? test_spearman_ranks(pairs[0], pairs[1])
                             : test_correlation(method, pairs[0], pairs[1]);
  return summarize(pairs[0].size(), test);
}

// Correlates `values` with `target` over the models that have both.
CorrelationSummary correlate_pairs(Method method, const Variable& values, const Variable& target) {
  return test_pairs(method, complete_cases({&values, &target}));
}

// Number of models where both variables are present.
std::size_t count_pairs(const Variable& a, const Variable& b) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    count += !std::isnan(a.values[i]) && !std::isnan(b.values[i]) ? 1 : 0;
  }
  return count;
}

// Partial correlations of a benchmark over the models with a value, a score
// and compute (the columns of complete_cases' result): with the score given
// compute, and with compute given the score.
// Partial correlations over n models, from the pairwise coefficients of a
// benchmark x, the score s and compute c: with the score given compute, and
// with compute given the score.
void set_partial_correlations(std::size_t n, double r_xs, double r_xc, double r_sc,
                              BenchmarkResult& entry) {
  entry.capabilities_given_compute.n = entry.compute_given_capabilities.n = n;
  if (n < 4) return;
  auto fill = [&](CorrelationSummary& summary, double r) {
    if (std::isnan(r)) return;
    summary.r = r;
    double p = partial_correlation_p(r, n);
    if (!std::isnan(p)) summary.p = p;
    summary.p_method = PValueMethod::StudentT;
  };
  fill(entry.capabilities_given_compute, partial_correlation(r_xs, r_xc, r_sc));
  fill(entry.compute_given_capabilities, partial_correlation(r_xc, r_xs, r_sc));
}

void add_partial_correlations(Method method, const std::vector<std::vector<double>>& triples,
                              BenchmarkResult& entry) {
  const std::vector<double> &x = triples[0], &s = triples[1], &c = triples[2];
  if (x.size() < 4) {
    set_partial_correlations(x.size(), kNaN, kNaN, kNaN, entry);
    return;
  }
  // Spearman's entries are ranks already.
  auto coefficient = [method](const std::vector<double>& a, const std::vector<double>& b) {
    return method == Method::Spearman ? spearman_from_ranks(a, b) : correlation(method, a, b);
  };
  set_partial_correlations(x.size(), coefficient(x, s), coefficient(x, c), coefficient(s, c),
                           entry);
}

// Computes Spearman's correlations of a benchmark x with the score s and
// compute c, and the partial correlations, when every model with a value
// of x also has a score and compute. The three pairings then share one set
// of models, so one pass of exact integer sums over doubled ranks gives
// every coefficient. Returns false, leaving `entry` as it was, for other
// tables and for too few or too many models, which take the general path.
bool spearman_three_ways(const Variable& x, const Variable& s, const Variable& c,
                         BenchmarkResult& entry) {
  std::size_t size = x.values.size(), n = 0;
  std::vector<std::uint8_t> keep(size);
  bool lacking = false;  // a model with a value lacks the score or compute
  for (std::size_t i = 0; i < size; ++i) {
    bool present = !std::isnan(x.values[i]);
    bool both = !std::isnan(s.values[i]) & !std::isnan(c.values[i]);
    lacking |= present & !both;
    keep[i] = present ? 1 : 0;
    n += present ? 1 : 0;
  }
  if (lacking) return false;
  if (n > kMaxRankSumPairs) return false;
  // The walks leave the entries of NaN values unwritten, and the sums take
  // 0 outside the kept models, so the buffers need no zeroing. Doubled
  // ranks are non-negative and below 2^31, so their products are taken
  // unsigned, which the compiler can vectorize.
  auto ranks = std::make_unique_for_overwrite<std::int32_t[]>(3 * size);
  std::span<std::int32_t> rx(ranks.get(), size), rs(ranks.get() + size, size),
      rc(ranks.get() + 2 * size, size);
  x.sorted->subset_doubled_ranks(keep, rx);
  s.sorted->subset_doubled_ranks(keep, rs);
  c.sorted->subset_doubled_ranks(keep, rc);
  std::uint64_t xs = 0, xc = 0, sc = 0, xx = 0, ss = 0, cc = 0;
  for (std::size_t i = 0; i < size; ++i) {
    bool selected = keep[i] != 0;
    std::uint64_t a = selected ? static_cast<std::uint32_t>(rx[i]) : 0;
    std::uint64_t b = selected ? static_cast<std::uint32_t>(rs[i]) : 0;
    std::uint64_t d = selected ? static_cast<std::uint32_t>(rc[i]) : 0;
    xs += a * b, xc += a * d, sc += b * d;
    xx += a * a, ss += b * b, cc += d * d;
  }
  auto sum = [](std::uint64_t value) { return static_cast<std::int64_t>(value); };
  std::optional<CorrelationTest> with_score = test_spearman_sums(n, sum(xs), sum(xx), sum(ss));
  std::optional<CorrelationTest> with_compute =
      test_spearman_sums(n, sum(xc), sum(xx), sum(cc));
  if (!with_score || !with_compute) return false;  // few models: exact p-values
  entry.capabilities = summarize(n, *with_score);
  entry.compute = summarize(n, *with_compute);
  set_partial_correlations(n, with_score->r, with_compute->r,
                           spearman_from_sums(n, sum(sc), sum(ss), sum(cc)), entry);
  return true;
}

// Adjusts the p-values of the reported (non-capability) benchmarks.
void adjust_reported(AnalysisResult& result, Adjustment adjustment) {
  for (auto member : {&BenchmarkResult::capabilities, &BenchmarkResult::compute}) {
    std::vector<double> p;
    std::vector<CorrelationSummary*> targets;
    for (BenchmarkResult& b : result.benchmarks) {
      CorrelationSummary& summary = b.*member;
      if (b.role != Role::Safety || !summary.p) continue;
      p.push_back(*summary.p);
      targets.push_back(&summary);
    }
    std::vector<double> adjusted = adjust_p_values(p, adjustment);
    for (std::size_t k = 0; k < targets.size(); ++k) targets[k]->p_adjusted = adjusted[k];
  }
}

Eigen::MatrixXd select_columns(const ScoreTable& table, const std::vector<std::size_t>& columns) {
  Eigen::MatrixXd out(table.scores.rows(), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t k = 0; k < columns.size(); ++k) {
    out.col(static_cast<Eigen::Index>(k)) = table.scores.col(static_cast<Eigen::Index>(columns[k]));
  }
  return out;
}

// Everything a refit on a subset or resample of models needs.
BootstrapData refit_data(const ScoreTable& table, const Fit& fit,
                         const std::vector<std::size_t>& columns,
                         const std::vector<double>& compute, const AnalysisOptions& options) {
  BootstrapData data;
  data.method = options.method;
  data.component = component_options(options);
  data.component.anchor = fit.anchor;
  data.component.components = 1;
  data.capabilities = select_columns(table, fit.capabilities);
  data.benchmarks = select_columns(table, columns);
  data.compute = compute;
  return data;
}

// Range of each benchmark's capabilities correlation over refits on
// `row_sets`, as min and max of the defined values.
std::vector<RefitRange> refit_ranges(const BootstrapData& data,
                                     const std::vector<std::vector<std::size_t>>& row_sets) {
  std::vector<std::vector<double>> values = refit_correlations(data, row_sets);
  std::vector<RefitRange> ranges(static_cast<std::size_t>(data.benchmarks.cols()));
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    RefitRange& range = ranges[j];
    range.min = std::numeric_limits<double>::infinity();
    range.max = -std::numeric_limits<double>::infinity();
    for (const auto& refit : values) {
      double r = refit[j];
      if (std::isnan(r)) {
        ++range.undefined;
        continue;
      }
      ++range.refits;
      range.min = std::min(range.min, r);
      range.max = std::max(range.max, r);
    }
    if (range.refits == 0) range.min = range.max = kNaN;
    range.risk_changes = range.refits > 0 && risk_label(range.min) != risk_label(range.max);
  }
  return ranges;
}

void apply_bootstrap(const ScoreTable& table, const Fit& fit,
                     const std::vector<std::size_t>& columns, const std::vector<double>& compute,
                     const AnalysisOptions& options, AnalysisResult& result,
                     std::vector<BenchmarkResult*>& entries) {
  BootstrapData data = refit_data(table, fit, columns, compute, options);
  std::vector<double> estimates_capabilities, estimates_compute;
  for (BenchmarkResult* entry : entries) {
    estimates_capabilities.push_back(entry->capabilities.r.value_or(kNaN));
    estimates_compute.push_back(entry->compute.r.value_or(kNaN));
  }

  BootstrapSettings settings;
  settings.resamples = options.bootstrap;
  settings.seed = options.seed;
  settings.threads = options.threads;
  settings.confidence = options.confidence;
  settings.interval = options.bootstrap_interval;
  settings.progress = options.progress;
  BootstrapResult boot =
      bootstrap_correlations(data, estimates_capabilities, estimates_compute, settings);
  result.failed_fits = boot.failed_fits;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    for (auto [summary, estimate] :
         {std::pair{&entries[k]->capabilities, &boot.capabilities[k]},
          std::pair{&entries[k]->compute, &boot.compute[k]}}) {
      summary->interval = estimate->interval;
      summary->interval_method =
          estimate->interval ? std::string(bootstrap_interval_name(estimate->kind)) : "";
      summary->bootstrap_defined = estimate->defined;
      summary->bootstrap_undefined = estimate->undefined;
    }
  }
  if (boot.failed_fits > 0) {
    result.warnings.push_back(fmt::format(
        "{} of {} bootstrap resamples could not refit the capabilities score (a capability "
        "benchmark was constant or fewer than 3 models were complete); they count as "
        "undefined",
        boot.failed_fits, options.bootstrap));
  }
}

// Sums terms(i), an array of Count values, over i < n. Each of the Count
// sums is kept as four partial sums over every fourth i, added pairwise at
// the end. Four chains of additions keep the processor busy where a single
// chain waits on each addition, and the result depends only on the terms.
template <std::size_t Count, typename Terms>
std::array<double, Count> sum_terms(std::size_t n, Terms terms) {
  std::array<std::array<double, Count>, 4> parts{};
  auto add = [&](std::array<double, Count>& part, std::size_t i) {
    std::array<double, Count> term = terms(i);
    for (std::size_t k = 0; k < Count; ++k) part[k] += term[k];
  };
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    add(parts[0], i);
    add(parts[1], i + 1);
    add(parts[2], i + 2);
    add(parts[3], i + 3);
  }
  for (; i < n; ++i) add(parts[i % 4], i);
  std::array<double, Count> total{};
  for (std::size_t k = 0; k < Count; ++k) {
    total[k] = (parts[0][k] + parts[1][k]) + (parts[2][k] + parts[3][k]);
  }
  return total;
}

// z-scores of the present values (population SD); empty when constant.
// The sums take 0.0 for NaN instead of branching, which leaves them as
// they would be without the NaN entries.
std::vector<double> z_scores(std::span<const double> values) {
  auto [sum, count] = sum_terms<2>(values.size(), [&](std::size_t i) {
    bool present = !std::isnan(values[i]);
    return std::array<double, 2>{present ? values[i] : 0.0, present ? 1.0 : 0.0};
  });
  if (count == 0) return {};
  double mean = sum / count;
  auto [squares] = sum_terms<1>(values.size(), [&](std::size_t i) {
    double d = std::isnan(values[i]) ? 0.0 : values[i] - mean;
    return std::array<double, 1>{d * d};
  });
  double sd = std::sqrt(squares / count);
  if (!(sd > 0)) return {};
  std::vector<double> z(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) z[i] = (values[i] - mean) / sd;  // NaN stays
  return z;
}

// Ordinary least squares of z on the score, with intercept, over the models
// that have both. As in z_scores, models without both add 0.0.
std::optional<Regression> regress_on_score(const std::vector<double>& z,
                                           const std::vector<double>& score) {
  auto [sum_z, sum_s, count] = sum_terms<3>(z.size(), [&](std::size_t i) {
    bool both = !std::isnan(z[i]) && !std::isnan(score[i]);
    return std::array<double, 3>{both ? z[i] : 0.0, both ? score[i] : 0.0, both ? 1.0 : 0.0};
  });
  if (count < 3) return std::nullopt;
  double mean_z = sum_z / count, mean_s = sum_s / count;
  auto [sxy, sxx, syy] = sum_terms<3>(z.size(), [&](std::size_t i) {
    bool both = !std::isnan(z[i]) && !std::isnan(score[i]);
    double dx = both ? score[i] - mean_s : 0.0, dy = both ? z[i] - mean_z : 0.0;
    return std::array<double, 3>{dx * dy, dx * dx, dy * dy};
  });
  if (!(sxx > 0) || !(syy > 0)) return std::nullopt;
  Regression fit;
  fit.n = static_cast<std::size_t>(count);
  fit.slope = sxy / sxx;
  fit.intercept = mean_z - fit.slope * mean_s;
  fit.r_squared = std::min(1.0, sxy * sxy / (sxx * syy));
  return fit;
}

// Leave-one-family-out row sets; models without a family stay in every set.
std::vector<std::vector<std::size_t>> family_row_sets(const ScoreTable& table,
                                                      const std::string& column,
                                                      Warnings& warnings) {
  const Attribute* attribute = table.find_attribute(column);
  std::optional<std::size_t> benchmark = table.find_benchmark(column);
  if (attribute == nullptr && !benchmark) {
    std::vector<std::string> names;
    for (const Attribute& a : table.attributes) names.push_back(a.name);
    throw InputError(fmt::format("{}: no column '{}' (from --by-family){}", table.source, column,
                                 suggestion(column, names)));
  }
  std::vector<std::string> family(table.models.size());
  for (std::size_t i = 0; i < table.models.size(); ++i) {
    double v = attribute != nullptr
                   ? (attribute->numeric ? attribute->values[i] : kNaN)
                   : table.scores(static_cast<Eigen::Index>(i),
                                  static_cast<Eigen::Index>(*benchmark));
    if (attribute != nullptr && !attribute->numeric) {
      family[i] = attribute->text[i];
    } else if (!std::isnan(v)) {
      family[i] = fmt::format("{}", v);
    }
  }
  std::vector<std::string> names;
  std::size_t without = 0;
  for (const std::string& f : family) {
    if (f.empty()) {
      ++without;
    } else if (std::find(names.begin(), names.end(), f) == names.end()) {
      names.push_back(f);
    }
  }
  if (without > 0) {
    warnings.push_back(fmt::format("{} model(s) have no family in column '{}' and stay in every "
                                   "leave-one-family-out refit",
                                   without, column));
  }
  std::vector<std::vector<std::size_t>> sets;
  for (const std::string& name : names) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < family.size(); ++i) {
      if (family[i] != name) rows.push_back(i);
    }
    sets.push_back(std::move(rows));
  }
  return sets;
}

// Correlation of each capability benchmark with a score refit without it.

// A square matrix without row and column k.
Eigen::MatrixXd without_row_and_column(const Eigen::MatrixXd& matrix, std::size_t k) {
  std::vector<Eigen::Index> keep;
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    if (i != static_cast<Eigen::Index>(k)) keep.push_back(i);
  }
  return matrix(keep, keep);
}

// `sorted` holds, by table column, the Spearman ordering of each capability
// column, which the refits take over.
void add_excluding_self(const ScoreTable& table, const Fit& fit, const AnalysisOptions& options,
                        std::vector<BenchmarkResult*>& capability_entries,
                        std::vector<std::optional<SortedVariable>>& sorted) {
  if (fit.capabilities.size() < 3) return;  // refits need at least 2 benchmarks
  // Without missing capability values every refit uses every model, so its
  // matrix is the full fit's matrix without the dropped benchmark, and its
  // z-scores are the full fit's.
  const Eigen::MatrixXd& z = fit.component.z;
  bool reuse_matrix = options.missing == MissingPolicy::Complete &&
                      fit.component.models.size() == table.models.size() &&
                      z.cols() == static_cast<Eigen::Index>(fit.capabilities.size()) &&
                      !z.hasNaN();
  bool large = table.models.size() * fit.capabilities.size() >= kParallelCells;
  std::vector<CorrelationSummary> summaries(fit.capabilities.size());
  auto refit = [&](std::size_t k) {
    ComponentOptions component = component_options(options);
    component.components = 1;
    if (fit.anchor && *fit.anchor != k) component.anchor = *fit.anchor - (*fit.anchor > k ? 1 : 0);
    std::vector<double> score(table.models.size(), kNaN);
    try {
      CapabilitiesComponent refit;
      if (reuse_matrix) {
        // The fit takes the z-scores of all capability columns, leaves out
        // the dropped one, and decomposes the matrix without its row and
        // column.
        component.known_matrix = without_row_and_column(fit.component.matrix, k);
        component.known_z = &z;
        component.skip_column = k;
        refit = fit_capabilities_component(z, component);
      } else {
        std::vector<std::size_t> others;
        for (std::size_t c : fit.capabilities) {
          if (c != fit.capabilities[k]) others.push_back(c);
        }
        refit = fit_capabilities_component(select_columns(table, others), component);
      }
      for (std::size_t r = 0; r < refit.models.size(); ++r) {
        score[refit.models[r]] = refit.scores(static_cast<Eigen::Index>(r));
      }
    } catch (const InputError&) {
      // The refit is undefined (a pairwise correlation without data); the
      // correlation stays empty.
    }
    std::size_t column = fit.capabilities[k];
    std::span<const double> values = column_values(table, column);
    summaries[k] = correlate_pairs(options.method,
                                   sorted[column] ? Variable(values, std::move(sorted[column]))
                                                  : Variable(options.method, values),
                                   Variable(options.method, score));
  };
  for_each_index(fit.capabilities.size(), large ? options.threads : 1, refit);
  for (std::size_t k = 0; k < fit.capabilities.size(); ++k) {
    for (BenchmarkResult* entry : capability_entries) {
      if (entry->info.id == table.benchmarks[fit.capabilities[k]]) {
        entry->capabilities_excluding_self = summaries[k];
      }
    }
  }
}

// Non-capability columns to report, in table order.
std::vector<std::size_t> select_reported(const ScoreTable& table, const Registry& registry,
                                         const AnalysisOptions& options,
                                         const std::set<std::size_t>& capability_columns,
                                         Warnings& warnings) {
  std::set<std::size_t> chosen;
  if (!options.safety.empty()) {
    for (const std::string& name : options.safety) {
      std::size_t index = resolve_benchmark(table, name, "--safety");
      if (!capability_columns.count(index)) {
        chosen.insert(index);
      } else {
        warnings.push_back(fmt::format("'{}' given to --safety is a capability benchmark; it "
                                       "is reported as part of the score, and --fail-above "
                                       "ignores it",
                                       name));
      }
    }
  } else {
    for (std::size_t j = 0; j < table.benchmarks.size(); ++j) {
      if (capability_columns.count(j)) continue;
      const BenchmarkInfo* info = registry.find(table.benchmarks[j]);
      if (info != nullptr && info->role == Role::Ignore) continue;
      chosen.insert(j);
    }
  }
  return {chosen.begin(), chosen.end()};
}

}  // namespace

std::string risk_label(double r) {
  if (r >= 0.7) return "high";
  if (r >= 0.4) return "moderate";
  return "low";
}

std::vector<AdjustedScore> adjusted_scores(const ScoreTable& input, const Registry& registry,
                                           const AnalysisOptions& options, Warnings& warnings) {
  AnalysisOptions plain = options;
  plain.bootstrap = 0;
  plain.jackknife = false;
  plain.family_column.reset();
  AnalysisResult result = analyze(input, registry, plain);
  warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());

  Warnings ignored;  // analyze() above already reported them
  Prepared prepared = prepare(input, registry, options, ignored);
  const ScoreTable& table = prepared.table;
  std::unordered_map<std::string_view, std::size_t> row_of;
  for (std::size_t i = 0; i < table.models.size(); ++i) row_of.emplace(table.models[i], i);
  std::vector<double> score(table.models.size(), kNaN);
  for (std::size_t k = 0; k < result.capabilities.models.size(); ++k) {
    score[row_of.at(result.capabilities.models[k])] = result.capabilities.scores[k];
  }

  std::vector<AdjustedScore> out;
  for (const BenchmarkResult& b : result.benchmarks) {
    if (b.role != Role::Safety || !b.regression) continue;
    std::size_t column = *table.find_benchmark(b.info.id);
    std::vector<double> z = z_scores(column_values(table, column));
    std::vector<AdjustedScore> rows;
    for (std::size_t i = 0; i < table.models.size(); ++i) {
      if (std::isnan(z[i]) || std::isnan(score[i])) continue;
      double predicted = b.regression->intercept + b.regression->slope * score[i];
      rows.push_back({table.models[i], b.info.id, z[i], predicted, z[i] - predicted, 0});
    }
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) {
      return rows[a].residual > rows[c].residual;
    });
    for (std::size_t k = 0; k < order.size(); ++k) rows[order[k]].rank = k + 1;
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

CapabilitiesSummary fit_capabilities(const ScoreTable& table, const Registry& registry,
                                     const AnalysisOptions& options, Warnings& warnings) {
  Prepared prepared = prepare(table, registry, options, warnings, false);
  return fit_component(prepared.table, registry, options, warnings).summary;
}

AnalysisResult analyze(ScoreTable input, const Registry& registry,
                       const AnalysisOptions& options) {
  AnalysisResult result;
  result.source = input.source;
  result.models = input.models.size();
  result.method = options.method;
  result.confidence = options.confidence;
  result.adjustment = options.adjustment;
  result.bootstrap = options.bootstrap;
  result.seed = options.seed;
  result.bootstrap_interval = options.bootstrap_interval;
  if (!(options.confidence > 0 && options.confidence < 1)) {
    throw UsageError(fmt::format("--confidence {} is outside (0, 1); use e.g. 0.95",
                                 options.confidence));
  }

  Prepared prepared = prepare(std::move(input), registry, options, result.warnings);
  const ScoreTable& table = prepared.table;
  result.compute_column = prepared.compute_column;
  for (double v : prepared.compute) result.compute_models += std::isnan(v) ? 0 : 1;
  if (!prepared.compute_column) {
    result.warnings.push_back("no compute column found, so compute correlations are not "
                              "reported; name one with --compute");
  }

  Fit fit = fit_component(table, registry, options, result.warnings);
  result.capabilities = std::move(fit.summary);

  std::set<std::size_t> capability_columns(fit.capabilities.begin(), fit.capabilities.end());
  capability_columns.insert(fit.skipped.begin(), fit.skipped.end());
  std::vector<std::size_t> order(capability_columns.begin(), capability_columns.end());
  std::vector<std::size_t> reported = select_reported(table, registry, options,
                                                      capability_columns, result.warnings);
  order.insert(order.end(), reported.begin(), reported.end());

  bool log_compute = options.method == Method::Pearson;
  std::vector<double> compute = prepared.compute;
  if (log_compute) {
    for (double& v : compute) v = std::log10(v);
  }
  unsigned threads = table.models.size() * order.size() >= kParallelCells ? options.threads : 1;
  // The score and compute are sorted side by side.
  std::array<std::optional<Variable>, 2> shared;
  for_each_index(2, threads, [&](std::size_t k) {
    shared[k].emplace(options.method, k == 0 ? std::span<const double>(fit.score_by_model)
                                             : std::span<const double>(compute));
  });
  const Variable& score_variable = *shared[0];
  const Variable& compute_variable = *shared[1];
  // Each benchmark's correlations depend only on its own column, so the
  // benchmarks are split among threads. Entries keep the table order, and
  // the output is the same for any thread count.
  std::vector<BenchmarkResult> computed(order.size());
  // The orderings of the capability columns, taken from the fit when it
  // sorted them and kept for the refits below.
  std::vector<std::optional<SortedVariable>> sorted_columns(table.benchmarks.size());
  if (options.method == Method::Spearman &&
      fit.component.orderings.size() == fit.capabilities.size()) {
    for (std::size_t k = 0; k < fit.capabilities.size(); ++k) {
      sorted_columns[fit.capabilities[k]] = std::move(fit.component.orderings[k]);
    }
  }
  auto analyze_column = [&](std::size_t k) {
    std::size_t column = order[k];
    BenchmarkResult& entry = computed[k];
    const std::string& id = table.benchmarks[column];
    const BenchmarkInfo* info = registry.find(id);
    entry.in_registry = info != nullptr;
    entry.info = info != nullptr ? *info
                                 : BenchmarkInfo{id, id, Role::Safety, true, "other", "", ""};
    entry.info.id = id;
    entry.role = capability_columns.count(column) ? Role::Capability : Role::Safety;
    entry.negated = prepared.negated[column];
    // The direction used, which a source such as lm-evaluation-harness may
    // state differently from the registry.
    entry.info.higher_is_better = !entry.negated;
    std::span<const double> values = column_values(table, column);
    std::size_t present = 0;
    for (double v : values) present += std::isnan(v) ? 0 : 1;
    entry.values = present;

    bool skipped_capability = std::find(fit.skipped.begin(), fit.skipped.end(), column) !=
                              fit.skipped.end();
    if (entry.values == 0) {
      entry.skipped = "no values";
    } else if (skipped_capability ||
               is_constant_column(table.scores.col(static_cast<Eigen::Index>(column)))) {
      entry.skipped = "constant";
    }
    if (entry.skipped) return;
    Variable variable = sorted_columns[column]
                            ? Variable(values, std::move(sorted_columns[column]))
                            : Variable(options.method, values);
    // Spearman over one shared set of models, the common case of a large
    // table, takes one pass of sums; other cases take the general path.
    bool summed = prepared.compute_column && options.method == Method::Spearman &&
                  spearman_three_ways(variable, score_variable, compute_variable, entry);
    if (summed) {
      // The correlations and partial correlations are set.
    } else if (prepared.compute_column) {
      // Usually every model with a value has a score and compute, and then
      // the three sets of models are one, ranked once.
      auto triples = complete_cases({&variable, &score_variable, &compute_variable});
      std::size_t n = triples[0].size();
      entry.capabilities = count_pairs(variable, score_variable) == n
                               ? test_pairs(options.method, {triples[0], triples[1]})
                               : correlate_pairs(options.method, variable, score_variable);
      entry.compute = count_pairs(variable, compute_variable) == n
                          ? test_pairs(options.method, {triples[0], triples[2]})
                          : correlate_pairs(options.method, variable, compute_variable);
      add_partial_correlations(options.method, triples, entry);
    } else {
      entry.capabilities = correlate_pairs(options.method, variable, score_variable);
    }
    for (std::size_t i = 0; options.points && i < values.size(); ++i) {
      if (std::isnan(values[i]) || std::isnan(fit.score_by_model[i])) continue;
      entry.points.push_back({table.models[i], fit.score_by_model[i], values[i]});
    }
    for (CorrelationSummary* summary : {&entry.capabilities, &entry.compute}) {
      if (!summary->r) continue;
      summary->interval = fisher_interval(options.method, *summary->r, summary->n,
                                          options.confidence);
      if (summary->interval) summary->interval_method = "fisher-z";
    }
    if (entry.role == Role::Safety && entry.capabilities.r) {
      entry.risk = risk_label(*entry.capabilities.r);
    }
    std::vector<double> z = z_scores(values);
    if (!z.empty()) entry.regression = regress_on_score(z, fit.score_by_model);
    if (entry.role == Role::Capability) sorted_columns[column] = std::move(variable.sorted);
  };
  for_each_index(order.size(), threads, analyze_column);

  std::vector<std::size_t> analyzed;  // columns with correlations, in result order
  std::vector<std::string> constant, empty;
  for (std::size_t k = 0; k < order.size(); ++k) {
    BenchmarkResult& entry = computed[k];
    bool skipped_capability = std::find(fit.skipped.begin(), fit.skipped.end(), order[k]) !=
                              fit.skipped.end();
    if (!entry.skipped) {
      analyzed.push_back(order[k]);
    } else if (entry.values == 0) {
      empty.push_back(entry.info.id);
    } else if (!skipped_capability) {
      constant.push_back(entry.info.id);
    }
    result.benchmarks.push_back(std::move(entry));
  }
  adjust_reported(result, options.adjustment);
  std::vector<BenchmarkResult*> entries, capability_entries;
  for (BenchmarkResult& b : result.benchmarks) {
    if (b.skipped) continue;
    entries.push_back(&b);
    if (b.role == Role::Capability) capability_entries.push_back(&b);
  }
  add_excluding_self(table, fit, options, capability_entries, sorted_columns);
  if (options.jackknife || options.family_column) {
    BootstrapData data = refit_data(table, fit, analyzed, compute, options);
    if (options.jackknife) {
      std::vector<std::vector<std::size_t>> sets;
      for (std::size_t left_out = 0; left_out < table.models.size(); ++left_out) {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < table.models.size(); ++i) {
          if (i != left_out) rows.push_back(i);
        }
        sets.push_back(std::move(rows));
      }
      std::vector<RefitRange> ranges = refit_ranges(data, sets);
      for (std::size_t k = 0; k < entries.size(); ++k) entries[k]->jackknife = ranges[k];
    }
    if (options.family_column) {
      std::vector<RefitRange> ranges =
          refit_ranges(data, family_row_sets(table, *options.family_column, result.warnings));
      for (std::size_t k = 0; k < entries.size(); ++k) entries[k]->by_family = ranges[k];
    }
  }
  if (options.bootstrap > 0) apply_bootstrap(table, fit, analyzed, compute, options, result, entries);
  if (!empty.empty()) {
    result.warnings.push_back(fmt::format("skipped {} benchmark(s) without any value: {}",
                                          empty.size(), fmt::join(empty, ", ")));
  }
  if (!constant.empty()) {
    result.warnings.push_back(fmt::format("skipped {} benchmark(s) with the same value for "
                                          "every model: {}",
                                          constant.size(), fmt::join(constant, ", ")));
  }
  return result;
}

}  // namespace safetywash
