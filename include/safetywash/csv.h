// SPDX-License-Identifier: MIT
// RFC 4180 reader for CSV, TSV and semicolon-separated text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace safetywash {

/// One field of a record, with its position for error messages.
struct CsvField {
  std::string text;     ///< Unquoted fields are trimmed of spaces and tabs.
  bool quoted = false;  ///< True when the field was enclosed in double quotes.
  std::size_t line = 0;  ///< 1-based physical line where the field starts.
};

/// One record (row). Blank lines produce no record.
struct CsvRecord {
  std::vector<CsvField> fields;
  std::size_t line = 0;  ///< 1-based physical line where the record starts.
};

/// A parsed document and the delimiter that was used.
struct CsvDocument {
  std::vector<CsvRecord> records;
  char delimiter = ',';
};

/// Reads `text` as UTF-8 delimited text. `source` names the input in error
/// messages. `delimiter` is ',', '\t' or ';', or 0 to detect it from the first
/// record: the candidate that occurs most often outside quotes, comma on a tie.
/// A UTF-8 byte order mark is skipped; CRLF and LF line ends are accepted.
/// Throws InputError on invalid UTF-8 (naming the line and 1-based byte offset
/// in that line), on an unterminated quote, and on text after a closing quote.
CsvDocument read_csv(std::string_view text, const std::string& source, char delimiter = 0);

/// Returns the delimiter named by an option value: ",", "tab" or "\t", ";".
/// Throws UsageError for anything else.
char parse_delimiter_option(std::string_view value);

}  // namespace safetywash
