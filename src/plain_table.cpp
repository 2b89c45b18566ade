// SPDX-License-Identifier: MIT
// A streaming reader for large wide tables of plain numbers.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <thread>
#include <unordered_set>

#include "safetywash/csv.h"
#include "safetywash/error.h"
#include "safetywash/input.h"
#include "safetywash/load.h"

namespace safetywash {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kChunk = 1 << 20;
// Rows of the first part read, which the general reader classifies.
constexpr std::size_t kHeadRows = 8;
// A header and first rows longer than this go to the general reader.
constexpr std::size_t kMaxHead = 16 << 20;
// The second pass splits the file at every kStride-th line, among at most
// kMaxThreads threads.
constexpr std::size_t kStride = 4096;
constexpr std::size_t kMaxThreads = 8;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Destination of the cells of one column.
enum class Sink { Model, Score, Number, Text };

struct Column {
  Sink sink = Sink::Score;
  std::size_t index = 0;  // benchmark or attribute index
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// True for -?digits(.digits)?([eE][+-]?digits)?, the numbers whose reading
// cannot differ from the general reader's.
bool is_plain_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  std::size_t start = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == start) return false;
  if (i < n && s[i] == '.') {
    std::size_t fraction = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == fraction) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exponent) return false;
  }
  return i == n;
}

// Reads a plain number or an empty cell (NaN); false for anything else.
// With at most 15 digits and no exponent, the digits form an integer below
// 2^53 and the divisor is a power of ten up to 10^22. Both are exact doubles,
// so one correctly rounded division gives the same double as from_chars.
// Other numbers go to from_chars.
bool read_number(std::string_view cell, double& value) {
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (cell.empty()) {
    value = kNaN;
    return true;
  }

  const char* p = cell.data();
  const char* stop = p + cell.size();
  bool negative = *p == '-';
  if (negative) ++p;
  std::uint64_t digits = 0;
  std::size_t count = 0, fraction = 0;
  const char* start = p;
  for (; p < stop && *p >= '0' && *p <= '9'; ++p, ++count) digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
  bool plain = p > start;
  if (plain && p < stop && *p == '.') {
    const char* fraction_start = ++p;
    for (; p < stop && *p >= '0' && *p <= '9'; ++p, ++count) digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
    fraction = static_cast<std::size_t>(p - fraction_start);
    plain = fraction > 0;
  }

  if (plain && p == stop && count <= 15 && fraction <= 22) {
    value = static_cast<double>(digits) / kPowers[fraction];
    if (negative) value = -value;
    return true;
  }
  if (!is_plain_number(cell)) return false;
  auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return error == std::errc() && end == cell.data() + cell.size() && std::isfinite(value);
}

