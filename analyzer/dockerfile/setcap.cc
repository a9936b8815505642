// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/setcap.h"

#include <cctype>
#include <string>

#include "analyzer/dockerfile/text_util.h"

namespace imglint::dockerfile {

bool SetcapGrants(std::string_view caps) {
  for (size_t i = 0; i < caps.size(); ++i) {
    if (caps[i] != '+' && caps[i] != '=') continue;
    for (size_t k = i + 1; k < caps.size() && std::isalpha(static_cast<unsigned char>(caps[k]));
         ++k) {
      const char flag = static_cast<char>(std::tolower(static_cast<unsigned char>(caps[k])));
      if (flag == 'e' || flag == 'i' || flag == 'p') return true;
    }
  }
  return false;
}

bool GrantsOnlyNetBindService(std::string_view caps) {
  if (!SetcapGrants(caps)) return false;
  size_t i = 0;
  while (i < caps.size()) {
    while (i < caps.size() && caps[i] == ' ') ++i;
    if (i >= caps.size()) break;
    const size_t op = caps.find_first_of("=+-", i);
    if (op == std::string_view::npos) return false;
    // The names before the first operator, comma-separated.
    std::string_view names = caps.substr(i, op - i);
    if (names.empty()) return false;  // "=ep": all of them
    while (!names.empty()) {
      const size_t comma = names.find(',');
      std::string name(names.substr(0, comma));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name != "cap_net_bind_service") return false;
      names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
    }
    const size_t space = caps.find(' ', op);
    i = space == std::string_view::npos ? caps.size() : space;
  }
  return true;
}

bool MayRunSetcap(std::string_view text) { return text::Contains(text, "setcap"); }

std::vector<std::pair<size_t, size_t>> SetcapGrantsIn(const Words& words) {
  std::vector<std::pair<size_t, size_t>> out;
  if (words.empty() || Basename(words[0]) != "setcap") return out;
  size_t i = 1;
  while (i < words.size() &&
         (words[i] == "-q" || words[i] == "-v" || words[i] == "-n" || words[i] == "-f")) {
    i += words[i] == "-n" ? 2 : 1;
  }
  for (; i + 1 < words.size(); i += 2) {
    const std::string& caps = words[i];
    if (caps == "-r" || caps == "-" || !SetcapGrants(caps)) continue;
    out.emplace_back(i, i + 1);
  }
  return out;
}

}  // namespace imglint::dockerfile
