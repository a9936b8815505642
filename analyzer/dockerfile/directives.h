// SPDX-License-Identifier: Apache-2.0
/// Parser directives (`# syntax=…`, `# escape=…`, `# check=…`). BuildKit only
/// honours them at the very top of the file: the first line that is not a
/// valid directive (an instruction, a blank line, any other comment) ends the
/// directive section for good. Keys are case-insensitive; each may appear
/// once; `escape` must be `\` or a backtick.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"

namespace imglint::dockerfile::internal {

class DirectiveScanner {
 public:
  /// Looks at one physical line (leading whitespace already removed; it
  /// starts at `column` of line `line_no`). Records a recognised directive
  /// in `*out`. Returns false with `*err` for a repeated directive or an
  /// invalid escape character.
  bool Scan(std::string_view line, int line_no, int column, std::vector<Directive>* out,
            std::string* err);
  char escape() const { return escape_; }
  bool done() const { return done_; }

 private:
  bool done_ = false;
  char escape_ = '\\';
  std::vector<std::string> seen_;
};

}  // namespace imglint::dockerfile::internal
