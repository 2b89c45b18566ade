// SPDX-License-Identifier: MIT
// Differential fuzz target for the streaming reader of large plain tables:
// whenever read_plain_table accepts a file, parse_table must read the same
// text without error and give the same table, bit for bit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/load.h"
#include "safetywash/table.h"

namespace {

[[noreturn]] void fail(const char* message) {
  std::fprintf(stderr, "fuzz_plain_table: %s\n", message);
  std::abort();
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

const std::string& scratch_path() {
  static const std::string path =
      "/tmp/safetywash-fuzz-plain-" + std::to_string(static_cast<long>(getpid())) + ".csv";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const std::string& path = scratch_path();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) fail("cannot write the scratch file");
  if (std::fwrite(text.data(), 1, text.size(), file) != text.size()) fail("short write");
  std::fclose(file);

  safetywash::Warnings streamed_warnings, general_warnings;
  std::optional<safetywash::ScoreTable> streamed;
  try {
    // Up to 7 byte ranges, so that range bounds fall at any place in a
    // line, as they do in large files read by several threads.
    streamed = safetywash::read_plain_table(path, safetywash::TableOptions{}, streamed_warnings,
                                            1 + size % 7);
  } catch (const safetywash::Error&) {
    fail("read_plain_table threw instead of declining");
  }
  if (!streamed) return 0;

  safetywash::ScoreTable general;
  try {
    general = safetywash::parse_table(text, safetywash::input_name(path),
                                      safetywash::TableOptions{}, general_warnings);
  } catch (const safetywash::Error&) {
    fail("read_plain_table accepted a file that parse_table rejects");
  }
  if (streamed->models != general.models) fail("models differ");
  if (streamed->model_lines != general.model_lines) fail("model lines differ");
  if (streamed->benchmarks != general.benchmarks) fail("benchmarks differ");
  if (streamed->benchmark_positions != general.benchmark_positions) fail("positions differ");
  if (streamed->scores.rows() != general.scores.rows() ||
      streamed->scores.cols() != general.scores.cols()) {
    fail("score matrix shapes differ");
  }
  for (Eigen::Index i = 0; i < general.scores.rows(); ++i) {
    for (Eigen::Index j = 0; j < general.scores.cols(); ++j) {
      if (!same_bits(streamed->scores(i, j), general.scores(i, j))) fail("a score differs");
    }
  }
  if (streamed->attributes.size() != general.attributes.size()) fail("attribute counts differ");
  for (std::size_t a = 0; a < general.attributes.size(); ++a) {
    const safetywash::Attribute& x = streamed->attributes[a];
    const safetywash::Attribute& y = general.attributes[a];
    if (x.name != y.name || x.position != y.position || x.numeric != y.numeric ||
        x.text != y.text || x.values.size() != y.values.size()) {
      fail("an attribute differs");
    }
    for (std::size_t i = 0; i < y.values.size(); ++i) {
      if (!same_bits(x.values[i], y.values[i])) fail("an attribute value differs");
    }
  }
  if (streamed_warnings != general_warnings) fail("warnings differ");
  return 0;
}
