// SPDX-License-Identifier: Apache-2.0
#include "analyzer/fix/text_edit.h"

#include <algorithm>
#include <tuple>

namespace imglint {

LineIndex::LineIndex(std::string_view text) : text_(text) {
  if (text.empty()) return;
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) starts_.push_back(i + 1);
  }
}

size_t LineIndex::LineStart(int line) const {
  if (line < 1) return 0;
  if (line > LineCount()) return text_.size();
  return starts_[static_cast<size_t>(line - 1)];
}

size_t LineIndex::LineEnd(int line) const {
  const size_t next = NextLineStart(line);
  if (line > LineCount()) return text_.size();
  size_t end = next;
  if (end > LineStart(line) && text_[end - 1] == '\n') {
    --end;
    if (end > LineStart(line) && text_[end - 1] == '\r') --end;
  }
  return end;
}

std::string_view LineIndex::LineBreak(int line) const {
  if (line < 1 || line > LineCount()) return {};
  const size_t end = LineEnd(line);
  return text_.substr(end, NextLineStart(line) - end);
}

std::optional<size_t> LineIndex::Offset(int line, int column) const {
  if (line < 1 || line > LineCount() || column < 1) return std::nullopt;
  const size_t offset = LineStart(line) + static_cast<size_t>(column - 1);
  if (offset > LineEnd(line)) return std::nullopt;
  return offset;
}

void LineIndex::LineColumn(size_t offset, int* line, int* column) const {
  if (starts_.empty()) {
    *line = 1;
    *column = static_cast<int>(offset) + 1;
    return;
  }
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const size_t index = static_cast<size_t>(it - starts_.begin()) - 1;
  *line = static_cast<int>(index) + 1;
  *column = static_cast<int>(offset - starts_[index]) + 1;
}

void LineIndex::Locate(TextEdit* edit) const {
  LineColumn(edit->begin, &edit->start_line, &edit->start_column);
  LineColumn(edit->end, &edit->end_line, &edit->end_column);
}

bool NormalizeEdits(std::vector<TextEdit>* edits, std::string* error) {
  std::sort(edits->begin(), edits->end(), [](const TextEdit& a, const TextEdit& b) {
    return std::tie(a.begin, a.end, a.replacement) < std::tie(b.begin, b.end, b.replacement);
  });
  edits->erase(std::unique(edits->begin(), edits->end()), edits->end());
  // Inserting nothing is no edit.
  edits->erase(
      std::remove_if(edits->begin(), edits->end(),
                     [](const TextEdit& e) { return e.begin == e.end && e.replacement.empty(); }),
      edits->end());
  for (size_t i = 1; i < edits->size(); ++i) {
    const TextEdit& a = (*edits)[i - 1];
    const TextEdit& b = (*edits)[i];
    if (a.end > b.begin || (a.begin == b.begin && a.end == a.begin && b.end == b.begin)) {
      *error = "two edits overlap at byte " + std::to_string(b.begin);
      return false;
    }
  }
  return true;
}

std::string ApplyEdits(std::string_view text, const std::vector<TextEdit>& edits) {
  std::string out;
  out.reserve(text.size() + 256);
  size_t at = 0;
  for (const TextEdit& e : edits) {
    out.append(text.substr(at, e.begin - at));
    out.append(e.replacement);
    at = e.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace imglint
