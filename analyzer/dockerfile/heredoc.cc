// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/heredoc.h"

#include <algorithm>

#include "analyzer/dockerfile/shell_lex.h"

namespace imglint::dockerfile {
namespace {

size_t CountQuotes(std::string_view s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\'') +
                             std::count(s.begin(), s.end(), '"'));
}

// Matches `^(\d*)<<(-?)([^<]*)$` and builds the marker. Returns true with
// *found=false when the word is not a heredoc marker.
bool MarkerFromWord(std::string_view word, HeredocMarker* marker, bool* found, std::string* err) {
  *found = false;
  size_t pos = 0;
  while (pos < word.size() && word[pos] >= '0' && word[pos] <= '9') ++pos;
  const std::string_view digits = word.substr(0, pos);
  if (word.substr(pos, 2) != "<<") return true;
  pos += 2;
  bool chomp = false;
  if (pos < word.size() && word[pos] == '-') {
    chomp = true;
    ++pos;
  }
  const std::string_view rest = word.substr(pos);
  if (rest.find('<') != std::string_view::npos || rest.empty()) return true;

  // Lex the delimiter with and without quote removal: if they differ, part
  // of it was quoted and the body must not be expanded.
  VarScope none;
  LexOptions options;
  options.skip_unset_env = true;
  LexResult plain;
  if (!ProcessShellWord(rest, none, options, &plain, err)) return false;
  if (plain.words.size() != 1) return true;
  options.raw_quotes = true;
  LexResult raw;
  if (!ProcessShellWord(rest, none, options, &raw, err)) return false;
  if (raw.words.size() != plain.words.size()) {
    *err = "internal lexing of heredoc produced inconsistent results: " + std::string(rest);
    return false;
  }
  int fd = 0;
  if (digits.size() <= 9) {
    for (char c : digits) fd = fd * 10 + (c - '0');
  }
  marker->name = plain.words[0];
  marker->fd = fd;
  marker->chomp = chomp;
  marker->expand = CountQuotes(plain.words[0]) == CountQuotes(raw.words[0]);
  *found = true;
  return true;
}

}  // namespace

bool FindHeredocMarkers(std::string_view line, std::vector<HeredocMarker>* out, std::string* err) {
  out->clear();
  // Every marker word holds "<<" (quotes and escapes are kept raw and no
  // variable is expanded below), so most lines need no lexing at all.
  if (line.find("<<") == std::string_view::npos) return true;
  VarScope none;
  LexOptions options;
  options.raw_quotes = true;
  options.raw_escapes = true;
  options.skip_unset_env = true;
  LexResult words;
  std::string ignored;
  // BuildKit ignores lexing errors here (e.g. an apostrophe in a RUN line):
  // such a line simply has no heredocs.
  if (!ProcessShellWord(line, none, options, &words, &ignored)) return true;
  for (const std::string& w : words.words) {
    HeredocMarker marker;
    bool found = false;
    if (!MarkerFromWord(w, &marker, &found, err)) return false;
    if (found) out->push_back(std::move(marker));
  }
  return true;
}

bool IsHeredocTerminator(std::string_view line, const HeredocMarker& marker) {
  if (marker.chomp) {
    while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
  }
  return line == marker.name;
}

std::string ChompHeredocContent(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  bool at_line_start = true;
  for (char c : content) {
    if (at_line_start && c == '\t') continue;
    at_line_start = c == '\n';
    out.push_back(c);
  }
  return out;
}

}  // namespace imglint::dockerfile
