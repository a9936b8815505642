// SPDX-License-Identifier: Apache-2.0
/// The edit model of `imglint fix` (docs/design.md §4, "Fixes"): an edit
/// replaces a byte range of one file's text with new text. Fixes are splices
/// at positions the readers recorded, never a re-serialised tree, so every
/// byte no edit covers — comments, quoting, style, line endings — stays as
/// it was. Line and column ride along for SARIF `fixes` (a replacement's
/// region); Dockerfile fixes use the same model.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

/// Bytes [begin, end) of the file at `path` become `replacement`; begin ==
/// end is an insertion. Lines and columns are 1-based, columns in bytes, the
/// end exclusive (SARIF's region); filled by LineIndex::Locate.
struct TextEdit {
  std::string path;
  size_t begin = 0;
  size_t end = 0;
  std::string replacement;
  int start_line = 0;
  int start_column = 0;
  int end_line = 0;
  int end_column = 0;

  bool operator==(const TextEdit& other) const {
    return path == other.path && begin == other.begin && end == other.end &&
           replacement == other.replacement;
  }
};

/// Where each line of a text starts. Lines end at '\n' (a CRLF line's '\r'
/// belongs to its line break).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  /// Lines in the text; a last line without a line break counts.
  int LineCount() const { return static_cast<int>(starts_.size()); }
  /// Offset of the first byte of 1-based `line`; the text's size past the end.
  size_t LineStart(int line) const;
  /// Offset of the line's break ('\r' of "\r\n", or '\n'), or the text's
  /// size for a last line without one.
  size_t LineEnd(int line) const;
  /// Offset of the line after `line` (the text's size after the last).
  size_t NextLineStart(int line) const { return LineStart(line + 1); }
  /// The line's break: "\r\n", "\n", or "" for a last line without one.
  std::string_view LineBreak(int line) const;
  /// Offset of 1-based (line, column), or nullopt when outside the line.
  std::optional<size_t> Offset(int line, int column) const;
  /// 1-based line and column of `offset`.
  void LineColumn(size_t offset, int* line, int* column) const;
  /// Fills the edit's lines and columns from its offsets.
  void Locate(TextEdit* edit) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

/// The edits for one change, or why it is not made (a manifest or
/// Dockerfile fix).
struct TextFix {
  std::vector<TextEdit> edits;  ///< none: nothing to change (or refused)
  std::string refusal;          ///< "" unless the change cannot be made safely
  std::string summary;          ///< what the edits do, for the report

  bool refused() const { return !refusal.empty(); }
};

/// Sorts `edits` by position and drops exact duplicates (two findings may
/// ask for the same change). False, with *error, when two edits overlap or
/// two different insertions share an offset: their order would be a guess.
bool NormalizeEdits(std::vector<TextEdit>* edits, std::string* error);

/// `text` with normalized `edits` applied.
std::string ApplyEdits(std::string_view text, const std::vector<TextEdit>& edits);

}  // namespace imglint
