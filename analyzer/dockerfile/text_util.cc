// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/text_util.h"

#include "analyzer/text.h"

namespace imglint::dockerfile::text {

bool IsNonAsciiSpaceRune(char32_t r) {
  switch (r) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool IsLetterRune(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r == 0xFFFD) return false;
  if (r < 0xC0) return r == 0xAA || r == 0xB5 || r == 0xBA;
  if (r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;  // punctuation, symbols, arrows
  if (r >= 0x3000 && r <= 0x303F) return false;  // CJK punctuation
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // private use
  if (r >= 0xFE00 && r <= 0xFE0F) return false;  // variation selectors
  if (r >= 0xFF00 && r <= 0xFF20) return false;  // fullwidth punctuation
  return !IsSpaceRune(r);
}

bool IsPrintRune(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r >= 0x80 && r <= 0xA0) return false;  // C1 controls and NBSP
  if (r == 0xAD) return false;
  if (r >= 0x2000 && r <= 0x200F) return false;  // spaces, zero-width, marks
  if (r >= 0x2028 && r <= 0x202F) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r == 0x1680 || r == 0x180E || r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;  // noncharacters U+xxFFFE/F
  return r <= 0x10FFFF;
}

bool SpaceAt(std::string_view s, size_t pos, size_t* len) {
  const char32_t r = DecodeUtf8(s, pos, len);
  return IsSpaceRune(r);
}

std::string_view TrimLeftSpace(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len = 0;
    if (!SpaceAt(s, pos, &len)) break;
    pos += len;
  }
  return s.substr(pos);
}

std::string_view TrimRightSpace(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    // Walk back to the start of the last code point (at most 4 bytes).
    size_t start = end - 1;
    while (start > 0 && end - start < 4 && IsUtf8Continuation(s[start])) {
      --start;
    }
    size_t len = 0;
    const char32_t r = DecodeUtf8(s, start, &len);
    if (start + len != end) {
      // Not a well-formed code point ending here: the last byte stands alone.
      start = end - 1;
      if (!IsSpaceRune(static_cast<unsigned char>(s[start]) < 0x80
                           ? static_cast<unsigned char>(s[start])
                           : 0xFFFD)) {
        break;
      }
    } else if (!IsSpaceRune(r)) {
      break;
    }
    end = start;
  }
  return s.substr(0, end);
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string GoQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len = 0;
    const char32_t r = DecodeUtf8(s, pos, &len);
    if (r == 0xFFFD && len == 1) {  // invalid UTF-8 byte
      const auto b = static_cast<unsigned char>(s[pos]);
      out += "\\x";
      AppendHex(&out, b, 2);
      pos += 1;
      continue;
    }
    pos += len;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
      continue;
    }
    if (IsPrintRune(r)) {
      AppendUtf8(&out, r);
      continue;
    }
    switch (r) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (r < ' ' || r == 0x7F) {
      out += "\\x";
      AppendHex(&out, r, 2);
    } else if (r < 0x10000) {
      out += "\\u";
      AppendHex(&out, r, 4);
    } else {
      out += "\\U";
      AppendHex(&out, r, 8);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace imglint::dockerfile::text
