// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/json_form.h"

#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"

namespace imglint::dockerfile {
namespace {

// encoding/json refuses documents nested deeper than this.
constexpr size_t kMaxDepth = 10000;

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ReadHex4(std::string_view s, size_t pos, char32_t* out) {
  if (pos + 4 > s.size()) return false;
  char32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    const int h = HexValue(s[pos + i]);
    if (h < 0) return false;
    v = (v << 4) | static_cast<char32_t>(h);
  }
  *out = v;
  return true;
}

// Parses a JSON string starting at s[*pos] == '"'. Decodes into *out when
// non-null (invalid UTF-8 becomes U+FFFD, as encoding/json does).
bool ParseString(std::string_view s, size_t* pos, std::string* out) {
  size_t p = *pos + 1;
  while (p < s.size()) {
    const auto c = static_cast<unsigned char>(s[p]);
    if (c == '"') {
      *pos = p + 1;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      if (p + 1 >= s.size()) return false;
      const char e = s[p + 1];
      char32_t r = 0;
      switch (e) {
        case '"':
          r = '"';
          break;
        case '\\':
          r = '\\';
          break;
        case '/':
          r = '/';
          break;
        case 'b':
          r = '\b';
          break;
        case 'f':
          r = '\f';
          break;
        case 'n':
          r = '\n';
          break;
        case 'r':
          r = '\r';
          break;
        case 't':
          r = '\t';
          break;
        case 'u': {
          if (!ReadHex4(s, p + 2, &r)) return false;
          p += 4;
          if (r >= 0xD800 && r < 0xDC00) {
            char32_t lo = 0;
            if (p + 2 < s.size() && s[p + 2] == '\\' && p + 3 < s.size() && s[p + 3] == 'u' &&
                ReadHex4(s, p + 4, &lo) && lo >= 0xDC00 && lo < 0xE000) {
              r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
              p += 6;
            } else {
              r = 0xFFFD;
            }
          } else if (r >= 0xDC00 && r < 0xE000) {
            r = 0xFFFD;
          }
          break;
        }
        default:
          return false;
      }
      if (out != nullptr) AppendUtf8(out, r);
      p += 2;
      continue;
    }
    size_t len = 0;
    const char32_t r = DecodeUtf8(s, p, &len);
    if (out != nullptr) {
      if (r == 0xFFFD && len == 1) {
        AppendUtf8(out, 0xFFFD);
      } else {
        out->append(s.substr(p, len));
      }
    }
    p += len;
  }
  return false;
}

bool ParseNumber(std::string_view s, size_t* pos) {
  size_t p = *pos;
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  if (p < s.size() && s[p] == '-') ++p;
  if (!digit(p)) return false;
  if (s[p] == '0') {
    ++p;
  } else {
    while (digit(p)) ++p;
  }
  if (p < s.size() && s[p] == '.') {
    ++p;
    if (!digit(p)) return false;
    while (digit(p)) ++p;
  }
  if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
    ++p;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) ++p;
    if (!digit(p)) return false;
    while (digit(p)) ++p;
  }
  *pos = p;
  return true;
}

enum class State { kArrayFirst, kObjectFirst, kObjectKey, kColon, kValue, kAfterValue };

}  // namespace

JsonArrayStatus ParseJsonStringArray(std::string_view input, std::vector<JsonElement>* elements) {
  elements->clear();
  const std::string_view trimmed = text::TrimLeftSpace(input);
  const size_t base = input.size() - trimmed.size();
  std::string_view s = trimmed;
  if (s.empty() || s[0] != '[') return JsonArrayStatus::kNotJson;

  std::vector<char> stack{'['};
  bool non_string = false;
  size_t pos = 1;
  State state = State::kArrayFirst;
  std::vector<JsonElement> found;
  while (!stack.empty()) {
    while (pos < s.size() && IsJsonSpace(s[pos])) ++pos;
    if (pos >= s.size()) return JsonArrayStatus::kNotJson;
    const char c = s[pos];
    switch (state) {
      case State::kArrayFirst:
        if (c == ']') {
          stack.pop_back();
          ++pos;
          state = State::kAfterValue;
        } else {
          state = State::kValue;
        }
        break;
      case State::kObjectFirst:
      case State::kObjectKey:
        if (c == '}' && state == State::kObjectFirst) {
          stack.pop_back();
          ++pos;
          state = State::kAfterValue;
        } else if (c == '"') {
          if (!ParseString(s, &pos, nullptr)) return JsonArrayStatus::kNotJson;
          state = State::kColon;
        } else {
          return JsonArrayStatus::kNotJson;
        }
        break;
      case State::kColon:
        if (c != ':') return JsonArrayStatus::kNotJson;
        ++pos;
        state = State::kValue;
        break;
      case State::kValue: {
        const bool top = stack.size() == 1;
        if (c == '"') {
          JsonElement el;
          el.begin = base + pos;
          if (!ParseString(s, &pos, top ? &el.value : nullptr)) return JsonArrayStatus::kNotJson;
          el.end = base + pos;
          if (top) found.push_back(std::move(el));
          state = State::kAfterValue;
          break;
        }
        if (top) non_string = true;
        if (c == '[' || c == '{') {
          if (stack.size() >= kMaxDepth) return JsonArrayStatus::kNotJson;
          stack.push_back(c);
          ++pos;
          state = c == '[' ? State::kArrayFirst : State::kObjectFirst;
        } else if (s.substr(pos, 4) == "true" || s.substr(pos, 4) == "null") {
          pos += 4;
          state = State::kAfterValue;
        } else if (s.substr(pos, 5) == "false") {
          pos += 5;
          state = State::kAfterValue;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          if (!ParseNumber(s, &pos)) return JsonArrayStatus::kNotJson;
          state = State::kAfterValue;
        } else {
          return JsonArrayStatus::kNotJson;
        }
        break;
      }
      case State::kAfterValue: {
        const char top = stack.back();
        if (c == ',') {
          ++pos;
          state = top == '[' ? State::kValue : State::kObjectKey;
        } else if ((top == '[' && c == ']') || (top == '{' && c == '}')) {
          stack.pop_back();
          ++pos;
          state = State::kAfterValue;
        } else {
          return JsonArrayStatus::kNotJson;
        }
        break;
      }
    }
  }
  while (pos < s.size() && IsJsonSpace(s[pos])) ++pos;
  if (pos != s.size()) return JsonArrayStatus::kNotJson;
  if (non_string) return JsonArrayStatus::kNonStrings;
  *elements = std::move(found);
  return JsonArrayStatus::kStrings;
}

}  // namespace imglint::dockerfile
