// SPDX-License-Identifier: Apache-2.0
/// The one home for byte-level text handling. Findings and errors quote
/// hostile input (entry names from images, Dockerfile and YAML text), so every
/// module decodes UTF-8, escapes for terminals, messages, XML and URIs, and
/// writes hex the same way, through these functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

/// A UTF-8 continuation byte (10xxxxxx): not the start of a character.
inline bool IsUtf8Continuation(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

/// DecodeUtf8 past its ASCII fast path: the character at `text[pos]`, whose
/// first byte is 0x80 or above.
char32_t DecodeUtf8Multibyte(std::string_view text, size_t pos, size_t* length);

/// Decodes the character at `text[pos]` and sets `*length` to its byte
/// length. Invalid, truncated or overlong sequences, surrogates and code
/// points above U+10FFFF decode as U+FFFD with length 1 (one bad byte).
/// Inline for ASCII: parsers call it once per byte of every Dockerfile.
inline char32_t DecodeUtf8(std::string_view text, size_t pos, size_t* length) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    *length = 1;
    return b0;
  }
  return DecodeUtf8Multibyte(text, pos, length);
}

/// Appends the UTF-8 encoding of `code_point`.
void AppendUtf8(std::string* out, char32_t code_point);

/// `text` with every invalid UTF-8 byte replaced by U+FFFD.
std::string ValidUtf8(std::string_view text);

/// Valid UTF-8 with C0/C1 control characters (except '\n' and '\t') shown as
/// `\xNN` (upper-case hex), so a file name from an image cannot drive the
/// user's terminal. For rendered reports.
std::string TerminalSafe(std::string_view text);

/// For error messages: bytes below 0x20, 0x7F and every byte outside a valid
/// UTF-8 sequence become `\xNN` (lower-case hex); a backslash stays a
/// backslash and valid non-ASCII UTF-8 is kept.
std::string EscapeForMessage(std::string_view text);

/// XML 1.0 attribute/text escaping of valid UTF-8; characters XML 1.0 cannot
/// carry at all (most C0 controls) become U+FFFD, newlines and tabs become
/// character references so attribute values keep them.
std::string XmlEscape(std::string_view text);

/// Percent-encodes a '/'-separated path for use in a URI: unreserved
/// characters, '/' and the sub-delimiters safe in a path stay; ':' is always
/// encoded so a relative reference can never be read as a scheme.
std::string PercentEncodePath(std::string_view path);

/// Percent-encodes every byte but RFC 3986 unreserved characters and those
/// in `keep` (e.g. "/:@" for a registry path, "" for a query value).
std::string PercentEncode(std::string_view text, std::string_view keep = "");

enum class HexCase { kLower, kUpper };

/// Appends the low `digits` hex digits of `value`, most significant first.
void AppendHex(std::string* out, std::uint64_t value, int digits,
               HexCase letters = HexCase::kLower);

/// Lower-case hex of `size` bytes.
std::string HexEncode(const unsigned char* bytes, size_t size);

/// `text` cut to at most `limit` bytes without splitting a UTF-8 character,
/// with "…" appended when anything was cut.
std::string ShortenUtf8(std::string_view text, size_t limit);

/// `text` with whitespace runs collapsed to one space, trimmed.
std::string CollapseSpaces(std::string_view text);

/// The candidate closest to `word` by edit distance, if reasonably close: a
/// "did you mean" for a mistyped key, rule or instruction.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace imglint
