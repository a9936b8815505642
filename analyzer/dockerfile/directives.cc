// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/directives.h"

#include <algorithm>

#include "analyzer/dockerfile/text_util.h"

namespace imglint::dockerfile::internal {
namespace {

// RE2's \s: [\t\n\f\r ].
bool IsReSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }

// Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
bool MatchDirective(std::string_view line, std::string_view* key, std::string_view* value) {
  if (line.empty() || line[0] != '#') return false;
  size_t p = 1;
  while (p < line.size() && IsReSpace(line[p])) ++p;
  const size_t key_begin = p;
  if (p >= line.size() || !IsAlpha(line[p])) return false;
  while (p < line.size() && IsAlnum(line[p])) ++p;
  *key = line.substr(key_begin, p - key_begin);
  while (p < line.size() && IsReSpace(line[p])) ++p;
  if (p >= line.size() || line[p] != '=') return false;
  ++p;
  const size_t after_eq = p;
  while (p < line.size() && IsReSpace(line[p])) ++p;
  size_t end = line.size();
  while (end > p && IsReSpace(line[end - 1])) --end;
  if (end > p) {
    *value = line.substr(p, end - p);
    return true;
  }
  // Only whitespace after '=': the lazy group still takes one character.
  if (line.size() > after_eq) {
    *value = line.substr(line.size() - 1, 1);
    return true;
  }
  return false;
}

}  // namespace

bool DirectiveScanner::Scan(std::string_view line, int line_no, int column,
                            std::vector<Directive>* out, std::string* err) {
  if (done_) return true;
  std::string_view key;
  std::string_view value;
  if (!MatchDirective(line, &key, &value)) {
    done_ = true;
    return true;
  }
  const std::string k = text::ToLowerAscii(key);
  if (k != "syntax" && k != "escape" && k != "check") {
    done_ = true;
    return true;
  }
  if (std::find(seen_.begin(), seen_.end(), k) != seen_.end()) {
    *err = "only one " + k + " parser directive can be used";
    return false;
  }
  seen_.push_back(k);
  if (k == "escape") {
    if (value != "`" && value != "\\") {
      *err = "invalid escape token '" + std::string(value) + "' does not match ` or \\";
      return false;
    }
    escape_ = value[0];
  }
  Directive d;
  d.name = k;
  d.value = std::string(value);
  d.range.start = {line_no, column};
  d.range.end = {line_no, column + static_cast<int>(line.size())};
  out->push_back(std::move(d));
  return true;
}

}  // namespace imglint::dockerfile::internal
