// SPDX-License-Identifier: MIT
// Google Benchmark kernels of the core library: table reading, ranking, rank
// correlations, one bootstrap resample and the whole paper-base analysis.
// Inputs are synthetic and seeded, so every run times the same data.
#include <benchmark/benchmark.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "safetywash/analysis.h"
#include "safetywash/benchmarks.h"
#include "safetywash/bootstrap.h"
#include "safetywash/correlation.h"
#include "safetywash/input.h"
#include "safetywash/load.h"
#include "safetywash/random.h"
#include "safetywash/table.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Shape of the generated score tables: benchmark columns besides FLOP.
constexpr std::size_t kCapabilityColumns = 12;
constexpr std::size_t kSafetyColumns = 38;
// Fraction of safety cells left empty, as in the driver's large scenario.
constexpr double kMissingFraction = 0.05;

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Writes a wide CSV (model, FLOP, cap_*, safety_*) in the layout of the
// benchmark kit's generator: accuracies with 6 decimals driven by one latent
// capability per model, and empty safety cells at kMissingFraction.
std::string make_wide_csv(std::size_t models) {
  safetywash::SplitMix64 rng(42);
  std::string text = "model,FLOP";
  for (std::size_t j = 0; j < kCapabilityColumns; ++j) text += ",cap_" + std::to_string(j);
  for (std::size_t j = 0; j < kSafetyColumns; ++j) text += ",safety_" + std::to_string(j);
  text += '\n';

  char cell[32];
  for (std::size_t i = 0; i < models; ++i) {
    double latent = rng.normal();
    text += "model-" + std::to_string(i);
    std::snprintf(cell, sizeof cell, ",%.4e", std::pow(10.0, 22.0 + 1.5 * latent));
    text += cell;
    for (std::size_t j = 0; j < kCapabilityColumns + kSafetyColumns; ++j) {
      bool safety = j >= kCapabilityColumns;
      if (safety && rng.uniform() < kMissingFraction) {
        text += ',';
        continue;
      }
      double loading = safety ? 0.5 : 0.85;
      double value = logistic(loading * latent + std::sqrt(1 - loading * loading) * rng.normal());
      std::snprintf(cell, sizeof cell, ",%.6f", value);
      text += cell;
    }
    text += '\n';
  }
  return text;
}

// Two correlated variables with accuracy-like values: rounded to 4 decimals,
// so large samples contain ties as real benchmark scores do.
struct PairSample {
  std::vector<double> x, y;
};

// Independent samples of n pairs, which the kernels take in turn. Sorting
// one small sample over and over lets the branch predictor learn it, which
// made Kendall's tau-b at n = 1,024 3.7x faster than on fresh inputs on the
// 2-core test machine. The count keeps at least 2^17 pairs in rotation.
std::vector<PairSample> make_pair_samples(std::size_t n) {
  std::size_t count = std::max<std::size_t>(4, (std::size_t{1} << 17) / n);
  safetywash::SplitMix64 rng(7);
  std::vector<PairSample> samples(count);
  for (PairSample& sample : samples) {
    sample.x.resize(n);
    sample.y.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      double latent = rng.normal();
      sample.x[i] = std::round(logistic(latent) * 1e4) / 1e4;
      sample.y[i] = std::round(logistic(0.6 * latent + 0.8 * rng.normal()) * 1e4) / 1e4;
    }
  }
  return samples;
}

// Sizes of the one-dimensional kernels: 1,024 to 131,072 values by factors
// of 4, enough points for the complexity fit.
void apply_sample_sizes(benchmark::internal::Benchmark* bench) {
  bench->RangeMultiplier(4)->Range(1 << 10, 1 << 17)->Complexity(benchmark::oNLogN);
}

