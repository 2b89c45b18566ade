// SPDX-License-Identifier: MIT
// Reading input files, standard input and the bundled datasets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/table.h"

namespace safetywash {

/// Largest input read, in bytes. The general parser keeps every field as a
/// string, so its memory use is several times the file size. The limit
/// fails early with a clear message instead of an allocation failure.
constexpr std::uintmax_t kMaxInputBytes = 512ull << 20;

/// Returns the whole content of a file, or of standard input for "-".
/// The file is opened read-only. Throws InputError when it cannot be read
/// or is larger than kMaxInputBytes.
std::string read_input(const std::string& path);

/// Display name of an input path in messages: "<stdin>" for "-".
std::string input_name(const std::string& path);

/// Reads and parses a score table from a file or "-".
ScoreTable load_table(const std::string& path, const TableOptions& options, Warnings& warnings);

/// Names of the datasets compiled into the binary ("paper-base", ...).
std::vector<std::string> dataset_names();

/// Parses a bundled dataset. Throws UsageError for an unknown name.
ScoreTable load_dataset(const std::string& name, Warnings& warnings);

/// The text of a file embedded at build time, or an empty view.
std::string_view embedded_file(std::string_view name);

}  // namespace safetywash
