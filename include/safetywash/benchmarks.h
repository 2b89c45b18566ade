// SPDX-License-Identifier: MIT
// Benchmark metadata: display names, roles, directions and categories.
#pragma once

#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace safetywash {

/// Default treatment of a benchmark in the analysis.
enum class Role {
  Capability,  ///< Part of the capabilities score.
  Safety,      ///< Reported against the capabilities score and compute.
  Ignore,      ///< Not analyzed (bookkeeping columns such as sample counts).
};

std::string_view role_name(Role role);

/// Metadata of one benchmark.
struct BenchmarkInfo {
  std::string id;  ///< Column name in score tables.
  std::string name;
  Role role = Role::Safety;
  bool higher_is_better = true;  ///< False: the column is negated before analysis.
  std::string category;          ///< e.g. "truthfulness", "bias", "capability".
  std::string metric;
  std::string description;
};

/// A set of benchmark metadata, looked up by id.
class Registry {
 public:
  /// The registry compiled into the binary from data/benchmarks.csv.
  static Registry builtin();

  /// Adds or overrides entries from a metadata table. Accepted columns:
  /// id (or benchmark), name (or display_name), role, higher_is_better (or
  /// direction), category, metric, description; only the id is required.
  /// Columns left out keep an existing entry's values. Without a direction
  /// column, a metric containing the arrow U+2193 marks lower-is-better.
  /// This reads both this project's layout and the benchmark,name,metric
  /// file released with the Safetywashing paper. Throws InputError.
  void merge(std::string_view text, const std::string& source);

  /// Finds an entry by exact id, then by id ignoring ASCII case.
  const BenchmarkInfo* find(std::string_view id) const;

  const std::vector<BenchmarkInfo>& entries() const { return entries_; }

 private:
  void merge_into(std::string_view text, const std::string& source);
  std::optional<std::size_t> find_index(std::string_view id) const;

  std::vector<BenchmarkInfo> entries_;
  /// Positions in entries_ by id, and of the first entry by lower-case id.
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::map<std::string, std::size_t, std::less<>> by_lower_id_;
};

}  // namespace safetywash
