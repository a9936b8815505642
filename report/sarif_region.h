// SPDX-License-Identifier: Apache-2.0
/// Byte offsets into a source text as a SARIF text region (SARIF 2.1.0
/// §3.30): 1-based lines and columns, and charOffset/charLength, counted in
/// UTF-16 code units, the unit a run means when it declares no `columnKind`
/// (§3.14.17) — so "é" is one column and "😀" two, whatever their UTF-8
/// bytes. Lines end after each '\n' (a CRLF line's '\r' is a column of it);
/// an offset at the very end of a text ending with '\n' is column 1 of the
/// line after the last.
#pragma once

#include <cstddef>
#include <string_view>

namespace imglint {

struct TextRegion {
  int start_line = 1;
  int start_column = 1;
  int end_line = 1;
  int end_column = 1;  ///< the column after the region's last character
  size_t char_offset = 0;
  size_t char_length = 0;
};

/// The region of bytes [begin, end) of `text` (UTF-8; an invalid byte counts
/// as one unit, as the U+FFFD a reader would see).
TextRegion Utf16Region(std::string_view text, size_t begin, size_t end);

/// The UTF-16 column of 1-based byte `column` on 1-based `line` of `text`
/// (readers count columns in bytes); `column` itself when the line or the
/// column is not in the text.
int Utf16Column(std::string_view text, int line, int column);

}  // namespace imglint
