// SPDX-License-Identifier: MIT
// Streaming JSON writer with the layout of nlohmann::json::dump(2).
#include "json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace safetywash {
namespace {

constexpr std::size_t kIndent = 2;

// True when every byte is printable ASCII other than '"' and '\\', so the
// text needs no escaping and no UTF-8 check.
bool is_plain_ascii(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7E || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

void JsonWriter::open(char bracket) {
  begin_value();
  out_ += bracket;
  has_elements_.push_back(false);
}

void JsonWriter::close(char bracket) {
  bool had_elements = has_elements_.back();
  has_elements_.pop_back();
  if (had_elements) {
    out_ += '\n';
    out_.append(has_elements_.size() * kIndent, ' ');
  }
  out_ += bracket;
}

void JsonWriter::begin_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_elements_.empty()) return;
  out_ += has_elements_.back() ? ",\n" : "\n";
  has_elements_.back() = true;
  out_.append(has_elements_.size() * kIndent, ' ');
}

void JsonWriter::key(std::string_view name) {
  begin_value();
  write_string(name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::value(std::string_view text) {
  begin_value();
  write_string(text);
}

void JsonWriter::value(double number) {
  begin_value();
  if (!std::isfinite(number)) {
    out_ += "null";
    return;
  }
  // nlohmann's own serializer formats doubles with detail::to_chars into a
  // 64-byte buffer; calling it gives the same digits, ".0" suffix and
  // exponent form.
  std::array<char, 64> buffer;
  char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  out_.append(buffer.data(), end);
}

void JsonWriter::value(bool flag) {
  begin_value();
  out_ += flag ? "true" : "false";
}

void JsonWriter::value(std::nullptr_t) {
  begin_value();
  out_ += "null";
}

void JsonWriter::value(const std::optional<double>& number) {
  if (number) {
    value(*number);
  } else {
    value(nullptr);
  }
}

void JsonWriter::value(const std::optional<std::string>& text) {
  if (text) {
    value(std::string_view(*text));
  } else {
    value(nullptr);
  }
}

void JsonWriter::value(const std::vector<std::string>& texts) {
  begin_array();
  for (const std::string& text : texts) value(std::string_view(text));
  end_array();
}

void JsonWriter::value(const std::vector<double>& numbers) {
  begin_array();
  elements(numbers.size(), [&](JsonWriter& writer, std::size_t k) { writer.value(numbers[k]); });
  end_array();
}

void JsonWriter::write_string(std::string_view text) {
  if (is_plain_ascii(text)) {
    out_ += '"';
    out_ += text;
    out_ += '"';
    return;
  }
  // Escapes, non-ASCII text and the replacement of invalid UTF-8 by U+FFFD
  // are left to nlohmann itself, so that they match its dump byte for byte.
  // Plain ASCII names, the usual ones, take the branch above.
  out_ += nlohmann::json(std::string(text))
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void JsonWriter::write_signed(long long number) {
  begin_value();
  std::array<char, 24> buffer;
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  out_.append(buffer.data(), result.ptr);
}

void JsonWriter::write_unsigned(unsigned long long number) {
  begin_value();
  std::array<char, 24> buffer;
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  out_.append(buffer.data(), result.ptr);
}

}  // namespace safetywash
