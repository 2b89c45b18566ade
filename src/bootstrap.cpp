// SPDX-License-Identifier: MIT
// Bootstrap intervals that resample models and refit the capabilities score.
#include "safetywash/bootstrap.h"

#include <algorithm>
#include <atomic>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <limits>
#include <optional>
#include <span>
#include <thread>

#include "safetywash/error.h"
#include "safetywash/pca.h"
#include "safetywash/random.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Correlations of every benchmark in one resample (or jackknife sample).
struct SampleResult {
  bool fitted = false;
  std::vector<double> capabilities;  // NaN when undefined
  std::vector<double> compute;
};

Eigen::MatrixXd take_rows(const Eigen::MatrixXd& m, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), m.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.row(static_cast<Eigen::Index>(r)) = m.row(static_cast<Eigen::Index>(rows[r]));
  }
  return out;
}

// The capabilities component can be fit when every capability column varies
// over the complete rows and at least 3 rows are complete.
bool can_fit(const Eigen::MatrixXd& capabilities) {
  std::vector<Eigen::Index> complete;
  for (Eigen::Index i = 0; i < capabilities.rows(); ++i) {
    if (!capabilities.row(i).hasNaN()) complete.push_back(i);
  }
  if (complete.size() < 3) return false;
  for (Eigen::Index j = 0; j < capabilities.cols(); ++j) {
    double first = capabilities(complete.front(), j);
    bool varies = false;
    for (Eigen::Index i : complete) varies = varies || capabilities(i, j) != first;
    if (!varies) return false;
  }
  return true;
}

// Dense ranks of a variable: equal values share one rank in
// [0, distinct), and NaN gets -1.
struct DenseRanks {
  std::vector<int> rank;
  int distinct = 0;
};

DenseRanks dense_ranks(std::span<const double> values) {
  Ordering ordering = sorted_order(values);
  DenseRanks out;
  out.rank.assign(values.size(), -1);
  std::size_t next_tie = 0;
  for (std::size_t k = 0; k < ordering.order.size();) {
    // A run of equal values takes one rank.
    std::size_t end = k + 1;
    if (next_tie < ordering.ties.size() && ordering.ties[next_tie].first == k) {
      end = ordering.ties[next_tie++].second;
    }
    for (; k < end; ++k) out.rank[ordering.order[k]] = out.distinct;
    ++out.distinct;
  }
  return out;
}

// Dense ranks of every benchmark and of compute over all models, computed
// once per bootstrap so that a resample's Spearman ranks take counting
// instead of sorting.
struct RankedData {
  std::vector<DenseRanks> benchmarks;
  DenseRanks compute;
};

std::optional<RankedData> rank_data(const BootstrapData& data) {
  if (data.method != Method::Spearman) return std::nullopt;
  RankedData ranked;
  for (Eigen::Index j = 0; j < data.benchmarks.cols(); ++j) {
    const auto& column = data.benchmarks.col(j);
    ranked.benchmarks.push_back(dense_ranks({column.data(), static_cast<std::size_t>(column.size())}));
  }
  ranked.compute = dense_ranks(data.compute);
  return ranked;
}

