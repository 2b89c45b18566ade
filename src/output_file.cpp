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

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

// Writes straight into an existing device, FIFO or other special file
// (such as /dev/null), which a rename would replace.
void write_in_place(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  if (fd < 0) throw io_error(path, "open for writing", errno);
  if (int error = write_all(fd, content); error != 0) {
    ::close(fd);
    throw io_error(path, "write", error);
  }
  if (::close(fd) != 0) throw io_error(path, "write", errno);
}

}  // namespace

void write_file_atomically(const std::string& requested, std::string_view content) {
  // Write through a symbolic link to its target, so the link survives.
  std::error_code link_error;
  std::string path = requested;
  if (std::filesystem::is_symlink(requested, link_error)) {
    path = std::filesystem::weakly_canonical(requested, link_error).string();
    if (link_error) throw io_error(requested, "resolve the symbolic link", link_error.value());
  }
  struct stat existing {};
  bool exists = ::stat(path.c_str(), &existing) == 0;
  if (exists && !S_ISREG(existing.st_mode)) {
    if (S_ISDIR(existing.st_mode)) throw io_error(path, "write to a folder", EISDIR);
    write_in_place(path, content);
    return;
  }
  std::filesystem::path target(path);
  std::filesystem::path folder = target.parent_path();
  std::string pattern =
      (folder.empty() ? std::filesystem::path(".") : folder) / ("." + target.filename().string() +
                                                               ".tmp-XXXXXX");
  int fd = mkstemp(pattern.data());
  if (fd < 0) throw io_error(path, "create a temporary file next to it", errno);

  if (int error = write_all(fd, content); error != 0) {
    ::close(fd);
    std::remove(pattern.c_str());
    throw io_error(path, "write", error);
  }
  // mkstemp creates the file with mode 0600. Keep the mode of a file being
  // replaced; give a new file the usual mode allowed by the umask.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, exists ? (existing.st_mode & 07777) : (0666 & ~mask));
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
