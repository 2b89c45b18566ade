// SPDX-License-Identifier: MIT
// Fuzz target for Registry::merge. Each input is a benchmark metadata table,
// merged into a copy of the built-in registry.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "safetywash/benchmarks.h"
#include "safetywash/error.h"

namespace {

const safetywash::Registry& builtin_registry() {
  static const safetywash::Registry registry = safetywash::Registry::builtin();
  return registry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  safetywash::Registry registry = builtin_registry();
  try {
    registry.merge(text, "meta.csv");
  } catch (const safetywash::Error&) {
    // merge works on a copy, so a failed merge must leave the registry as it was.
    if (registry.entries().size() != builtin_registry().entries().size()) {
      std::fprintf(stderr, "fuzz_metadata: a failed merge changed the registry\n");
      std::abort();
    }
    return 0;
  }
  // Merging adds or overrides entries and never removes one.
  if (registry.entries().size() < builtin_registry().entries().size()) {
    std::fprintf(stderr, "fuzz_metadata: merge removed registry entries\n");
    std::abort();
  }
  for (const safetywash::BenchmarkInfo& entry : registry.entries()) {
    if (registry.find(entry.id) == nullptr) {
      std::fprintf(stderr, "fuzz_metadata: an entry is not found by its own id\n");
      std::abort();
    }
  }
  return 0;
}