// Spearman's rho over the sample positions where both dense ranks are
// present (a[r], b[r] >= 0), with average ranks found by counting: the same
// numbers as average_ranks of the values, in O(n + distinct). `scratch` is
// reused between calls to save allocations.
double spearman_by_counting(const std::vector<int>& a, int distinct_a, const std::vector<int>& b,
                            int distinct_b, std::vector<std::int64_t>& scratch) {
  scratch.assign(static_cast<std::size_t>(distinct_a + distinct_b), 0);
  std::int64_t* doubled_a = scratch.data();
  std::int64_t* doubled_b = scratch.data() + distinct_a;
  std::size_t n = 0;
  for (std::size_t r = 0; r < a.size(); ++r) {
    if (a[r] < 0 || b[r] < 0) continue;
    ++doubled_a[a[r]];
    ++doubled_b[b[r]];
    ++n;
  }
  if (n < 3) return kNaN;
  // A run of c equal values after `start` smaller ones has average rank
  // (start + 1 + start + c) / 2, so its doubled rank is 2 start + 1 + c.
  for (auto [doubled, distinct] : {std::pair{doubled_a, distinct_a}, std::pair{doubled_b, distinct_b}}) {
    std::int64_t start = 0;
    for (int g = 0; g < distinct; ++g) {
      std::int64_t count = doubled[g];
      doubled[g] = 2 * start + 1 + count;
      start += count;
    }
  }
  std::int64_t sum_ab = 0, sum_aa = 0, sum_bb = 0;
  for (std::size_t r = 0; r < a.size(); ++r) {
    if (a[r] < 0 || b[r] < 0) continue;
    std::int64_t x = doubled_a[a[r]], y = doubled_b[b[r]];
    sum_ab += x * y;
    sum_aa += x * x;
    sum_bb += y * y;
  }
  return spearman_from_sums(n, sum_ab, sum_aa, sum_bb);
}

// The dense ranks of `ranks` at the sampled rows.
std::vector<int> sampled(const DenseRanks& ranks, const std::vector<std::size_t>& rows) {
  std::vector<int> out(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) out[r] = ranks.rank[rows[r]];
  return out;
}

double correlate_present(Method method, const Eigen::MatrixXd& benchmarks, Eigen::Index column,
                         const std::vector<double>& target) {
  std::vector<double> x, y;
  for (Eigen::Index i = 0; i < benchmarks.rows(); ++i) {
    double v = benchmarks(i, column);
    double t = target[static_cast<std::size_t>(i)];
    if (std::isnan(v) || std::isnan(t)) continue;
    x.push_back(v);
    y.push_back(t);
  }
  if (x.size() < 3) return kNaN;
  return correlation(method, x, y);
}

SampleResult run_sample(const BootstrapData& data, const std::optional<RankedData>& ranked,
                        const std::vector<std::size_t>& rows) {
  SampleResult result;
  auto columns = static_cast<std::size_t>(data.benchmarks.cols());
  result.capabilities.assign(columns, kNaN);
  result.compute.assign(columns, kNaN);
  Eigen::MatrixXd benchmarks = take_rows(data.benchmarks, rows);

  std::vector<std::vector<int>> sampled_ranks;
  std::vector<std::int64_t> scratch;
  if (ranked) {
    std::vector<int> compute = sampled(ranked->compute, rows);
    for (std::size_t j = 0; j < columns; ++j) {
      sampled_ranks.push_back(sampled(ranked->benchmarks[j], rows));
      result.compute[j] = spearman_by_counting(sampled_ranks[j], ranked->benchmarks[j].distinct,
                                               compute, ranked->compute.distinct, scratch);
    }
  } else {
    std::vector<double> compute(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) compute[r] = data.compute[rows[r]];
    for (std::size_t j = 0; j < columns; ++j) {
      result.compute[j] = correlate_present(data.method, benchmarks, static_cast<Eigen::Index>(j),
                                            compute);
    }
  }

  Eigen::MatrixXd capabilities = take_rows(data.capabilities, rows);
  bool columns_vary = true;
  for (Eigen::Index j = 0; j < capabilities.cols(); ++j) {
    columns_vary = columns_vary && !is_constant_column(capabilities.col(j));
  }
  if (!columns_vary) return result;
  if (data.component.missing == MissingPolicy::Complete && !can_fit(capabilities)) return result;
  CapabilitiesComponent component;
  try {
    component = fit_capabilities_component(capabilities, data.component);
  } catch (const Error&) {
    // A pairwise correlation undefined in this sample: the fit fails here only.
    return result;
  }
  if (component.models.size() < 3) return result;
  std::vector<double> score(rows.size(), kNaN);
  for (std::size_t k = 0; k < component.models.size(); ++k) {
    score[component.models[k]] = component.scores(static_cast<Eigen::Index>(k));
  }
  result.fitted = true;
  if (ranked) {
    DenseRanks score_ranks = dense_ranks(score);
    for (std::size_t j = 0; j < columns; ++j) {
      result.capabilities[j] = spearman_by_counting(sampled_ranks[j], ranked->benchmarks[j].distinct,
                                                    score_ranks.rank, score_ranks.distinct, scratch);
    }
    return result;
  }
  for (std::size_t j = 0; j < columns; ++j) {
    result.capabilities[j] =
        correlate_present(data.method, benchmarks, static_cast<Eigen::Index>(j), score);
  }
  return result;
}

