// SPDX-License-Identifier: MIT
// Helpers shared by the tests: fixture paths, JSON references, running the binary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace safetywash::test {

/// Path of a file in tests/data.
std::string data_path(const std::string& name);

/// Reads a file in tests/data.
std::string read_data(const std::string& name);

/// Parses a JSON file in tests/data.
nlohmann::json read_json(const std::string& name);

/// A fresh empty folder under the system temporary folder, removed at exit.
std::string temp_folder();

/// Writes `content` to `path`, replacing it.
void write_text(const std::string& path, const std::string& content);

/// Reads a whole file.
std::string read_text(const std::string& path);

/// Result of running the safetywash binary.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the built safetywash binary with `args` (each passed as one
/// argument) and optional standard input.
RunResult run_safetywash(const std::vector<std::string>& args, const std::string& input = "");

}  // namespace safetywash::test
