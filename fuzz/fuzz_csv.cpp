// SPDX-License-Identifier: MIT
// Fuzz target for read_csv. The first input byte selects the delimiter
// (detected, ',', tab or ';') and the remaining bytes are the CSV text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "safetywash/csv.h"
#include "safetywash/error.h"

namespace {

constexpr char kDelimiters[] = {0, ',', '\t', ';'};

// Aborts with a message, so that libFuzzer saves the input as a crash.
[[noreturn]] void fail(const char* message) {
  std::fprintf(stderr, "fuzz_csv: %s\n", message);
  std::abort();
}

void check_document(const safetywash::CsvDocument& document, char requested) {
  if (requested != 0 && document.delimiter != requested) {
    fail("read_csv returned a delimiter other than the requested one");
  }
  if (document.delimiter != ',' && document.delimiter != '\t' && document.delimiter != ';') {
    fail("read_csv detected a delimiter other than ',', tab or ';'");
  }
  std::size_t previous_line = 0;
  for (const safetywash::CsvRecord& record : document.records) {
    if (record.line <= previous_line) fail("record lines are not strictly increasing");
    if (record.fields.empty()) fail("a record has no fields");
    for (const safetywash::CsvField& field : record.fields) {
      if (field.line < record.line) fail("a field starts before its record");
    }
    previous_line = record.line;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  char delimiter = kDelimiters[data[0] % std::size(kDelimiters)];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    safetywash::CsvDocument document = safetywash::read_csv(text, "fuzz.csv", delimiter);
    check_document(document, delimiter);
  } catch (const safetywash::Error&) {
    // Rejecting malformed text is the expected outcome. Any other exception
    // escapes and aborts the run.
  }
  return 0;
}