std::vector<std::size_t> draw_rows(std::size_t n, std::uint64_t seed, std::size_t resample) {
  // Mix the resample number into the seed so each resample has its own stream.
  SplitMix64 mixer(seed ^ (0xD1B54A32D192ED03ULL * (resample + 1)));
  SplitMix64 rng(mixer.next());
  std::vector<std::size_t> rows(n);
  for (std::size_t& row : rows) row = rng.below(n);
  return rows;
}

// Jackknife estimates: the whole method rerun without each model in turn.
std::vector<SampleResult> jackknife(const BootstrapData& data,
                                    const std::optional<RankedData>& ranked) {
  auto n = static_cast<std::size_t>(data.benchmarks.rows());
  std::vector<SampleResult> samples;
  for (std::size_t left_out = 0; left_out < n; ++left_out) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < n; ++i) {
      if (i != left_out) rows.push_back(i);
    }
    samples.push_back(run_sample(data, ranked, rows));
  }
  return samples;
}

// Efron's acceleration from jackknife values: sum(d^3) / (6 sum(d^2)^1.5),
// with d = mean - value. 0 when the jackknife values do not vary.
double acceleration(const std::vector<double>& values) {
  double mean = 0.0;
  std::size_t count = 0;
  for (double v : values) {
    if (!std::isnan(v)) mean += v, ++count;
  }
  if (count < 2) return 0.0;
  mean /= static_cast<double>(count);
  double squares = 0.0, cubes = 0.0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    double d = mean - v;
    squares += d * d;
    cubes += d * d * d;
  }
  if (!(squares > 0)) return 0.0;
  return cubes / (6 * std::pow(squares, 1.5));
}

BootstrapEstimate make_estimate(std::vector<double> values, double estimate,
                                const std::vector<double>& jackknife_values,
                                const BootstrapSettings& settings) {
  BootstrapEstimate result;
  result.kind = settings.interval;
  std::vector<double> defined;
  for (double v : values) {
    if (std::isnan(v)) {
      ++result.undefined;
    } else {
      defined.push_back(v);
    }
  }
  result.defined = defined.size();
  if (defined.empty() || std::isnan(estimate)) return result;
  std::sort(defined.begin(), defined.end());

  double alpha = (1 - settings.confidence) / 2;
  double low_q = alpha, high_q = 1 - alpha;
  if (settings.interval == BootstrapInterval::Bca) {
    boost::math::normal normal;
    auto below = static_cast<double>(std::lower_bound(defined.begin(), defined.end(), estimate) -
                                     defined.begin());
    double share = below / static_cast<double>(defined.size());
    double a = acceleration(jackknife_values);
    bool usable = share > 0 && share < 1;
    if (usable) {
      double z0 = boost::math::quantile(normal, share);
      auto adjusted = [&](double q, bool& ok) {
        double z = boost::math::quantile(normal, q);
        double denominator = 1 - a * (z0 + z);
        if (!(denominator > 0)) {
          ok = false;
          return q;
        }
        return boost::math::cdf(normal, z0 + (z0 + z) / denominator);
      };
      double l = adjusted(alpha, usable), h = adjusted(1 - alpha, usable);
      if (usable) low_q = l, high_q = h;
    }
    if (!usable) result.kind = BootstrapInterval::Percentile;
  }
  result.interval = Interval{quantile_sorted(defined, low_q), quantile_sorted(defined, high_q)};
  return result;
}

}  // namespace