// Bytes the reader leaves to the general one: quotes, control characters
// other than tab and line feed (carriage returns and NUL among them) and
// non-ASCII bytes, which the general reader checks as UTF-8.
bool has_special_byte(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    auto c = static_cast<unsigned char>(data[i]);
    if (c == '"' || c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

std::optional<ScoreTable> read_plain_table(const std::string& path, const TableOptions& options,
                                           Warnings& warnings) {
  if (options.problems != nullptr || options.decimal != '.') return std::nullopt;
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) return std::nullopt;

  // First pass: count the lines and look for bytes left to the general
  // reader, so that the score matrix is allocated once at its final size.
  std::vector<char> buffer(kChunk);
  std::size_t lines = 0, size = 0;
  char last = '\n';
  std::string head;
  std::size_t head_lines = 0;
  // Byte offset of the start of every kStride-th line (0, kStride, ...),
  // where the parallel second pass can start reading.
  std::vector<std::size_t> starts = {0};
  while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get())) {
    if (has_special_byte(buffer.data(), got)) return std::nullopt;
    std::size_t in_chunk = 0;
    for (const char* p = buffer.data(); (p = static_cast<const char*>(std::memchr(
                                             p, '\n', static_cast<std::size_t>(buffer.data() + got - p)))) != nullptr;
         ++p) {
      ++in_chunk;
      if ((lines + in_chunk) % kStride == 0) {
        starts.push_back(size + static_cast<std::size_t>(p - buffer.data()) + 1);
      }
    }
    if (head_lines <= kHeadRows) {
      for (std::size_t i = 0; i < got && head_lines <= kHeadRows; ++i) {
        head.push_back(buffer[i]);
        if (buffer[i] == '\n') ++head_lines;
      }
      if (head.size() > kMaxHead) return std::nullopt;
    }
    lines += in_chunk;
    size += got;
    last = buffer[got - 1];
  }
  if (std::ferror(file.get())) return std::nullopt;
  if (last != '\n') ++lines;
  if (lines < 2) return std::nullopt;

  // The general reader classifies the columns from the header and first
  // rows; any warning or error there leaves the file to it.
  Warnings head_warnings;
  ScoreTable shape;
  char delimiter = 0;
  try {
    if (detect_format(head, options) != InputFormat::Wide) return std::nullopt;
    delimiter = read_csv(head, path, options.delimiter).delimiter;
    shape = parse_table(head, input_name(path), options, head_warnings);
  } catch (const InputError&) {
    return std::nullopt;
  }
  if (!head_warnings.empty() || shape.models.empty() || shape.model_lines.front() != 2) {
    return std::nullopt;
  }

  std::size_t rows = lines - 1;
  std::size_t width = shape.benchmarks.size() + shape.attributes.size() + 1;
  std::vector<Column> columns(width, Column{Sink::Model, 0});
  for (std::size_t j = 0; j < shape.benchmarks.size(); ++j) {
    std::size_t position = shape.benchmark_positions[j];
    if (position == 0 || position > width) return std::nullopt;
    columns[position - 1] = {Sink::Score, j};
  }
  for (std::size_t a = 0; a < shape.attributes.size(); ++a) {
    std::size_t position = shape.attributes[a].position;
    if (position == 0 || position > width) return std::nullopt;
    columns[position - 1] = {shape.attributes[a].numeric ? Sink::Number : Sink::Text, a};
  }
  if (std::count_if(columns.begin(), columns.end(),
                    [](const Column& c) { return c.sink == Sink::Model; }) != 1) {
    return std::nullopt;
  }

  ScoreTable table;
  table.source = shape.source;
  table.benchmarks = shape.benchmarks;
  table.benchmark_positions = shape.benchmark_positions;
  table.models.resize(rows);
  table.model_lines.resize(rows);
  table.scores.resize(static_cast<Eigen::Index>(rows),
                      static_cast<Eigen::Index>(table.benchmarks.size()));
  for (const Attribute& attribute : shape.attributes) {
    Attribute& copy = table.attributes.emplace_back();
    copy.name = attribute.name;
    copy.position = attribute.position;
    copy.numeric = attribute.numeric;
    if (copy.numeric) {
      copy.values.resize(rows);
    } else {
      copy.text.resize(rows);
    }
  }

  // Reads line `line` (0-based; line 0 is the header) into row line - 1.
  auto read_line = [&](std::string_view text, std::size_t line) {
    if (text.empty() || line == 0 || line > rows) return false;
    std::size_t row = line - 1;
    auto row_index = static_cast<Eigen::Index>(row);
    std::size_t column = 0, start = 0;
    while (true) {
      std::size_t end = text.find(delimiter, start);
      std::string_view cell = trim(text.substr(start, end == std::string_view::npos
                                                          ? std::string_view::npos
                                                          : end - start));
      if (column == width) return false;
      const Column& sink = columns[column];
      double value = 0.0;
      switch (sink.sink) {
        case Sink::Model:
          if (cell.empty()) return false;
          table.models[row] = cell;
          break;
        case Sink::Score:
          if (!read_number(cell, value)) return false;
          table.scores(row_index, static_cast<Eigen::Index>(sink.index)) = value;
          break;
        case Sink::Number:
          if (!read_number(cell, value)) return false;
          table.attributes[sink.index].values[row] = value;
          break;
        case Sink::Text:
          table.attributes[sink.index].text[row] = cell;
          break;
      }
      ++column;
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    table.model_lines[row] = line + 1;
    return column == width;
  };

  // Reads lines [first, last) from byte offset `offset` with its own file
  // handle, so that parts of the file are read in parallel.
  auto read_part = [&](std::size_t offset, std::size_t first, std::size_t last) {
    File part(std::fopen(path.c_str(), "rb"));
    if (!part || std::fseek(part.get(), static_cast<long>(offset), SEEK_SET) != 0) return false;
    std::vector<char> chunk(kChunk);
    std::string pending;  // a line cut by the end of a chunk
    std::size_t line = first;
    while (line < last) {
      std::size_t got = std::fread(chunk.data(), 1, chunk.size(), part.get());
      if (got == 0) break;
      std::string_view view(chunk.data(), got);
      std::size_t start = 0;
      while (line < last) {
        std::size_t end = view.find('\n', start);
        if (end == std::string_view::npos) {
          pending.append(view.substr(start));
          break;
        }
        std::string_view text = view.substr(start, end - start);
        if (!pending.empty()) {
          pending.append(text);
          text = pending;
        }
        if (line > 0 && !read_line(text, line)) return false;
        pending.clear();
        ++line;
        start = end + 1;
      }
    }
    if (std::ferror(part.get())) return false;
    if (line < last && !pending.empty()) {
      if (!read_line(pending, line)) return false;
      ++line;
    }
    return line == last;
  };

  // Parts of whole strides of lines, one per thread.
  // NOTE: the reader takes one thread per core whatever --threads says,
  // because TableOptions carries no thread count.
  std::size_t parts = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxThreads);
  parts = std::min(parts, starts.size());
  std::vector<std::thread> pool;
  std::vector<char> succeeded(parts, 0);
  for (std::size_t t = 0; t < parts; ++t) {
    std::size_t first_stride = starts.size() * t / parts;
    std::size_t last_stride = starts.size() * (t + 1) / parts;
    std::size_t first = first_stride * kStride;
    std::size_t last = t + 1 == parts ? lines : last_stride * kStride;
    auto task = [&, t, first, last, offset = starts[first_stride]] {
      succeeded[t] = read_part(offset, first, last) ? 1 : 0;
    };
    if (t + 1 == parts) {
      task();
    } else {
      pool.emplace_back(task);
    }
  }
  for (std::thread& thread : pool) thread.join();
  if (std::count(succeeded.begin(), succeeded.end(), 1) != static_cast<std::ptrdiff_t>(parts)) {
    return std::nullopt;
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(rows);
  for (const std::string& model : table.models) {
    if (!seen.insert(model).second) return std::nullopt;
  }
  warnings.insert(warnings.end(), head_warnings.begin(), head_warnings.end());
  return table;
}

}  // namespace safetywash
