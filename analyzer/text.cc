// SPDX-License-Identifier: Apache-2.0
#include "analyzer/text.h"

#include <algorithm>
#include <cctype>

namespace imglint {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// Calls `emit(bytes, code_point)` for each character of valid UTF-8 and
/// `emit(U+FFFD bytes, 0xFFFD)` for each invalid byte.
template <typename Emit>
void ForEachChar(std::string_view text, Emit emit) {
  for (size_t i = 0; i < text.size();) {
    size_t length = 1;
    const char32_t cp = DecodeUtf8(text, i, &length);
    emit(length == 1 && cp == 0xFFFD ? kReplacement : text.substr(i, length), cp);
    i += length;
  }
}

std::string EscapedByte(std::uint32_t byte, HexCase letters) {
  std::string out = "\\x";
  AppendHex(&out, byte, 2, letters);
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

char32_t DecodeUtf8Multibyte(std::string_view text, size_t pos, size_t* length) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(pos);
  *length = 1;
  if (b0 < 0x80) return b0;
  size_t need = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) low = 0xA0;   // overlong
    if (b0 == 0xED) high = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) low = 0x90;   // overlong
    if (b0 == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0xFFFD;
  }
  if (pos + need > text.size()) return 0xFFFD;
  if (byte(pos + 1) < low || byte(pos + 1) > high) return 0xFFFD;
  for (size_t k = 2; k < need; ++k) {
    if (!IsUtf8Continuation(text[pos + k])) return 0xFFFD;
  }
  char32_t cp = b0 & (0xFF >> (need + 1));
  for (size_t k = 1; k < need; ++k) cp = (cp << 6) | (byte(pos + k) & 0x3F);
  *length = need;
  return cp;
}

void AppendUtf8(std::string* out, char32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](std::string_view bytes, char32_t) { out += bytes; });
  return out;
}

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](std::string_view bytes, char32_t cp) {
    const bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
    if (control) {
      out += EscapedByte(cp, HexCase::kUpper);
    } else {
      out += bytes;
    }
  });
  return out;
}

std::string EscapeForMessage(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    const char32_t cp = DecodeUtf8(text, i, &length);
    const bool invalid = length == 1 && cp == 0xFFFD;
    if ((c >= 0x20 && c < 0x7F) || (c >= 0x80 && !invalid)) {
      out.append(text.substr(i, length));
    } else {
      out += EscapedByte(c, HexCase::kLower);
    }
    i += length;
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](std::string_view bytes, char32_t cp) {
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
    const bool forbidden = cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF;
    out += forbidden ? kReplacement : bytes;
  });
  return out;
}

std::string PercentEncodePath(std::string_view path) {
  return PercentEncode(path, "/!$&'()*+,;=@");
}

std::string PercentEncode(std::string_view text, std::string_view keep) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved || keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      out.push_back('%');
      AppendHex(&out, byte, 2, HexCase::kUpper);
    }
  }
  return out;
}

void AppendHex(std::string* out, std::uint64_t value, int digits, HexCase letters) {
  const char* alphabet = letters == HexCase::kUpper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out->push_back(alphabet[(value >> shift) & 0xF]);
  }
}

std::string HexEncode(const unsigned char* bytes, size_t size) {
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) AppendHex(&out, bytes[i], 2);
  return out;
}

std::string ShortenUtf8(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit;
  while (cut > 0 && IsUtf8Continuation(text[cut])) --cut;
  std::string out(text.substr(0, cut));
  out += "…";
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    // The distance is at least the difference in length: a hostile word of
    // megabytes is not compared byte by byte with every candidate.
    const size_t longer = std::max(word.size(), candidate.size());
    if (longer - std::min(word.size(), candidate.size()) >= best_distance) continue;
    const size_t d = EditDistance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace imglint
