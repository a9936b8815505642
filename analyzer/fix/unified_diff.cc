// SPDX-License-Identifier: Apache-2.0
#include "analyzer/fix/unified_diff.h"

#include <algorithm>

namespace imglint {
namespace {

// Whole lines [first, last) of the old text (0-based) replaced by `lines`.
struct LineChange {
  int first = 0;
  int last = 0;
  std::vector<std::string_view> lines;
  std::string storage;  // the new text the views point into
};

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  return lines;
}

// A line of the diff: its marker, its text and, for a last line without a
// line break, GNU diff's marker line.
void AppendLine(std::string* out, char marker, std::string_view line) {
  out->push_back(marker);
  out->append(line);
  if (line.empty() || line.back() != '\n') out->append("\n\\ No newline at end of file\n");
}

std::string Range(int start, int count) {
  // GNU diff: an empty range names the line before it.
  const int shown = count == 0 ? start - 1 : start;
  std::string range = std::to_string(std::max(shown, 0));
  if (count != 1) range.append(",").append(std::to_string(count));
  return range;
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before,
                        const std::vector<TextEdit>& edits, int context) {
  const LineIndex index(before);
  // Widen each edit to whole lines; edits sharing a line become one change.
  std::vector<LineChange> changes;
  size_t i = 0;
  while (i < edits.size()) {
    int line = 0;
    int column = 0;
    index.LineColumn(edits[i].begin, &line, &column);
    const size_t start = index.LineStart(line);
    size_t end = start;
    size_t reach = start;  // the furthest byte an edit of the region covers
    size_t j = i;
    std::string replaced;
    size_t at = start;
    // Take edits while they touch the region; the region ends at a line start.
    for (;;) {
      const TextEdit& e = edits[j];
      replaced.append(before.substr(at, e.begin - at));
      replaced.append(e.replacement);
      at = e.end;
      reach = std::max(reach, e.end);
      // The region ends after the line holding the edits' last byte (not
      // after the line the region already ends at: two edits on one line
      // make a one-line change); an insertion (or deletion) ending at a line
      // start whose new text ends a line ends right there.
      int end_line = 0;
      int end_column = 0;
      index.LineColumn(reach, &end_line, &end_column);
      const bool at_line_start = reach == index.LineStart(end_line) || reach == before.size();
      const bool whole = replaced.empty() || replaced.back() == '\n';
      end = at_line_start && whole ? reach : index.NextLineStart(end_line);
      ++j;
      if (j == edits.size() || edits[j].begin >= end) break;
    }
    replaced.append(before.substr(at, end - at));
    // An edit that changes nothing gets no hunk: its context would be
    // lopsided, which patch reads as a hunk at the start or end of the file.
    if (replaced == before.substr(start, end - start)) {
      i = j;
      continue;
    }
    LineChange change;
    change.first = line - 1;
    int end_line = 0;
    int end_column = 0;
    index.LineColumn(end, &end_line, &end_column);
    change.last = end >= before.size() ? index.LineCount() : end_line - 1;
    change.storage = std::move(replaced);
    changes.push_back(std::move(change));
    i = j;
  }
  for (LineChange& c : changes) c.lines = SplitLines(c.storage);
  const std::vector<std::string_view> old_lines = SplitLines(before);
  const int total = static_cast<int>(old_lines.size());

  std::string out;
  int delta = 0;  // new line numbers minus old ones, before the current hunk
  size_t k = 0;
  while (k < changes.size()) {
    // One hunk: changes whose contexts touch.
    size_t last = k;
    while (last + 1 < changes.size() && changes[last + 1].first - changes[last].last <= 2 * context)
      ++last;
    const int from = std::max(0, changes[k].first - context);
    const int to = std::min(total, changes[last].last + context);
    std::string body;
    int old_count = 0;
    int new_count = 0;
    int at_line = from;
    for (size_t c = k; c <= last; ++c) {
      for (; at_line < changes[c].first; ++at_line, ++old_count, ++new_count)
        AppendLine(&body, ' ', old_lines[static_cast<size_t>(at_line)]);
      for (; at_line < changes[c].last; ++at_line, ++old_count)
        AppendLine(&body, '-', old_lines[static_cast<size_t>(at_line)]);
      for (std::string_view l : changes[c].lines) {
        AppendLine(&body, '+', l);
        ++new_count;
      }
    }
    for (; at_line < to; ++at_line, ++old_count, ++new_count)
      AppendLine(&body, ' ', old_lines[static_cast<size_t>(at_line)]);
    if (out.empty()) {
      // An absolute path loses its leading '/' as in git's own diffs
      // (`a/tmp/x`): "a//tmp/x" is a path patch -p1 and git apply refuse.
      std::string_view shown = path;
      while (shown.size() > 1 && shown.front() == '/') shown.remove_prefix(1);
      out.append("--- a/").append(shown).append("\n+++ b/").append(shown).append("\n");
    }
    out.append("@@ -").append(Range(from + 1, old_count)).append(" +");
    out.append(Range(from + 1 + delta, new_count)).append(" @@\n").append(body);
    delta += new_count - old_count;
    k = last + 1;
  }
  return out;
}

}  // namespace imglint
