// SPDX-License-Identifier: MIT
// Writing output files whole or not at all.
#pragma once

#include <string>
#include <string_view>

namespace safetywash {

/// Writes `content` to `path` through a temporary file in the same folder
/// that is renamed over `path` once complete, so readers never see a
/// partial file and a failed run leaves an existing file unchanged.
/// Throws Error(ErrorKind::Io) when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace safetywash
