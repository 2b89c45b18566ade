// SPDX-License-Identifier: MIT
// Score tables released with the Safetywashing paper (Ren et al., 2024), compiled
// into the binary from data/.
#include <fmt/format.h>

#include "safetywash/error.h"
#include "safetywash/input.h"

namespace safetywash {
namespace {

struct Dataset {
  std::string_view name;
  std::string_view file;
};

constexpr Dataset kDatasets[] = {
    {"paper-base", "paper_base.csv"},
    {"paper-chat", "paper_chat.csv"},
};

}  // namespace

std::vector<std::string> dataset_names() {
  std::vector<std::string> names;
  for (const Dataset& dataset : kDatasets) names.emplace_back(dataset.name);
  return names;
}

ScoreTable load_dataset(const std::string& name, Warnings& warnings) {
  for (const Dataset& dataset : kDatasets) {
    if (dataset.name == name) {
      return parse_table(embedded_file(dataset.file), std::string(dataset.file), {}, warnings);
    }
  }
  throw UsageError(fmt::format("unknown dataset '{}'; choose one of: {}", name,
                               fmt::join(dataset_names(), ", ")));
}

}  // namespace safetywash
