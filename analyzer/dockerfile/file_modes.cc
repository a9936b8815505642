// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/file_modes.h"

#include <algorithm>
#include <cctype>

#include "analyzer/dockerfile/text_util.h"

namespace imglint::dockerfile {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool IsModeChars(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::string_view("rwxXstugoa,+-=01234567").find(c) != std::string_view::npos;
  });
}

}  // namespace

std::optional<std::uint32_t> SpecialBitsSetByMode(std::string_view mode) {
  if (mode.empty()) return std::nullopt;
  auto octal = [](std::string_view digits, size_t* pos) -> std::optional<std::uint32_t> {
    std::uint32_t value = 0;
    size_t i = *pos;
    for (; i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])); ++i) {
      if (digits[i] > '7') return std::nullopt;
      value = value * 8 + static_cast<std::uint32_t>(digits[i] - '0');
      if (value > 07777) return std::nullopt;  // chmod: invalid mode
    }
    *pos = i;
    return value;
  };
  if (std::all_of(mode.begin(), mode.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    size_t pos = 0;
    auto value = octal(mode, &pos);
    if (!value) return std::nullopt;
    return *value & 06000;
  }
  // Symbolic: [ugoa]*([-+=]([rwxXst]*|[ugo]|[0-7]+))+ (, …)*, applied in order.
  std::optional<bool> suid;
  std::optional<bool> sgid;
  size_t i = 0;
  const size_t n = mode.size();
  while (true) {
    bool who_u = false;
    bool who_g = false;
    bool who_any = false;
    for (; i < n && std::string_view("ugoa").find(mode[i]) != std::string_view::npos; ++i) {
      who_any = true;
      who_u |= mode[i] == 'u' || mode[i] == 'a';
      who_g |= mode[i] == 'g' || mode[i] == 'a';
    }
    if (!who_any) who_u = who_g = true;  // `+s` affects user and group alike
    if (i >= n || std::string_view("+-=").find(mode[i]) == std::string_view::npos) {
      return std::nullopt;
    }
    while (i < n && std::string_view("+-=").find(mode[i]) != std::string_view::npos) {
      const char op = mode[i++];
      bool s_user = false;
      bool s_group = false;
      if (i < n && std::isdigit(static_cast<unsigned char>(mode[i]))) {
        auto value = octal(mode, &i);
        if (!value) return std::nullopt;
        s_user = *value & 04000;
        s_group = *value & 02000;
      } else if (i < n && std::string_view("ugo").find(mode[i]) != std::string_view::npos) {
        ++i;  // `g=u` copies rwx only; special bits are not copied
      } else {
        for (; i < n && std::string_view("rwxXst").find(mode[i]) != std::string_view::npos; ++i) {
          if (mode[i] == 's') s_user = s_group = true;
        }
      }
      switch (op) {
        case '+':
          if (who_u && s_user) suid = true;
          if (who_g && s_group) sgid = true;
          break;
        case '-':
          if (who_u && s_user) suid = false;
          if (who_g && s_group) sgid = false;
          break;
        default:  // '='
          if (who_u) suid = s_user;
          if (who_g) sgid = s_group;
          break;
      }
    }
    if (i == n) break;
    if (mode[i] != ',' || i + 1 == n) return std::nullopt;
    ++i;
  }
  return (suid.value_or(false) ? 04000u : 0u) | (sgid.value_or(false) ? 02000u : 0u);
}

std::optional<ModeUse> ChmodMode(const Words& cmd) {
  bool options = true;
  for (size_t i = 1; i < cmd.size(); ++i) {
    const std::string& w = cmd[i];
    if (options && w == "--") {
      options = false;
      continue;
    }
    if (options && StartsWith(w, "--")) {
      if (StartsWith(w, "--reference")) return std::nullopt;  // copies another file's mode
      continue;
    }
    if (options && w.size() > 1 && w[0] == '-' && !IsModeChars(w.substr(1))) continue;
    ModeUse use{i, w, JoinWords(cmd, i + 1, cmd.size())};
    use.directories_only =
        i + 1 < cmd.size() &&
        std::all_of(cmd.begin() + static_cast<std::ptrdiff_t>(i + 1), cmd.end(),
                    [](const std::string& path) { return path.size() > 1 && path.back() == '/'; });
    return use;
  }
  return std::nullopt;
}

