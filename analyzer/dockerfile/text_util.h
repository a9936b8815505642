// SPDX-License-Identifier: Apache-2.0
/// Character classes shared by the Dockerfile parser and shell lexer
/// (decoding itself is analyzer/text.h's DecodeUtf8).
/// BuildKit is written in Go and classifies characters with Go's `unicode`
/// package; these helpers reproduce the classes it relies on (IsSpace exactly,
/// IsLetter/IsPrint closely enough for Dockerfiles) while never failing on
/// invalid UTF-8: a bad byte is treated as one opaque non-space character.
#pragma once

#include <string.h>  // memmem

#include <cstddef>
#include <string>
#include <string_view>

namespace imglint::dockerfile::text {

/// Go's unicode.IsSpace for code points from U+0080 on.
bool IsNonAsciiSpaceRune(char32_t r);
/// Go's unicode.IsSpace; inline for ASCII, which is nearly every call.
inline bool IsSpaceRune(char32_t r) {
  if (r < 0x80) return r == ' ' || (r >= '\t' && r <= '\r');
  return IsNonAsciiSpaceRune(r);
}
/// Go's unicode.IsLetter, approximated: ASCII letters, and non-ASCII code
/// points outside the common punctuation/space/symbol blocks.
bool IsLetterRune(char32_t r);
/// Go's unicode.IsPrint, approximated (used only for quoting in dumps).
bool IsPrintRune(char32_t r);

/// Whether a Unicode space starts at `pos` (sets `*len`).
bool SpaceAt(std::string_view s, size_t pos, size_t* len);
/// The bytes of the `[\t\v\f\r ]` class BuildKit splits words on.
inline bool IsTokenSpace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// Does `text` contain `word`? For words looked for in every RUN script of
/// every Dockerfile: glibc's memmem took half the time of string_view::find
/// (which stops at each occurrence of the first letter) over 2,000 of them.
inline bool Contains(std::string_view text, std::string_view word) {
  // An empty view may hold a null pointer, which memmem must not be given
  // (exec-form RUNs have an empty command).
  if (word.size() > text.size()) return false;
  if (word.empty()) return true;
  return ::memmem(text.data(), text.size(), word.data(), word.size()) != nullptr;
}

std::string_view TrimLeftSpace(std::string_view s);   // unicode.IsSpace
std::string_view TrimRightSpace(std::string_view s);  // unicode.IsSpace
inline std::string_view TrimSpace(std::string_view s) { return TrimRightSpace(TrimLeftSpace(s)); }
std::string ToLowerAscii(std::string_view s);
bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b);

/// Go's strconv.Quote (double quotes, Go escapes, printable runes verbatim).
std::string GoQuote(std::string_view s);

}  // namespace imglint::dockerfile::text
