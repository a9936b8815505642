// SPDX-License-Identifier: Apache-2.0
#include "report/source_excerpt.h"

#include <algorithm>

#include "analyzer/text.h"

namespace imglint {
namespace {

constexpr int kTabWidth = 4;
// Lines longer than this (minified YAML, hostile input) are shown as a
// window around the marker so one finding never prints megabytes.
constexpr int kMaxWidth = 160;
constexpr int kContextBefore = 40;

/// One displayed cell group: the text shown for the character starting at
/// byte `offset` of the source line, and how many columns it takes.
struct Cell {
  size_t offset;
  std::string text;
  int width;
};

std::vector<Cell> Cells(std::string_view line) {
  std::vector<Cell> cells;
  for (size_t i = 0; i < line.size();) {
    size_t next = i + 1;
    while (next < line.size() && IsUtf8Continuation(line[next])) ++next;
    std::string_view raw = line.substr(i, next - i);
    if (raw == "\t") {
      cells.push_back({i, std::string(kTabWidth, ' '), kTabWidth});
    } else {
      std::string shown = TerminalSafe(raw);
      // One column per character shown: an escape such as "\x1B" takes four,
      // U+FFFD for each invalid byte takes one (wide CJK is not accounted for).
      int width = static_cast<int>(
          std::count_if(shown.begin(), shown.end(), [](char c) { return !IsUtf8Continuation(c); }));
      cells.push_back({i, shown, width});
    }
    i = next;
  }
  return cells;
}

}  // namespace

Excerpt MakeExcerpt(std::string_view source_line, int column, int end_column) {
  size_t begin = 0, end = source_line.size();  // byte span to mark
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  if (column > 0) {
    begin = std::min(static_cast<size_t>(column - 1), source_line.size());
    if (end_column > column) {
      end = std::min(static_cast<size_t>(end_column - 1), source_line.size());
    } else {
      end = begin;
      while (end < source_line.size() && !is_space(source_line[end])) ++end;
    }
  } else {
    while (begin < end && is_space(source_line[begin])) ++begin;
    while (end > begin && is_space(source_line[end - 1])) --end;
  }

  std::vector<Cell> cells = Cells(source_line);
  // Display columns of the span.
  int marker_start = -1, marker_end = -1, total = 0;
  for (const Cell& cell : cells) {
    if (marker_start < 0 && cell.offset >= begin) marker_start = total;
    if (cell.offset >= begin && cell.offset < end) marker_end = total + cell.width;
    total += cell.width;
  }
  if (marker_start < 0) marker_start = total;  // at or past the end of the line
  if (marker_end <= marker_start) marker_end = marker_start + 1;

  // Window: [from, to) display columns.
  int from = 0, to = total;
  if (total > kMaxWidth) {
    from = std::max(0, marker_start - kContextBefore);
    to = std::min(total, from + kMaxWidth);
  }
  Excerpt out;
  int at = 0;
  for (const Cell& cell : cells) {
    if (at >= from && at + cell.width <= to) out.line += cell.text;
    at += cell.width;
  }
  std::string prefix = from > 0 ? "..." : "";
  out.line = prefix + out.line + (to < total ? "..." : "");
  int pad = static_cast<int>(prefix.size()) + std::max(0, marker_start - from);
  int carets = std::max(1, std::min(marker_end, std::max(to, marker_start + 1)) - marker_start);
  out.marker = std::string(pad, ' ') + std::string(carets, '^');
  return out;
}

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') starts_.push_back(i + 1);
  }
}

std::optional<std::string_view> SourceLines::Line(int number) const {
  if (number < 1 || static_cast<size_t>(number) > starts_.size()) return std::nullopt;
  size_t start = starts_[number - 1];
  if (start == text_.size() && static_cast<size_t>(number) == starts_.size() && number > 1) {
    return std::nullopt;  // the empty "line" after a final newline
  }
  size_t end = static_cast<size_t>(number) < starts_.size() ? starts_[number] - 1 : text_.size();
  std::string_view line(text_.data() + start, end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace imglint