std::optional<ModeUse> InstallMode(const Words& cmd) {
  std::optional<ModeUse> use;
  std::vector<std::string> files;
  bool directory = false;  // -d: create directories
  bool options = true;
  for (size_t i = 1; i < cmd.size(); ++i) {
    const std::string& w = cmd[i];
    if (!options || w.size() < 2 || w[0] != '-') {
      files.push_back(w);
      continue;
    }
    if (w == "--") {
      options = false;
    } else if (w == "--directory") {
      directory = true;
    } else if (StartsWith(w, "--mode=")) {
      use = ModeUse{i, w.substr(7), ""};
    } else if (w == "--mode" && i + 1 < cmd.size()) {
      use = ModeUse{i + 1, cmd[i + 1], ""};
      ++i;
    } else if (w == "--owner" || w == "--group" || w == "--suffix" || w == "--target-directory" ||
               w == "--strip-program") {
      ++i;
    } else if (!StartsWith(w, "--")) {
      // A cluster of short options; g, o, m, S, t take an argument.
      for (size_t k = 1; k < w.size(); ++k) {
        directory |= w[k] == 'd';
        if (std::string_view("gomSt").find(w[k]) == std::string_view::npos) continue;
        std::string argument = w.substr(k + 1);
        size_t word = i;
        if (argument.empty() && i + 1 < cmd.size()) {
          argument = cmd[++i];
          word = i;
        }
        if (w[k] == 'm') use = ModeUse{word, argument, ""};
        if (w[k] == 't') files.push_back(argument);
        break;
      }
    }
  }
  if (use && !files.empty()) use->paths = files.back();
  if (use) use->directories_only = directory;
  return use;
}

std::optional<ModeUse> ModeOf(const Words& invocation) {
  const std::string_view program = Basename(invocation[0]);
  if (program == "chmod") return ChmodMode(invocation);
  if (program == "install" || program == "ginstall") return InstallMode(invocation);
  return std::nullopt;
}

namespace {

bool MayChangeMode(std::string_view text) {
  if (text::Contains(text, "chmod")) return true;
  if (!text::Contains(text, "install")) return false;
  if (text::Contains(text, "--mode")) return true;
  // ASCII tests, not <cctype>'s: this runs over every RUN that installs
  // packages, and the locale-aware calls were most of its cost.
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  auto letter = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  for (size_t dash = text.find('-'); dash != std::string_view::npos;
       dash = text.find('-', dash + 1)) {
    if (dash > 0 && !space(text[dash - 1])) continue;
    size_t k = dash + 1;
    while (k < text.size() && letter(text[k]) && text[k] != 'm') ++k;
    if (k < text.size() && text[k] == 'm') return true;
  }
  return false;
}

// Where a mode word (or a clause of one) may end: a blank, the next clause,
// a shell operator, or the next operation of the clause (`g+s+x`).
bool EndsModePart(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '&' ||
         c == '|' || c == ')' || c == '+' || c == '-' || c == '=';
}

// Does `text` hold one of the two shapes SpecialBitsSetByMode turns into a
// special bit: `+` or `=` then [rwxXst]* with an s, or an octal number with
// 04000 or 02000 starting a word or following `=`, `+` or `-m`? Quotes and
// backslashes are skipped, as they may split a mode word ("4"755, u\+s);
// the shape must end where a mode can (not "x=sh", not a hash "a7354b").
bool HoldsSpecialMode(std::string_view text) {
  const size_t n = text.size();
  auto skipped = [](char c) { return c == '\'' || c == '"' || c == '\\'; };
  auto next = [&](size_t at) {
    while (at < n && skipped(text[at])) ++at;
    return at;
  };
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    // A plain loop over the bytes that cannot start either shape: this runs
    // over every RUN that mentions chmod or install, a megabyte per 2,000
    // Dockerfiles.
    if (c != '+' && c != '=' && (c < '0' || c > '7')) continue;
    if (c == '+' || c == '=') {
      bool s = false;
      size_t j = next(i + 1);
      for (; j < n && std::string_view("rwxXst").find(text[j]) != std::string_view::npos;
           j = next(j + 1)) {
        s |= text[j] == 's';
      }
      if (s && (j == n || EndsModePart(text[j]))) return true;
      continue;
    }
    size_t b = i;
    while (b > 0 && skipped(text[b - 1])) --b;
    const char before = b == 0 ? ' ' : text[b - 1];
    if (before != ' ' && before != '\t' && before != '\n' && before != '=' && before != '+' &&
        before != 'm' && before != ',') {
      continue;
    }
    std::uint32_t value = 0;
    size_t j = i;
    for (; j < n && text[j] >= '0' && text[j] <= '9' && value <= 07777; j = next(j + 1)) {
      value = text[j] > '7' ? 010000 : value * 8 + static_cast<std::uint32_t>(text[j] - '0');
    }
    if (value <= 07777 && (value & 06000) != 0 && (j == n || EndsModePart(text[j]))) return true;
  }
  return false;
}

}  // namespace

bool MaySetSpecialBit(std::string_view text) {
  return MayChangeMode(text) && HoldsSpecialMode(text);
}

}  // namespace imglint::dockerfile
