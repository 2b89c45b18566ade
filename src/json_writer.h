// SPDX-License-Identifier: MIT
// Streaming JSON writer with the layout of nlohmann::json::dump(2).
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parallel.h"

namespace safetywash {

/// Appends one JSON document to a string, byte for byte as nlohmann::json
/// 3.11.2 (Debian 12) prints it with dump(2, ' ', false,
/// error_handler_t::replace). Members and elements go on their own lines,
/// indented by 2 spaces per level, and empty containers print as `[]` or
/// `{}`. Writing directly avoids building an ordered_json tree first.
/// The caller must nest begin and end calls correctly and put exactly one
/// value after each key(), which nothing checks.
class JsonWriter {
 public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// Writes an object member's name. The next call writes its value.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(const char* text) { value(std::string_view(text)); }
  /// Writes null for NaN and infinities, as nlohmann does.
  void value(double number);
  void value(bool flag);
  void value(std::nullptr_t);
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  void value(T number) {
    if constexpr (std::signed_integral<T>) {
      write_signed(static_cast<long long>(number));
    } else {
      write_unsigned(static_cast<unsigned long long>(number));
    }
  }
  /// Writes the number, or null when it is empty.
  void value(const std::optional<double>& number);
  /// Writes the text, or null when it is empty.
  void value(const std::optional<std::string>& text);
  void value(const std::vector<std::string>& texts);
  void value(const std::vector<double>& numbers);

  /// Writes `"name": value`.
  template <typename T>
  void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  /// Writes `count` elements of the open array, element k by calling
  /// write(writer, k) with the writer to write it to. Many elements are
  /// written in parts on several threads and then joined, so `write` must
  /// be safe to call concurrently. The text is the same as from calls in
  /// order.
  template <typename Write>
  void elements(std::size_t count, Write write) {
    if (count < kParallelElements) {
      for (std::size_t k = 0; k < count; ++k) write(*this, k);
      return;
    }
    unsigned threads = core_threads(kMaxThreads);
    std::vector<JsonWriter> parts(threads);
    for_each_index(parts.size(), threads, [&](std::size_t part) {
      std::size_t begin = count * part / parts.size(), end = count * (part + 1) / parts.size();
      JsonWriter& writer = parts[part];
      writer.has_elements_ = has_elements_;
      writer.has_elements_.back() = has_elements_.back() || begin > 0;
      for (std::size_t k = begin; k < end; ++k) write(writer, k);
    });
    for (const JsonWriter& part : parts) out_ += part.out_;
    has_elements_.back() = true;
  }

  /// The document written so far.
  std::string& text() { return out_; }

 private:
  // Arrays of at least this many elements are written in parts on up to
  // kMaxThreads threads.
  // NOTE: the parts take one thread per core regardless of --threads,
  // because the writer carries no thread count.
  static constexpr std::size_t kParallelElements = 4096;
  static constexpr unsigned kMaxThreads = 8;

  void open(char bracket);
  void close(char bracket);
  // Starts a value: a line break and indentation inside a container, unless
  // the value follows its key.
  void begin_value();
  void write_string(std::string_view text);
  void write_signed(long long number);
  void write_unsigned(unsigned long long number);

  std::string out_;
  // Per open container: whether it has an element yet.
  std::vector<bool> has_elements_;
  bool after_key_ = false;
};

}  // namespace safetywash
