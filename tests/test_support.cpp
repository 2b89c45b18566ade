// SPDX-License-Identifier: MIT
// Helpers shared by the tests: fixture paths, JSON references, running the binary.
#include "test_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <sys/wait.h>

namespace safetywash::test {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Removes the temporary folders when the test executable exits.
struct TempFolders {
  std::vector<std::filesystem::path> paths;
  ~TempFolders() {
    std::error_code ignored;
    for (const auto& p : paths) std::filesystem::remove_all(p, ignored);
  }
};

TempFolders& temp_folders() {
  static TempFolders folders;
  return folders;
}

}  // namespace

std::string data_path(const std::string& name) { return std::string(SAFETYWASH_TEST_DATA) + "/" + name; }

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string read_data(const std::string& name) { return read_text(data_path(name)); }

nlohmann::json read_json(const std::string& name) { return nlohmann::json::parse(read_data(name)); }

void write_text(const std::string& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  if (!file) throw std::runtime_error("cannot write " + path);
}

std::string temp_folder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "safetywash-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temp folder");
  temp_folders().paths.emplace_back(pattern);
  return pattern;
}

RunResult run_safetywash(const std::vector<std::string>& args, const std::string& input) {
  std::string folder = temp_folder();
  std::string in_path = folder + "/stdin", out_path = folder + "/stdout", err_path = folder + "/stderr";
  write_text(in_path, input);
  std::string command = shell_quote(SAFETYWASH_BINARY);
  for (const std::string& arg : args) command += " " + shell_quote(arg);
  command += " <" + shell_quote(in_path) + " >" + shell_quote(out_path) + " 2>" + shell_quote(err_path);
  int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  // In a SAFETYWASH_SANITIZE build, a sanitizer report from the binary fails
  // the test with the report as the message, also in tests that ignore the
  // exit code.
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: "}) {
    if (result.err.find(marker) != std::string::npos) {
      throw std::runtime_error("safetywash printed a sanitizer report:\n" + result.err);
    }
  }
  return result;
}

}  // namespace safetywash::test
