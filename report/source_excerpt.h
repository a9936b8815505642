// SPDX-License-Identifier: Apache-2.0
/// The "source line with a caret under the token" part of a text diagnostic:
/// picks line N out of a file and lines a marker up under the byte columns a
/// finding gives, whatever tabs, control bytes or UTF-8 the line holds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

struct Excerpt {
  std::string line;    // terminal-safe, tabs expanded, possibly shortened
  std::string marker;  // spaces then '^'s, aligned under `line`
};

/// `column`/`end_column` are 1-based byte columns (0 = unknown); the span is
/// [column, end_column) when end_column > column, else the token starting
/// at `column` (up to whitespace), else the whole line's text.
Excerpt MakeExcerpt(std::string_view source_line, int column, int end_column);

/// A file's text split into lines once, so many findings in one file cost one
/// split. `text` must outlive it.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text);
  /// Line `number` (1-based) without its line terminator, or nullopt.
  std::optional<std::string_view> Line(int number) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

}  // namespace imglint
