// SPDX-License-Identifier: MIT
// Reading input files and standard input.
#include "safetywash/input.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "safetywash/error.h"

namespace safetywash {

namespace {

InputError too_large(const std::string& name) {
  return InputError(fmt::format("{}: the input is larger than {} MiB, the limit for one table; "
                                "split it or keep only the columns you analyze",
                                name, kMaxInputBytes >> 20));
}

}  // namespace

std::string input_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::string text;
    char chunk[1 << 16];
    while (std::cin.read(chunk, sizeof chunk) || std::cin.gcount() > 0) {
      text.append(chunk, static_cast<std::size_t>(std::cin.gcount()));
      if (text.size() > kMaxInputBytes) throw too_large("<stdin>");
    }
    if (std::cin.bad()) throw InputError("<stdin>: cannot read standard input");
    return text;
  }
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw InputError(fmt::format("{}: is a folder; give the path of a score table file", path));
  }
  if (std::filesystem::is_regular_file(path, ignored) &&
      std::filesystem::file_size(path, ignored) > kMaxInputBytes) {
    throw too_large(path);
  }
  std::ifstream file(path, std::ios::binary | std::ios::in);
  if (!file) {
    int error = errno;
    throw InputError(fmt::format("{}: cannot open the file: {}", path, std::strerror(error)));
  }
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) {
    int error = errno;
    throw InputError(fmt::format("{}: cannot read the file: {}", path, std::strerror(error)));
  }
  return text;
}

ScoreTable load_table(const std::string& path, const TableOptions& options, Warnings& warnings) {
  std::string text = read_input(path);
  return parse_table(text, input_name(path), options, warnings);
}

}  // namespace safetywash
