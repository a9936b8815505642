// SPDX-License-Identifier: Apache-2.0
/// The quick test for an inline suppression (`# imglint ignore=…`, parsed in
/// rules/suppression.h). It is made once per file while the file is read, on
/// the reading threads; most files hold no pragma and are not scanned again.
#pragma once

#include <string_view>

namespace imglint {

/// Does `text` possibly hold a pragma?
inline bool MayHavePragmas(std::string_view text) {
  // A pragma is a comment: '#', blanks, "imglint". '#' is rare (one byte in
  // 180 of the corpus; an 'i', where a search for "imglint" stops, is one in 28).
  for (size_t at = text.find('#'); at != std::string_view::npos; at = text.find('#', at + 1)) {
    size_t word = at + 1;
    while (word < text.size() && (text[word] == ' ' || text[word] == '\t')) ++word;
    if (text.substr(word).starts_with("imglint")) return true;
  }
  return false;
}

}  // namespace imglint
