// SPDX-License-Identifier: MIT
// Reading input files and standard input.
#include "safetywash/input.h"

#include <cerrno>
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

std::string input_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) throw InputError("<stdin>: cannot read standard input");
    return buffer.str();
  }
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw InputError(fmt::format("{}: is a folder; give the path of a score table file", path));
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
