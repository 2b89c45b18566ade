// SPDX-License-Identifier: MIT
// RFC 4180 reader: quoting, delimiter detection, UTF-8 validation.
#include "safetywash/csv.h"

#include <array>
#include <fmt/format.h>

#include "safetywash/error.h"

namespace safetywash {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Returns the length of the UTF-8 sequence starting at text[i], or 0 when the
// bytes there are not valid UTF-8 (overlong forms and surrogates included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// Checks that `text` is UTF-8 without NUL bytes or byte order marks after
// the start. `bom_bytes` is the length of a stripped leading BOM, so that
// offsets on line 1 count from the start of the file.
void check_utf8(std::string_view text, const std::string& source, std::size_t bom_bytes) {
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') ||
                           (text[0] == '\xFE' && text[1] == '\xFF'))) {
    throw InputError(fmt::format("{}:1:1: the file is UTF-16 (it starts with a UTF-16 byte "
                                 "order mark); save it as UTF-8",
                                 source));
  }
  std::size_t line = 1;
  std::size_t line_start = 0;
  auto offset_of = [&](std::size_t i) { return i - line_start + 1 + (line == 1 ? bom_bytes : 0); };
  for (std::size_t i = 0; i < text.size();) {
    // Printable ASCII and tabs, nearly every byte, need no further check.
    if (static_cast<unsigned char>(text[i]) >= 0x20 && static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    // Line ends as the parser counts them: LF, CRLF or a lone CR.
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++line;
      line_start = ++i;
      continue;
    }
    if (text[i] == '\0') {
      throw InputError(fmt::format("{}:{}:{}: NUL byte at byte offset {} of the line; the file "
                                   "looks binary or UTF-16, so save it as UTF-8 text",
                                   source, line, offset_of(i), offset_of(i)));
    }
    if (text.substr(i, kByteOrderMark.size()) == kByteOrderMark) {
      throw InputError(fmt::format("{}:{}:{}: byte order mark (U+FEFF) inside the file; remove "
                                   "it (files joined with cat keep the mark of each part)",
                                   source, line, offset_of(i)));
    }
    std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      throw InputError(fmt::format(
          "{}:{}:{}: invalid UTF-8 (byte 0x{:02X} at byte offset {} of the line); "
          "save the file as UTF-8",
          source, line, offset_of(i), static_cast<unsigned char>(text[i]), offset_of(i)));
    }
    i += length;
  }
}

// Picks the candidate delimiter that occurs most often outside quotes in the
// first record; comma wins ties and is the fallback.
char detect_delimiter(std::string_view text) {
  constexpr std::array<char, 3> kCandidates = {',', '\t', ';'};
  std::array<std::size_t, 3> counts{};
  bool in_quotes = false;
  bool seen_text = false;
  for (char c : text) {
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (c == '\n' || c == '\r') {
      // Only the first record counts; blank lines before it are skipped.
      if (seen_text) break;
      continue;
    }
    seen_text = true;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
      if (c == kCandidates[k]) ++counts[k];
    }
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < kCandidates.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kCandidates[best];
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& source, char delimiter)
      : text_(text), source_(source), delimiter_(delimiter) {}

  std::vector<CsvRecord> parse() {
    std::vector<CsvRecord> records;
    while (pos_ < text_.size()) {
      CsvRecord record = parse_record();
      bool blank = record.fields.size() == 1 && !record.fields[0].quoted &&
                   record.fields[0].text.empty();
      if (!blank) records.push_back(std::move(record));
    }
    return records;
  }

 private:
  CsvRecord parse_record() {
    CsvRecord record;
    record.line = line_;
    // Records of a table are mostly as wide as the one before.
    record.fields.reserve(last_width_);
    while (true) {
      field_column_ = record.fields.size() + 1;
      record.fields.push_back(parse_field());
      if (pos_ >= text_.size()) break;
      char c = text_[pos_];
      if (c == delimiter_) {
        ++pos_;
        continue;
      }
      consume_line_end();
      break;
    }
    last_width_ = record.fields.size();
    return record;
  }

  // Consumes "\n", "\r\n" or a lone "\r" at pos_.
  void consume_line_end() {
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  bool at_field_end() const {
    if (pos_ >= text_.size()) return true;
    char c = text_[pos_];
    return c == delimiter_ || c == '\n' || c == '\r';
  }

  CsvField parse_field() {
    CsvField field;
    field.line = line_;
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_blank(text_[pos_]) && text_[pos_] != delimiter_) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      field.quoted = true;
      field.text = parse_quoted();
      return field;
    }
    pos_ = start;
    while (!at_field_end()) ++pos_;
    field.text = std::string(trim_blanks(text_.substr(start, pos_ - start)));
    return field;
  }

  // Reads a quoted field starting at the opening quote; doubled quotes stand
  // for one quote and line breaks inside the quotes are kept.
  std::string parse_quoted() {
    std::size_t open_line = line_;
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) {
        throw InputError(fmt::format(
            "{}:{}:{}: quoted field is never closed; add the missing '\"' or "
            "double each quote inside the field",
            source_, open_line, field_column_));
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          out.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      out.push_back(c);
    }
    while (pos_ < text_.size() && is_blank(text_[pos_]) && text_[pos_] != delimiter_) ++pos_;
    if (!at_field_end()) {
      throw InputError(fmt::format(
          "{}:{}:{}: unexpected character '{}' after a closing quote; quote the "
          "whole field and double each quote inside it",
          source_, line_, field_column_, text_[pos_]));
    }
    return out;
  }

  std::string_view text_;
  const std::string& source_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t field_column_ = 1;  // 1-based field position, for messages
  std::size_t last_width_ = 0;    // fields of the previous record
};

}  // namespace

CsvDocument read_csv(std::string_view text, const std::string& source, char delimiter) {
  std::size_t bom_bytes = 0;
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    text.remove_prefix(kByteOrderMark.size());
    bom_bytes = kByteOrderMark.size();
  }
  check_utf8(text, source, bom_bytes);
  CsvDocument document;
  document.delimiter = delimiter != 0 ? delimiter : detect_delimiter(text);
  document.records = Parser(text, source, document.delimiter).parse();
  return document;
}

char parse_delimiter_option(std::string_view value) {
  if (value == ",") return ',';
  if (value == ";") return ';';
  if (value == "tab" || value == "\t" || value == "\\t") return '\t';
  throw UsageError(fmt::format(
      "--delimiter '{}' is not supported; use ',', ';' or 'tab'", value));
}

}  // namespace safetywash
