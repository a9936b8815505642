// SPDX-License-Identifier: Apache-2.0
/// Path patterns for allow-lists and excludes: shell-style globs (`*` within
/// one path segment, `**` across segments, `?`, `[a-z]`, `[!x]`) or, with a
/// "re:" prefix, an RE2 regular expression. Globs are compiled to RE2 so both
/// run in linear time on hostile paths.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace imglint {

class PathPattern {
 public:
  /// Compiles `text`; on failure returns nullptr and sets *err to a message
  /// naming the pattern and the reason (the RE2 error for "re:" patterns).
  static std::unique_ptr<PathPattern> Compile(std::string_view text, std::string* err);
  ~PathPattern();

  /// Whole-path match for globs; RE2 patterns search unless anchored.
  bool Matches(std::string_view path) const;
  const std::string& text() const { return text_; }

 private:
  PathPattern() = default;
  std::string text_;
  std::unique_ptr<re2::RE2> regex_;
};

/// Glob → RE2 syntax (anchored); false with *err for an unclosed `[`.
bool GlobToRegex(std::string_view glob, std::string* regex, std::string* err);

}  // namespace imglint
