// SPDX-License-Identifier: Apache-2.0
/// Heredoc markers (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`) on RUN/COPY/ADD
/// lines, found the way BuildKit finds them: the logical line is split into
/// shell words (quotes and escapes kept) and every word of the form
/// `[N]<<[-]WORD` opens a heredoc, in order. A quoted WORD disables expansion
/// of the body. Reading the bodies is the parser's job (it owns the lines).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imglint::dockerfile {

struct HeredocMarker {
  std::string name;  ///< terminator, quotes removed
  int fd = 0;
  bool expand = true;
  bool chomp = false;
};

/// Finds the heredoc markers of a logical line. Returns false (with `*err`)
/// only for a malformed marker word such as `<<"EOF`.
bool FindHeredocMarkers(std::string_view line, std::vector<HeredocMarker>* out, std::string* err);

/// Whether a body line ends the heredoc (line endings already removed).
bool IsHeredocTerminator(std::string_view line, const HeredocMarker& marker);

/// Removes leading tabs from every line (`<<-`).
std::string ChompHeredocContent(std::string_view content);

}  // namespace imglint::dockerfile
