// SPDX-License-Identifier: MIT
// Writing output files through a temporary file and a rename.
#include "safetywash/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

#include "safetywash/error.h"

namespace safetywash {
namespace {

Error io_error(const std::string& path, const std::string& what, int error) {
  return Error(ErrorKind::Io,
               fmt::format("{}: cannot {}: {}", path, what, std::strerror(error)));
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  std::filesystem::path target(path);
  std::filesystem::path folder = target.parent_path();
  std::string pattern =
      (folder.empty() ? std::filesystem::path(".") : folder) / ("." + target.filename().string() +
                                                               ".tmp-XXXXXX");
  int fd = mkstemp(pattern.data());
  if (fd < 0) throw io_error(path, "create a temporary file next to it", errno);

  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      std::remove(pattern.c_str());
      throw io_error(path, "write", error);
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp creates the file with mode 0600; give it the usual mode for new
  // files, as the umask allows.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int error = errno;
    std::remove(pattern.c_str());
    throw io_error(path, "write", error);
  }
  if (std::rename(pattern.c_str(), path.c_str()) != 0) {
    int error = errno;
    std::remove(pattern.c_str());
    throw io_error(path, "replace the file", error);
  }
}

}  // namespace safetywash
