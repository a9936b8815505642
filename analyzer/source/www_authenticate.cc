// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/www_authenticate.h"

#include <cstddef>

namespace imglint {
namespace {

// RFC 7230 tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// RFC 7235 token68 characters, without the trailing "=" padding.
bool IsToken68Char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && u != '\t') || u == 0x7f;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::vector<AuthChallenge> Run() {
    std::vector<AuthChallenge> out;
    bool takes_params = false;  // the last challenge can still take auth-params
    while (true) {
      SkipSpace();
      if (AtEnd()) break;
      if (Peek() == ',') {  // empty list element
        ++i_;
        continue;
      }
      const std::size_t token_start = i_;
      while (!AtEnd() && IsTokenChar(Peek())) ++i_;
      if (i_ == token_start) {
        SkipElement();
        continue;
      }
      const std::string_view token = s_.substr(token_start, i_ - token_start);
      const std::size_t token_end = i_;
      SkipSpace();
      if (!AtEnd() && Peek() == '=') {
        // "name=value": a parameter of the current challenge.
        if (!takes_params) {
          SkipElement();
          continue;
        }
        ++i_;
        std::string value;
        if (ReadValue(&value)) out.back().params.emplace(Lower(token), std::move(value));
        FinishElement();
        continue;
      }
      // Otherwise the token is the scheme of a new challenge.
      out.push_back(AuthChallenge{Lower(token), {}, {}});
      takes_params = true;
      if (AtEnd()) break;
      if (Peek() == ',') {
        ++i_;
        continue;
      }
      if (i_ == token_end) {  // "Bearer\"x\"": no space after the scheme
        takes_params = false;
        SkipElement();
        continue;
      }
      if (ReadToken68(&out.back().token68)) takes_params = false;
      // else: the loop reads what follows as the first auth-param.
    }
    return out;
  }

 private:
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return s_[i_]; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++i_;
  }

  // Skips a malformed element: up to and including the next comma that is
  // not inside a quoted string.
  void SkipElement() {
    while (!AtEnd()) {
      if (Peek() == ',') {
        ++i_;
        return;
      }
      if (Peek() == '"') {
        std::string ignored;
        ReadQuoted(&ignored);
        continue;
      }
      ++i_;
    }
  }

  // After an element: a comma (or the end) must follow, else the rest of the
  // element is junk.
  void FinishElement() {
    SkipSpace();
    if (AtEnd()) return;
    if (Peek() == ',') {
      ++i_;
      return;
    }
    SkipElement();
  }

  // quoted-string with quoted-pairs; false when unterminated or when it holds
  // control characters. Always consumes what it read.
  bool ReadQuoted(std::string* out) {
    ++i_;  // opening quote
    bool ok = true;
    while (!AtEnd()) {
      char c = Peek();
      if (c == '"') {
        ++i_;
        return ok;
      }
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) break;
        c = s_[i_ + 1];
        i_ += 2;
      } else {
        ++i_;
      }
      if (IsControl(c)) ok = false;
      out->push_back(c);
    }
    i_ = s_.size();
    return false;
  }

  // BWS value, where value is a token or a quoted-string.
  bool ReadValue(std::string* out) {
    SkipSpace();
    if (AtEnd()) return false;
    if (Peek() == '"') return ReadQuoted(out);
    const std::size_t start = i_;
    while (!AtEnd() && IsTokenChar(Peek())) ++i_;
    out->assign(s_.substr(start, i_ - start));
    return i_ > start;
  }

  // token68 = 1*(ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/") *"=",
  // standing alone up to a comma or the end; "realm=x" is not one.
  bool ReadToken68(std::string* out) {
    std::size_t end = i_;
    while (end < s_.size() && IsToken68Char(s_[end])) ++end;
    if (end == i_) return false;
    while (end < s_.size() && s_[end] == '=') ++end;
    std::size_t next = end;
    while (next < s_.size() && (s_[next] == ' ' || s_[next] == '\t')) ++next;
    if (next < s_.size() && s_[next] != ',') return false;
    out->assign(s_.substr(i_, end - i_));
    i_ = next < s_.size() ? next + 1 : next;
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<AuthChallenge> ParseWwwAuthenticate(std::string_view header) {
  return Parser(header).Run();
}

}  // namespace imglint
