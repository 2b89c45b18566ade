// SPDX-License-Identifier: MIT
// Error types thrown by the core library; only main() catches them.
#pragma once

#include <stdexcept>
#include <string>

namespace safetywash {

/// Error categories, each mapped to one exit code by the command-line layer.
enum class ErrorKind {
  Usage,  ///< A bad option or option value (exit code 2).
  Input,  ///< Unreadable, malformed or unusable input data (exit code 3).
  Io,     ///< An output file could not be written (exit code 3).
};

/// Base of every error the core library throws. The message is complete and
/// printable as it is: lowercase, no final period, location first when known.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

/// A problem with the input data.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(ErrorKind::Input, message) {}
};

/// A bad option value found after command-line parsing.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ErrorKind::Usage, message) {}
};

}  // namespace safetywash
