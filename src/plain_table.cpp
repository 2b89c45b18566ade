// SPDX-License-Identifier: MIT
// A streaming reader for large wide tables of plain numbers.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <unordered_set>

#include "parallel.h"
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
// Both passes split the file into byte ranges of about kRangeBytes, at most
// kMaxRanges of them, and share them among at most kMaxThreads threads.
constexpr std::size_t kRangeBytes = 2 << 20;
constexpr std::size_t kMaxRanges = 64;
constexpr unsigned kMaxThreads = 8;

// A file descriptor closed on scope exit.
class Descriptor {
 public:
  explicit Descriptor(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads up to `size` bytes at `offset` and retries short reads. Returns the
// count read, which is less at the end of the file, or nullopt on an error.
std::optional<std::size_t> read_at(int fd, char* data, std::size_t size, std::size_t offset) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t got = ::pread(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::nullopt;
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

// Asks the kernel to back the whole pages of an array of doubles with
// transparent huge pages, where it allows them on request. The first write
// to each 4 KiB page of a fresh allocation costs a page fault. In a
// micro-benchmark on the 2-core development machine, writing one byte per
// page of 35 MB took 15 ms with 4 KiB pages and 4 to 9 ms with huge pages,
// and freeing it 1.9 ms and 0.2 ms.
void advise_huge_pages(double* data, std::size_t count) {
  constexpr std::uintptr_t kPage = 4096;
  auto address = reinterpret_cast<std::uintptr_t>(data);
  std::uintptr_t first = (address + kPage - 1) & ~(kPage - 1);
  std::uintptr_t last = (address + count * sizeof(double)) & ~(kPage - 1);
  // A failed madvise only loses the speed-up, so its result is ignored.
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

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

// Counts the line feeds of a block. Returns nullopt instead when the block
// has a byte left to the general reader. Such bytes are quotes, control
// characters other than tab and line feed (carriage returns and NUL among
// them) and non-ASCII bytes, which the general reader checks as UTF-8. The
// inner loop has no branches and counts in one byte over at most 255 bytes,
// so that the compiler can vectorize it without widening.
std::optional<std::size_t> count_plain_lines(const char* data, std::size_t size) {
  unsigned char special = 0;
  std::size_t lines = 0;
  for (std::size_t start = 0; start < size; start += 255) {
    std::size_t end = std::min(size, start + 255);
    unsigned char count = 0;
    for (std::size_t i = start; i < end; ++i) {
      auto c = static_cast<unsigned char>(data[i]);
      count = static_cast<unsigned char>(count + (c == '\n'));
      special |= static_cast<unsigned char>((c == '"') | (c >= 0x7F) |
                                            ((c < 0x20) & (c != '\t') & (c != '\n')));
    }
    lines += count;
  }
  if (special != 0) return std::nullopt;
  return lines;
}

// Reads a cell that starts at p as -?digits(.digits)? with at most 15
// digits, the common case that read_number turns into one exact division,
// and ends at `stop` or right before `delimiter`. Returns the end of the
// cell, or nullptr for any other cell, which the caller then reads with
// read_number. The byte at `stop` must be readable and be neither a digit
// nor '.' nor '-', so that the loops need no bounds check: lines are read
// with their line feed after them, or from a std::string, whose NUL is.
const char* read_short_number(const char* p, const char* stop, char delimiter, double& value) {
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  auto digit = [](char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; };
  bool negative = *p == '-';
  if (negative) ++p;
  const char* start = p;
  std::uint64_t digits = 0;
  for (unsigned d; (d = digit(*p)) < 10; ++p) digits = digits * 10 + d;
  if (p == start) return nullptr;
  std::size_t fraction = 0;
  if (*p == '.') {
    const char* fraction_start = ++p;
    for (unsigned d; (d = digit(*p)) < 10; ++p) digits = digits * 10 + d;
    fraction = static_cast<std::size_t>(p - fraction_start);
    if (fraction == 0) return nullptr;
  }
  std::size_t count = static_cast<std::size_t>(p - start) - (fraction > 0 ? 1 : 0);
  if (count > 15 || p > stop || (p != stop && *p != delimiter)) return nullptr;
  value = static_cast<double>(digits) / kPowers[fraction];
  if (negative) value = -value;
  return p;
}

}  // namespace

std::optional<ScoreTable> read_plain_table(const std::string& path, const TableOptions& options,
                                           Warnings& warnings, std::size_t parts) {
  if (options.problems != nullptr || options.decimal != '.') return std::nullopt;
  Descriptor file(path);
  struct stat status {};
  if (file.get() < 0 || ::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode)) {
    return std::nullopt;
  }
  auto size = static_cast<std::size_t>(status.st_size);
  if (size == 0) return std::nullopt;

  // The header and first rows, for the general reader to classify.
  std::string head;
  for (std::size_t offset = 0, head_lines = 0; head_lines <= kHeadRows && offset < size;) {
    if (offset >= kMaxHead) return std::nullopt;
    std::size_t want = std::min(kChunk, size - offset);
    std::size_t old = head.size();
    head.resize(old + want);
    auto got = read_at(file.get(), head.data() + old, want, offset);
    if (!got || *got != want) return std::nullopt;
    std::size_t keep = 0;
    for (; keep < want && head_lines <= kHeadRows; ++keep) {
      if (head[old + keep] == '\n') ++head_lines;
    }
    head.resize(old + keep);
    offset += want;
  }

  // Byte ranges, and the first pass over them. It counts the line feeds,
  // which give the number of each range's first line and the size of the
  // score matrix, allocated once. It also looks for bytes left to the
  // general reader. There are more ranges than threads, and each goes to
  // the next free thread, so that a thread slowed down by other work on a
  // shared machine holds up only the range it is reading.
  // NOTE: the reader takes one thread per core regardless of --threads,
  // because TableOptions carries no thread count.
  if (parts == 0) parts = std::clamp<std::size_t>(size / kRangeBytes, 1, kMaxRanges);
  parts = std::min(parts, size);
  unsigned threads = core_threads(kMaxThreads);
  std::vector<std::size_t> bounds(parts + 1);
  for (std::size_t t = 0; t <= parts; ++t) bounds[t] = size * t / parts;
  std::vector<std::size_t> newlines(parts, 0);
  std::vector<char> plain(parts, 0);
  auto count_part = [&](std::size_t t) {
    std::vector<char> chunk(std::min(kChunk, size));
    for (std::size_t offset = bounds[t]; offset < bounds[t + 1];) {
      std::size_t want = std::min(kChunk, bounds[t + 1] - offset);
      auto got = read_at(file.get(), chunk.data(), want, offset);
      if (!got || *got != want) return;
      std::optional<std::size_t> lines_in_chunk = count_plain_lines(chunk.data(), want);
      if (!lines_in_chunk) return;
      newlines[t] += *lines_in_chunk;
      offset += want;
    }
    plain[t] = 1;
  };
  auto run_parts = [&](const std::function<void(std::size_t)>& task) {
    for_each_index(parts, threads, task);
  };
  run_parts(count_part);
  if (std::count(plain.begin(), plain.end(), 1) != static_cast<std::ptrdiff_t>(parts)) {
    return std::nullopt;
  }
  // first_line[t]: the number of line feeds before range t.
  std::vector<std::size_t> first_line(parts + 1, 0);
  std::partial_sum(newlines.begin(), newlines.end(), first_line.begin() + 1);
  char last = 0;
  if (read_at(file.get(), &last, 1, size - 1) != std::optional<std::size_t>(1)) return std::nullopt;
  std::size_t lines = first_line[parts] + (last != '\n' ? 1 : 0);
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
  advise_huge_pages(table.scores.data(), static_cast<std::size_t>(table.scores.size()));
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

  // Where each column's numbers go, one per row. Null for text columns.
  std::vector<double*> numbers(width, nullptr);
  for (std::size_t column = 0; column < width; ++column) {
    const Column& sink = columns[column];
    if (sink.sink == Sink::Score) {
      numbers[column] = table.scores.col(static_cast<Eigen::Index>(sink.index)).data();
    } else if (sink.sink == Sink::Number) {
      numbers[column] = table.attributes[sink.index].values.data();
    }
  }

  // Reads line `line` (0-based; line 0 is the header) into row line - 1.
  // As read_short_number requires, the byte after `text` is a line feed or
  // the NUL of a std::string.
  auto read_line = [&](std::string_view text, std::size_t line) {
    if (text.empty() || line == 0 || line > rows) return false;
    std::size_t row = line - 1;
    const char* p = text.data();
    const char* stop = p + text.size();
    for (std::size_t column = 0;; ++column) {
      if (column == width) return false;
      double* destination = numbers[column];
      double value = 0.0;
      const char* end =
          destination != nullptr ? read_short_number(p, stop, delimiter, value) : nullptr;
      if (end == nullptr) {
        const Column& sink = columns[column];
        auto* found = static_cast<const char*>(
            std::memchr(p, delimiter, static_cast<std::size_t>(stop - p)));
        end = found != nullptr ? found : stop;
        std::string_view cell = trim(std::string_view(p, static_cast<std::size_t>(end - p)));
        switch (sink.sink) {
          case Sink::Model:
            if (cell.empty()) return false;
            table.models[row] = cell;
            break;
          case Sink::Score:
          case Sink::Number:
            if (!read_number(cell, value)) return false;
            break;
          case Sink::Text:
            table.attributes[sink.index].text[row] = cell;
            break;
        }
      }
      if (destination != nullptr) destination[row] = value;
      if (end == stop) {
        table.model_lines[row] = line + 1;
        return column + 1 == width;
      }
      p = end + 1;
    }
  };

  // Reads the lines that start in range t, the last one to its end even
  // when that lies past the range. The part of a line that started in an
  // earlier range is skipped. started[t] is the number of the first line
  // the range reads and ended[t] that of the line after its last, so the
  // ranges read every line once when each ends where the next starts.
  std::vector<std::size_t> started(parts, 0), ended(parts, 0);
  std::vector<char> failed(parts, 0);
  auto read_part = [&](std::size_t t) {
    std::size_t begin = bounds[t], end = bounds[t + 1];
    std::size_t line = first_line[t];
    bool skipping = false;
    if (begin > 0) {
      char before = 0;
      if (read_at(file.get(), &before, 1, begin - 1) != std::optional<std::size_t>(1)) {
        failed[t] = 1;
        return;
      }
      skipping = before != '\n';
    }
    started[t] = line + (skipping ? 1 : 0);
    std::vector<char> chunk(std::min(kChunk, size));
    std::string pending;  // a line cut by the end of a chunk
    bool done = false;    // the next line starts in a later range
    for (std::size_t offset = begin; !done && offset < size;) {
      std::size_t want = std::min(kChunk, size - offset);
      auto got = read_at(file.get(), chunk.data(), want, offset);
      if (!got || *got != want) {
        failed[t] = 1;
        return;
      }
      std::string_view view(chunk.data(), want);
      std::size_t start = 0;
      for (std::size_t feed; !done && (feed = view.find('\n', start)) != std::string_view::npos;) {
        if (!skipping && line > 0) {
          std::string_view text = view.substr(start, feed - start);
          if (!pending.empty()) {
            pending.append(text);
            text = pending;
          }
          if (!read_line(text, line)) {
            failed[t] = 1;
            return;
          }
        }
        pending.clear();
        skipping = false;
        ++line;
        start = feed + 1;
        done = offset + start >= end;
      }
      if (!done && !skipping) pending.append(view.substr(start));
      offset += want;
    }
    if (!done) {
      // The end of the file ends a line without a line feed: read it, or
      // count it when an earlier range read it.
      if (!skipping && !pending.empty() && !read_line(pending, line)) {
        failed[t] = 1;
        return;
      }
      if (skipping || !pending.empty()) ++line;
    }
    ended[t] = line;
  };
  run_parts(read_part);
  if (std::count(failed.begin(), failed.end(), 1) != 0 || started[0] != 0 ||
      ended[parts - 1] != lines) {
    return std::nullopt;
  }
  for (std::size_t t = 0; t + 1 < parts; ++t) {
    if (ended[t] != started[t + 1]) return std::nullopt;
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