std::string_view bootstrap_interval_name(BootstrapInterval kind) {
  return kind == BootstrapInterval::Bca ? "bca" : "percentile";
}

BootstrapInterval parse_bootstrap_interval(std::string_view name) {
  if (name == "bca") return BootstrapInterval::Bca;
  if (name == "percentile") return BootstrapInterval::Percentile;
  throw UsageError(fmt::format("unknown interval method '{}'; use bca or percentile", name));
}

std::vector<std::vector<double>> refit_correlations(
    const BootstrapData& data, const std::vector<std::vector<std::size_t>>& row_sets) {
  std::vector<std::vector<double>> out;
  std::optional<RankedData> ranked = rank_data(data);
  for (const auto& rows : row_sets) out.push_back(run_sample(data, ranked, rows).capabilities);
  return out;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  double position = q * static_cast<double>(sorted.size() - 1);
  auto lower = static_cast<std::size_t>(std::floor(position));
  std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  double fraction = position - static_cast<double>(lower);
  return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

BootstrapResult bootstrap_correlations(const BootstrapData& data,
                                       const std::vector<double>& estimates_capabilities,
                                       const std::vector<double>& estimates_compute,
                                       const BootstrapSettings& settings) {
  auto n = static_cast<std::size_t>(data.benchmarks.rows());
  auto columns = static_cast<std::size_t>(data.benchmarks.cols());
  std::size_t total = settings.resamples;

  // Every resample writes its own slots, so threads never share a value and
  // the result is the same for any number of threads.
  std::vector<double> capabilities(total * columns, kNaN), compute(total * columns, kNaN);
  std::vector<char> fitted(total, 0);
  std::optional<RankedData> ranked = rank_data(data);
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&](bool reports_progress) {
    for (std::size_t b = next++; b < total; b = next++) {
      SampleResult sample = run_sample(data, ranked, draw_rows(n, settings.seed, b));
      fitted[b] = sample.fitted ? 1 : 0;
      std::copy(sample.capabilities.begin(), sample.capabilities.end(),
                capabilities.begin() + static_cast<std::ptrdiff_t>(b * columns));
      std::copy(sample.compute.begin(), sample.compute.end(),
                compute.begin() + static_cast<std::ptrdiff_t>(b * columns));
      std::size_t finished = ++done;
      if (reports_progress && settings.progress && finished % 50 == 0) {
        settings.progress(finished, total);
      }
    }
  };
  unsigned threads = std::max(1u, std::min<unsigned>(settings.threads,
                                                     static_cast<unsigned>(std::max<std::size_t>(total, 1))));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, false);
  worker(true);
  for (std::thread& thread : pool) thread.join();
  if (settings.progress) settings.progress(total, total);

  std::vector<SampleResult> jack;
  if (settings.interval == BootstrapInterval::Bca) jack = jackknife(data, ranked);

  BootstrapResult result;
  for (char f : fitted) result.failed_fits += f ? 0 : 1;
  for (std::size_t j = 0; j < columns; ++j) {
    std::vector<double> cap_values(total), compute_values(total);
    std::vector<double> cap_jack, compute_jack;
    for (std::size_t b = 0; b < total; ++b) {
      cap_values[b] = capabilities[b * columns + j];
      compute_values[b] = compute[b * columns + j];
    }
    for (const SampleResult& s : jack) {
      cap_jack.push_back(s.capabilities[j]);
      compute_jack.push_back(s.compute[j]);
    }
    result.capabilities.push_back(
        make_estimate(std::move(cap_values), estimates_capabilities[j], cap_jack, settings));
    result.compute.push_back(
        make_estimate(std::move(compute_values), estimates_compute[j], compute_jack, settings));
  }
  return result;
}

}  // namespace safetywash
