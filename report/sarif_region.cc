// SPDX-License-Identifier: Apache-2.0
#include "report/sarif_region.h"

namespace imglint {
namespace {

bool Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The UTF-8 sequence at `at`: its length in bytes and in UTF-16 code units.
void Sequence(std::string_view text, size_t at, size_t* bytes, size_t* units) {
  const auto lead = static_cast<unsigned char>(text[at]);
  size_t need = 0;
  *units = 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (at + k >= text.size() || !Continuation(static_cast<unsigned char>(text[at + k]))) {
      need = 0;  // malformed: the lead byte alone is one replacement character
      break;
    }
  }
  if (need == 3) *units = 2;  // outside the Basic Multilingual Plane: a surrogate pair
  *bytes = need + 1;
}

}  // namespace

TextRegion Utf16Region(std::string_view text, size_t begin, size_t end) {
  end = end < text.size() ? end : text.size();
  begin = begin < end ? begin : end;
  TextRegion region;
  int line = 1;
  size_t units = 0;       // UTF-16 units before `at`
  size_t line_units = 0;  // ... before the current line
  size_t at = 0;
  auto mark = [&](int* out_line, int* out_column) {
    *out_line = line;
    *out_column = static_cast<int>(units - line_units) + 1;
  };
  bool begun = false;
  for (;;) {
    if (!begun && at >= begin) {
      mark(&region.start_line, &region.start_column);
      region.char_offset = units;
      begun = true;
    }
    if (at >= end || at >= text.size()) break;
    size_t bytes = 1;
    size_t count = 1;
    Sequence(text, at, &bytes, &count);
    const bool newline = text[at] == '\n';
    at += bytes;
    units += count;
    if (newline) {
      ++line;
      line_units = units;
    }
  }
  mark(&region.end_line, &region.end_column);
  region.char_length = units - region.char_offset;
  return region;
}

int Utf16Column(std::string_view text, int line, int column) {
  if (line < 1 || column < 1) return column;
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return column;
    start = nl + 1;
  }
  const size_t end = text.find('\n', start);
  const size_t offset = start + static_cast<size_t>(column - 1);
  if (offset > (end == std::string_view::npos ? text.size() : end + 1)) return column;
  const TextRegion region = Utf16Region(text, start, offset);
  return static_cast<int>(region.char_length) + 1;
}

}  // namespace imglint
