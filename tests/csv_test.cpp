// SPDX-License-Identifier: MIT
// Tests of the RFC 4180 reader: quoting, line ends, delimiters, UTF-8 checks.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "safetywash/csv.h"
#include "safetywash/error.h"
#include "test_support.h"

namespace safetywash {
namespace {

using Catch::Matchers::Contains;
using Fields = std::vector<std::string>;

// Field texts of one record, for comparing a whole record in one check.
Fields field_texts(const CsvRecord& record) {
  Fields out;
  for (const CsvField& field : record.fields) out.push_back(field.text);
  return out;
}

// Returns the message of the InputError that reading `text` throws, or an
// empty string when reading succeeds.
std::string read_error(std::string_view text, char delimiter = 0) {
  try {
    read_csv(text, "input.csv", delimiter);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("plain records and line numbers", "[csv]") {
  CsvDocument document = read_csv("model,mmlu\na,0.5\nb,0.7\n", "input.csv");

  CHECK(document.delimiter == ',');
  REQUIRE(document.records.size() == 3);
  CHECK(field_texts(document.records[0]) == Fields{"model", "mmlu"});
  CHECK(field_texts(document.records[2]) == Fields{"b", "0.7"});
  CHECK(document.records[0].line == 1);
  CHECK(document.records[1].line == 2);
  CHECK(document.records[2].line == 3);
  CHECK(document.records[2].fields[1].line == 3);
  CHECK_FALSE(document.records[1].fields[0].quoted);
}

TEST_CASE("quoted fields kept exactly", "[csv]") {
  CsvDocument document =
      read_csv("\"a, b\",\"say \"\"hi\"\"\",\"  padded\t \",\"\",\"\"\"\"\n", "input.csv");

  REQUIRE(document.records.size() == 1);
  const CsvRecord& record = document.records[0];
  REQUIRE(record.fields.size() == 5);
  CHECK(record.fields[0].text == "a, b");
  CHECK(record.fields[1].text == "say \"hi\"");
  CHECK(record.fields[2].text == "  padded\t ");
  CHECK(record.fields[3].text.empty());
  CHECK(record.fields[4].text == "\"");
  for (const CsvField& field : record.fields) CHECK(field.quoted);
}

TEST_CASE("unquoted fields trimmed of blanks", "[csv]") {
  SECTION("comma-separated") {
    CsvDocument document = read_csv(" a ,\tb\t,  c d  \n", "input.csv");
    REQUIRE(document.records.size() == 1);
    CHECK(field_texts(document.records[0]) == Fields{"a", "b", "c d"});
  }
  SECTION("tab-separated") {
    CsvDocument document = read_csv("a \t b\t c \n", "input.csv", '\t');
    REQUIRE(document.records.size() == 1);
    CHECK(field_texts(document.records[0]) == Fields{"a", "b", "c"});
  }
  SECTION("blanks around a quoted field") {
    CsvDocument document = read_csv("  \" x \"  ,y\n", "input.csv");
    REQUIRE(document.records.size() == 1);
    CHECK(document.records[0].fields[0].text == " x ");
    CHECK(document.records[0].fields[0].quoted);
  }
}

TEST_CASE("newlines inside quotes", "[csv]") {
  SECTION("LF inside a field") {
    CsvDocument document = read_csv("id,note\na,\"line one\nline two\",z\nb,c\n", "input.csv");
    REQUIRE(document.records.size() == 3);
    const CsvRecord& record = document.records[1];
    REQUIRE(record.fields.size() == 3);
    CHECK(record.fields[1].text == "line one\nline two");
    CHECK(record.line == 2);
    CHECK(record.fields[1].line == 2);
    CHECK(record.fields[2].line == 3);
    CHECK(document.records[2].line == 4);
  }
  SECTION("CRLF inside a field is kept") {
    CsvDocument document = read_csv("\"x\r\ny\",1\r\nb,2\r\n", "input.csv");
    REQUIRE(document.records.size() == 2);
    CHECK(document.records[0].fields[0].text == "x\r\ny");
    CHECK(document.records[1].line == 3);
  }
  SECTION("several line breaks in one field") {
    CsvDocument document = read_csv("\"1\n2\n\n4\"\nnext\n", "input.csv");
    REQUIRE(document.records.size() == 2);
    CHECK(document.records[0].fields[0].text == "1\n2\n\n4");
    CHECK(document.records[1].line == 5);
  }
}

TEST_CASE("CRLF and LF give same records", "[csv]") {
  CsvDocument lf = read_csv("model,mmlu\na,0.5\nb,0.7\n", "input.csv");
  CsvDocument crlf = read_csv("model,mmlu\r\na,0.5\r\nb,0.7\r\n", "input.csv");

  REQUIRE(crlf.records.size() == lf.records.size());
  for (std::size_t r = 0; r < lf.records.size(); ++r) {
    CHECK(field_texts(crlf.records[r]) == field_texts(lf.records[r]));
    CHECK(crlf.records[r].line == lf.records[r].line);
  }
}

TEST_CASE("byte order mark stripped", "[csv]") {
  SECTION("before an unquoted field") {
    CsvDocument document = read_csv("\xEF\xBB\xBFmodel,mmlu\na,1\n", "input.csv");
    REQUIRE(document.records.size() == 2);
    CHECK(document.records[0].fields[0].text == "model");
    CHECK(document.records[0].line == 1);
  }
  SECTION("before a quoted field") {
    CsvDocument document = read_csv("\xEF\xBB\xBF\"model\",mmlu\n", "input.csv");
    REQUIRE(document.records.size() == 1);
    CHECK(document.records[0].fields[0].text == "model");
    CHECK(document.records[0].fields[0].quoted);
  }
  SECTION("a second mark is an error") {
    // Only the first mark is stripped; another one would hide inside a name.
    CHECK_THROWS_WITH(read_csv("\xEF\xBB\xBF\xEF\xBB\xBFmodel\n", "input.csv"),
                      Catch::Contains("input.csv:1:4") && Catch::Contains("byte order mark"));
  }
  SECTION("alone") {
    CsvDocument document = read_csv("\xEF\xBB\xBF", "input.csv");
    CHECK(document.records.empty());
  }
}

TEST_CASE("blank lines skipped", "[csv]") {
  CsvDocument document = read_csv("\n\nmodel,mmlu\n\na,1\n   \n\nb,2\n\n", "input.csv");

  REQUIRE(document.records.size() == 3);
  CHECK(document.records[0].line == 3);
  CHECK(document.records[1].line == 5);
  CHECK(document.records[2].line == 8);
  CHECK(field_texts(document.records[2]) == Fields{"b", "2"});
}

TEST_CASE("quoted empty line is a record", "[csv]") {
  CsvDocument document = read_csv("a\n\"\"\nb\n", "input.csv");

  REQUIRE(document.records.size() == 3);
  REQUIRE(document.records[1].fields.size() == 1);
  CHECK(document.records[1].fields[0].text.empty());
  CHECK(document.records[1].fields[0].quoted);
}

TEST_CASE("last line without newline", "[csv]") {
  SECTION("unquoted") {
    CsvDocument document = read_csv("model,mmlu\na,0.5", "input.csv");
    REQUIRE(document.records.size() == 2);
    CHECK(field_texts(document.records[1]) == Fields{"a", "0.5"});
  }
  SECTION("quoted") {
    CsvDocument document = read_csv("model,mmlu\na,\"0.5\"", "input.csv");
    REQUIRE(document.records.size() == 2);
    CHECK(document.records[1].fields[1].text == "0.5");
  }
  SECTION("ending in a delimiter") {
    CsvDocument document = read_csv("model,mmlu\na,", "input.csv");
    REQUIRE(document.records.size() == 2);
    CHECK(field_texts(document.records[1]) == Fields{"a", ""});
  }
}

TEST_CASE("empty input has no records", "[csv]") {
  SECTION("no bytes") { CHECK(read_csv("", "input.csv").records.empty()); }
  SECTION("only line ends") { CHECK(read_csv("\n\r\n\n", "input.csv").records.empty()); }
}

TEST_CASE("BOM, CRLF and blank lines together", "[csv]") {
  CsvDocument document =
      read_csv(test::read_data("input/bom_crlf_blank_lines.csv"), "bom_crlf_blank_lines.csv");

  CHECK(document.delimiter == ',');
  REQUIRE(document.records.size() == 3);
  CHECK(field_texts(document.records[0]) ==
        Fields{"model", "MMLU, 5-shot", "say \"hi\"", "training_flop"});
  CHECK(field_texts(document.records[1]) == Fields{"gpt-a", "0.5", "0.25", "1e23"});
  CHECK(field_texts(document.records[2]) == Fields{"gpt-b", "0.75", "NA", "2e23"});
  CHECK(document.records[0].line == 1);
  CHECK(document.records[1].line == 3);
  CHECK(document.records[2].line == 6);
}

TEST_CASE("delimiter detected from first record", "[csv]") {
  SECTION("comma") { CHECK(read_csv("a,b,c\n", "input.csv").delimiter == ','); }
  SECTION("tab") {
    CsvDocument document = read_csv("a\tb\tc\n1\t2\t3\n", "input.csv");
    CHECK(document.delimiter == '\t');
    REQUIRE(document.records.size() == 2);
    CHECK(field_texts(document.records[1]) == Fields{"1", "2", "3"});
  }
  SECTION("semicolon") { CHECK(read_csv("a;b;c\n", "input.csv").delimiter == ';'); }
  SECTION("most frequent wins") {
    CHECK(read_csv("a,b;c;d\n", "input.csv").delimiter == ';');
    CHECK(read_csv("a\tb\tc,d\n", "input.csv").delimiter == '\t');
  }
  SECTION("comma wins a tie with semicolon") {
    CHECK(read_csv("a,b;c\n", "input.csv").delimiter == ',');
  }
  SECTION("comma wins a tie with tab") {
    CHECK(read_csv("a\tb,c\n", "input.csv").delimiter == ',');
  }
  SECTION("comma when the record has no candidate") {
    CHECK(read_csv("model\na\n", "input.csv").delimiter == ',');
  }
  SECTION("single-column header ignores later records") {
    CsvDocument document = read_csv("model\nx;y\n", "input.csv");
    CHECK(document.delimiter == ',');
    REQUIRE(document.records.size() == 2);
    CHECK(field_texts(document.records[1]) == Fields{"x;y"});
  }
  SECTION("delimiters inside quotes not counted") {
    CsvDocument document = read_csv("\"a;b;c\",d\n\"x;y\",1\n", "input.csv");
    CHECK(document.delimiter == ',');
    REQUIRE(document.records.size() == 2);
    CHECK(field_texts(document.records[1]) == Fields{"x;y", "1"});
  }
  SECTION("quoted header with a line break") {
    CHECK(read_csv("\"multi\nline, name\";b;c\n", "input.csv").delimiter == ';');
  }
  SECTION("later records not counted") {
    CsvDocument document = read_csv("a;b\n1,5;2,5\n1,5;2,5\n", "input.csv");
    CHECK(document.delimiter == ';');
    REQUIRE(document.records.size() == 3);
    CHECK(field_texts(document.records[1]) == Fields{"1,5", "2,5"});
  }
  SECTION("after a byte order mark and blank lines") {
    CHECK(read_csv("\xEF\xBB\xBF\r\n\r\na;b\r\n", "input.csv").delimiter == ';');
  }
}

TEST_CASE("explicit delimiter overrides detection", "[csv]") {
  CsvDocument document = read_csv("a;b,c;d\n", "input.csv", ';');

  CHECK(document.delimiter == ';');
  REQUIRE(document.records.size() == 1);
  CHECK(field_texts(document.records[0]) == Fields{"a", "b,c", "d"});
}

TEST_CASE("semicolon file with decimal commas", "[csv]") {
  CsvDocument document = read_csv(test::read_data("input/semicolon_decimal_comma.csv"),
                                  "semicolon_decimal_comma.csv");

  CHECK(document.delimiter == ';');
  REQUIRE(document.records.size() == 4);
  CHECK(field_texts(document.records[1]) ==
        Fields{"Mod\xC3\xA8le A", "0,625", "45,5 %", "1,5e23"});
  CHECK(field_texts(document.records[3]) ==
        Fields{"Mod\xC3\xA8le C", "-", "12 %", ""});
}

TEST_CASE("non-ASCII text kept byte for byte", "[csv]") {
  // "Café" in NFC (U+00E9) and in NFD (e + U+0301) are different byte strings.
  const std::string nfc = "Caf\xC3\xA9";
  const std::string nfd = "Cafe\xCC\x81";
  CsvDocument document =
      read_csv(nfc + "," + nfd + ",\xE6\xA8\xA1\xE5\x9E\x8B,\xF0\x9F\xA6\x99\n", "input.csv");

  REQUIRE(document.records.size() == 1);
  const CsvRecord& record = document.records[0];
  REQUIRE(record.fields.size() == 4);
  CHECK(record.fields[0].text == nfc);
  CHECK(record.fields[1].text == nfd);
  CHECK(record.fields[0].text != record.fields[1].text);
  CHECK(record.fields[2].text == "\xE6\xA8\xA1\xE5\x9E\x8B");
  CHECK(record.fields[3].text == "\xF0\x9F\xA6\x99");
}

TEST_CASE("invalid UTF-8 rejected with location", "[csv]") {
  SECTION("Latin-1 byte in a fixture") {
    std::string message;
    try {
      read_csv(test::read_data("input/latin1.csv"), "latin1.csv");
    } catch (const InputError& error) {
      message = error.what();
    }
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("latin1.csv:3:4"));
    CHECK_THAT(message, Contains("UTF-8"));
  }
  SECTION("Latin-1 byte at the end of the text") {
    std::string message = read_error("model\ncaf\xE9");
    CHECK_THAT(message, Contains("input.csv:2:4"));
    CHECK_THAT(message, Contains("UTF-8"));
  }
  SECTION("offset counted within the line after CRLF") {
    std::string message = read_error("a,b\r\nxy,\"q\xFFz\"\r\n");
    CHECK_THAT(message, Contains("input.csv:2:6"));
    CHECK_THAT(message, Contains("UTF-8"));
  }
  SECTION("invalid byte inside a multi-line quoted field") {
    std::string message = read_error("\"a\nb\x80\"\n");
    CHECK_THAT(message, Contains("input.csv:2:2"));
  }
  SECTION("overlong encoding") {
    CHECK_THAT(read_error("a\xC0\xAF\n"), Contains("input.csv:1:2"));
  }
  SECTION("UTF-16 surrogate") {
    CHECK_THAT(read_error("ab\xED\xA0\x80\n"), Contains("input.csv:1:3"));
  }
  SECTION("code point above U+10FFFF") {
    CHECK_THAT(read_error("\xF4\x90\x80\x80\n"), Contains("input.csv:1:1"));
  }
  SECTION("truncated sequence before a delimiter") {
    CHECK_THAT(read_error("x,\xE6\xA8,y\n"), Contains("input.csv:1:3"));
  }
}

TEST_CASE("valid multi-byte UTF-8 accepted", "[csv]") {
  // U+0080, U+07FF, U+0800, U+FFFF, U+10000 and U+10FFFF are the lowest and highest code
  // points of each encoded length.
  std::string text =
      "\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xEF\xBF\xBF,\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF\n";
  CsvDocument document = read_csv(text, "input.csv");

  REQUIRE(document.records.size() == 1);
  CHECK(document.records[0].fields.size() == 6);
}

TEST_CASE("unterminated quote names its line", "[csv]") {
  SECTION("at the end of the text") {
    std::string message = read_error("model,mmlu\na,\"0.5\nb,0.7\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("input.csv:2:"));
  }
  SECTION("after blank lines") {
    std::string message = read_error("model\n\n\n\"open");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("input.csv:4:"));
  }
  SECTION("after a multi-line field of the same record") {
    std::string message = read_error("\"a\nb\",\"open\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("input.csv:2:2"));
  }
}

TEST_CASE("text after closing quote rejected", "[csv]") {
  SECTION("letters") {
    std::string message = read_error("model,mmlu\n\"a\"b,1\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("input.csv:2:1"));
  }
  SECTION("a second quoted part") {
    CHECK_FALSE(read_error("\"a\" \"b\",1\n").empty());
  }
  SECTION("in the last field of a record") {
    std::string message = read_error("x,\"a\"\"\"b\n");
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains("input.csv:1:2"));
  }
}

TEST_CASE("delimiter option values", "[csv]") {
  CHECK(parse_delimiter_option(",") == ',');
  CHECK(parse_delimiter_option(";") == ';');
  CHECK(parse_delimiter_option("tab") == '\t');
  CHECK(parse_delimiter_option("\t") == '\t');
  CHECK(parse_delimiter_option("\\t") == '\t');
}

TEST_CASE("delimiter option rejects others", "[csv]") {
  for (std::string_view value : {"", "|", " ", "TAB", "Tab", "comma", ",,", " ,", "t"}) {
    INFO("value: '" << value << "'");
    CHECK_THROWS_AS(parse_delimiter_option(value), UsageError);
  }
}

}  // namespace safetywash
