// SPDX-License-Identifier: MIT
// Fuzz target for load_text_table, which detects the format of its text
// (JSON table, lm-evaluation-harness result, long or wide CSV) and loads it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "safetywash/error.h"
#include "safetywash/load.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  safetywash::Warnings warnings;
  try {
    (void)safetywash::load_text_table(text, "table.json", safetywash::LoadOptions{}, warnings);
  } catch (const safetywash::Error&) {
    // Malformed input is expected. Other exceptions abort the run.
  }
  return 0;
}
