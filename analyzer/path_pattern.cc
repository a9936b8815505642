// SPDX-License-Identifier: Apache-2.0
#include "analyzer/path_pattern.h"

#include <re2/re2.h>

namespace imglint {

bool GlobToRegex(std::string_view glob, std::string* regex, std::string* err) {
  std::string out = "^";
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '*') {
      if (i + 1 < glob.size() && glob[i + 1] == '*') {
        ++i;
        // "**/" also matches no directory at all: "a/**/b" matches "a/b".
        if (i + 1 < glob.size() && glob[i + 1] == '/') {
          ++i;
          out += "(?:.*/)?";
        } else {
          out += ".*";
        }
      } else {
        out += "[^/]*";
      }
    } else if (c == '?') {
      out += "[^/]";
    } else if (c == '[') {
      size_t close = glob.find(']', i + 2);
      if (close == std::string_view::npos) {
        *err = "glob \"" + std::string(glob) + "\": unclosed '['";
        return false;
      }
      std::string_view body = glob.substr(i + 1, close - i - 1);
      out += "[";
      if (!body.empty() && (body[0] == '!' || body[0] == '^')) {
        out += "^";
        body.remove_prefix(1);
      }
      for (char b : body) {
        if (b == '\\' || b == '[' || b == ']') out += '\\';
        out += b;
      }
      out += "]";
      i = close;
    } else if (c == '\\' && i + 1 < glob.size()) {
      out += RE2::QuoteMeta(std::string(1, glob[++i]));
    } else {
      out += RE2::QuoteMeta(std::string(1, c));
    }
  }
  *regex = out + "$";
  return true;
}

PathPattern::~PathPattern() = default;

std::unique_ptr<PathPattern> PathPattern::Compile(std::string_view text, std::string* err) {
  std::unique_ptr<PathPattern> pattern(new PathPattern());
  pattern->text_ = std::string(text);
  std::string regex;
  if (text.starts_with("re:")) {
    regex = std::string(text.substr(3));
  } else if (!GlobToRegex(text, &regex, err)) {
    return nullptr;
  }
  RE2::Options options;
  options.set_log_errors(false);
  pattern->regex_ = std::make_unique<RE2>(regex, options);
  if (!pattern->regex_->ok()) {
    *err = "pattern \"" + std::string(text) + "\": " + pattern->regex_->error();
    return nullptr;
  }
  return pattern;
}

bool PathPattern::Matches(std::string_view path) const { return RE2::PartialMatch(path, *regex_); }

}  // namespace imglint