void set_pair_counters(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_ParseTable(benchmark::State& state) {
  auto models = static_cast<std::size_t>(state.range(0));
  std::string text = make_wide_csv(models);
  for (auto _ : state) {
    safetywash::Warnings warnings;
    safetywash::ScoreTable table =
        safetywash::parse_table(text, "bench.csv", safetywash::TableOptions{}, warnings);
    benchmark::DoNotOptimize(table.scores.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(models));
  state.SetComplexityN(static_cast<std::int64_t>(models));
}
BENCHMARK(BM_ParseTable)->Arg(1000)->Arg(10000)->Arg(100000)->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);

// A generated CSV in the temporary folder, removed when the kernel ends.
class TempCsv {
 public:
  explicit TempCsv(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("safetywash_kernels_" + std::to_string(::getpid()) + ".csv");
    std::ofstream out(path_, std::ios::binary);
    out << text;
    written_ = static_cast<bool>(out.flush());
  }
  ~TempCsv() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempCsv(const TempCsv&) = delete;
  TempCsv& operator=(const TempCsv&) = delete;

  bool written() const { return written_; }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
  bool written_ = false;
};

void BM_ReadPlainTable(benchmark::State& state) {
  auto models = static_cast<std::size_t>(state.range(0));
  std::string text = make_wide_csv(models);
  TempCsv file(text);
  if (!file.written()) {
    state.SkipWithError(("failed to write " + file.path()).c_str());
    return;
  }
  for (auto _ : state) {
    safetywash::Warnings warnings;
    std::optional<safetywash::ScoreTable> table =
        safetywash::read_plain_table(file.path(), safetywash::TableOptions{}, warnings);
    if (!table) {
      state.SkipWithError("read_plain_table rejected the generated file");
      break;
    }
    benchmark::DoNotOptimize(table->scores.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(models));
  state.SetComplexityN(static_cast<std::int64_t>(models));
}
BENCHMARK(BM_ReadPlainTable)->Arg(1000)->Arg(10000)->Arg(100000)->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);

void BM_AverageRanks(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  std::vector<PairSample> samples = make_pair_samples(n);
  std::size_t next = 0;
  for (auto _ : state) {
    const PairSample& sample = samples[next++ % samples.size()];
    std::vector<double> ranks = safetywash::average_ranks(std::span<const double>(sample.x));
    benchmark::DoNotOptimize(ranks.data());
  }
  set_pair_counters(state, n);
}
BENCHMARK(BM_AverageRanks)->Apply(apply_sample_sizes);

void BM_SpearmanTest(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  std::vector<PairSample> samples = make_pair_samples(n);
  std::size_t next = 0;
  for (auto _ : state) {
    const PairSample& sample = samples[next++ % samples.size()];
    safetywash::CorrelationTest test =
        safetywash::test_correlation(safetywash::Method::Spearman, sample.x, sample.y);
    benchmark::DoNotOptimize(test);
  }
  set_pair_counters(state, n);
}
BENCHMARK(BM_SpearmanTest)->Apply(apply_sample_sizes);

void BM_KendallTest(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  std::vector<PairSample> samples = make_pair_samples(n);
  std::size_t next = 0;
  for (auto _ : state) {
    const PairSample& sample = samples[next++ % samples.size()];
    safetywash::CorrelationTest test =
        safetywash::test_correlation(safetywash::Method::Kendall, sample.x, sample.y);
    benchmark::DoNotOptimize(test);
  }
  set_pair_counters(state, n);
}
BENCHMARK(BM_KendallTest)->Apply(apply_sample_sizes);

void BM_KendallTauB(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  std::vector<PairSample> samples = make_pair_samples(n);
  std::size_t next = 0;
  for (auto _ : state) {
    const PairSample& sample = samples[next++ % samples.size()];
    double tau = safetywash::kendall_tau_b(sample.x, sample.y);
    benchmark::DoNotOptimize(tau);
  }
  set_pair_counters(state, n);
}
BENCHMARK(BM_KendallTauB)->Apply(apply_sample_sizes);

// Bootstrap input shaped like the analysis builds it: kCapabilityColumns
// capability columns, kSafetyColumns reported benchmarks with missing
// cells, and log10 compute.
safetywash::BootstrapData make_bootstrap_data(std::size_t models) {
  safetywash::SplitMix64 rng(11);
  auto rows = static_cast<Eigen::Index>(models);
  safetywash::BootstrapData data;
  data.capabilities.resize(rows, static_cast<Eigen::Index>(kCapabilityColumns));
  data.benchmarks.resize(rows, static_cast<Eigen::Index>(kSafetyColumns));
  data.compute.resize(models);
  for (Eigen::Index i = 0; i < rows; ++i) {
    double latent = rng.normal();
    data.compute[static_cast<std::size_t>(i)] = 22.0 + 1.5 * latent + 0.3 * rng.normal();
    for (Eigen::Index j = 0; j < data.capabilities.cols(); ++j) {
      data.capabilities(i, j) = logistic(0.85 * latent + 0.53 * rng.normal());
    }
    for (Eigen::Index j = 0; j < data.benchmarks.cols(); ++j) {
      bool missing = rng.uniform() < kMissingFraction;
      data.benchmarks(i, j) = missing ? kNaN : logistic(0.5 * latent + 0.87 * rng.normal());
    }
  }
  return data;
}

// One resample of the bootstrap: draw rows, refit the capabilities
// component, and correlate every benchmark with the score and with compute.
// Percentile intervals skip the jackknife that BCa adds once per run. The
// seed changes every iteration, so each one times a different resample.
void BM_BootstrapResample(benchmark::State& state) {
  auto models = static_cast<std::size_t>(state.range(0));
  safetywash::BootstrapData data = make_bootstrap_data(models);
  std::vector<double> estimates(kSafetyColumns, 0.0);
  safetywash::BootstrapSettings settings;
  settings.resamples = 1;
  settings.threads = 1;
  settings.interval = safetywash::BootstrapInterval::Percentile;
  for (auto _ : state) {
    ++settings.seed;
    safetywash::BootstrapResult result =
        safetywash::bootstrap_correlations(data, estimates, estimates, settings);
    benchmark::DoNotOptimize(result.capabilities.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(models));
  state.SetComplexityN(static_cast<std::int64_t>(models));
}
BENCHMARK(BM_BootstrapResample)->Arg(30)->Arg(1000)->Arg(10000)->Arg(100000)
    ->Complexity(benchmark::oNLogN)->Unit(benchmark::kMicrosecond);

// The default analysis of the bundled paper-base table, in process: what
// `safetywash analyze --dataset paper-base` does apart from process start,
// parsing and output. The table is parsed outside the timed loop, but each
// iteration copies it, because analyze takes it by value.
void BM_AnalyzePaperBase(benchmark::State& state) {
  safetywash::Warnings warnings;
  safetywash::ScoreTable table = safetywash::load_dataset("paper-base", warnings);
  safetywash::Registry registry = safetywash::Registry::builtin();
  safetywash::AnalysisOptions options;
  for (auto _ : state) {
    safetywash::AnalysisResult result = safetywash::analyze(table, registry, options);
    benchmark::DoNotOptimize(&result);
  }
  state.SetItemsProcessed(state.iterations() * table.scores.rows());
}
BENCHMARK(BM_AnalyzePaperBase)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
