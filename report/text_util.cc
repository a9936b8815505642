// SPDX-License-Identifier: Apache-2.0
#include "report/text_util.h"

#include <cstdint>
#include <cstdio>

namespace imglint {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// Length of the valid UTF-8 sequence at `text[i]`, or 0 if it is invalid
/// (overlong forms, surrogates and code points above U+10FFFF included).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

/// The code point of a valid sequence of `length` bytes at `text[i]`.
std::uint32_t DecodeAt(std::string_view text, size_t i, size_t length) {
  auto byte = [&](size_t k) { return static_cast<std::uint8_t>(text[k]); };
  if (length == 1) return byte(i);
  std::uint32_t cp = byte(i) & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  return cp;
}

std::string Hex2(std::uint32_t value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02X", static_cast<unsigned>(value & 0xFF));
  return buffer;
}

/// Calls `emit(bytes, code_point)` for each character of valid UTF-8 and
/// `emit(U+FFFD bytes, 0xFFFD)` for each invalid byte.
template <typename Emit>
void ForEachChar(std::string_view text, Emit emit) {
  for (size_t i = 0; i < text.size();) {
    size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      emit(kReplacement, 0xFFFD);
      ++i;
      continue;
    }
    emit(text.substr(i, length), DecodeAt(text, i, length));
    i += length;
  }
}

}  // namespace

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](std::string_view bytes, std::uint32_t) { out += bytes; });
  return out;
}

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](std::string_view bytes, std::uint32_t cp) {
    bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
    out += control ? "\\x" + Hex2(cp) : std::string(bytes);
  });
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](std::string_view bytes, std::uint32_t cp) {
    switch (cp) {
      case '&':
        out += "&amp;";
        return;
      case '<':
        out += "&lt;";
        return;
      case '>':
        out += "&gt;";
        return;
      case '"':
        out += "&quot;";
        return;
      case '\'':
        out += "&apos;";
        return;
      case '\n':
        out += "&#10;";
        return;
      case '\r':
        out += "&#13;";
        return;
      case '\t':
        out += "&#9;";
        return;
      default:
        break;
    }
    // XML 1.0 Char excludes these even as character references.
    bool forbidden = cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF;
    out += forbidden ? std::string(kReplacement) : std::string(bytes);
  });
  return out;
}

std::string PercentEncodePath(std::string_view path) {
  static constexpr std::string_view kSafe = "-._~/!$&'()*+,;=@";
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    bool alnum = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                 (byte >= '0' && byte <= '9');
    if (alnum || kSafe.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      out += '%';  // appended: "%" + … trips GCC 12's false -Wrestrict at -O3
      out += Hex2(byte);
    }
  }
  return out;
}

}  // namespace imglint
