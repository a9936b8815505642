// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/passwd.h"

#include <array>
#include <functional>

namespace imglint {
namespace {

// Splits a line into at most N colon-separated fields; returns the count.
template <std::size_t N>
std::size_t SplitFields(std::string_view line, std::array<std::string_view, N>* fields) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (count < N) {
    std::size_t colon = line.find(':', pos);
    if (colon == std::string_view::npos || count == N - 1) {
      (*fields)[count++] = line.substr(pos);
      break;
    }
    (*fields)[count++] = line.substr(pos, colon - pos);
    pos = colon + 1;
  }
  return count;
}

// Calls fn(line) for each line (without "\n" / "\r"); stops when fn is true.
void ForEachLine(std::string_view text, const std::function<bool(std::string_view)>& fn) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // NIS compat lines ("+", "-name") and comments never define a user.
    if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-') {
      continue;
    }
    if (fn(line)) return;
  }
}

std::optional<PasswdEntry> ParsePasswdLine(std::string_view line) {
  std::array<std::string_view, 7> f;
  if (SplitFields(line, &f) < 4) return std::nullopt;
  auto uid = ParseId(f[2]);
  auto gid = ParseId(f[3]);
  if (!uid || !gid || f[0].empty()) return std::nullopt;
  PasswdEntry e;
  e.name = std::string(f[0]);
  e.uid = *uid;
  e.gid = *gid;
  e.home = std::string(f[5]);
  e.shell = std::string(f[6]);
  return e;
}

}  // namespace

std::optional<std::uint32_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::optional<PasswdEntry> FindPasswdEntry(std::string_view passwd, std::string_view name) {
  std::optional<PasswdEntry> found;
  if (name.empty()) return found;
  ForEachLine(passwd, [&](std::string_view line) {
    if (line.substr(0, line.find(':')) != name) return false;
    found = ParsePasswdLine(line);
    return found.has_value();
  });
  return found;
}

std::optional<PasswdEntry> FindPasswdEntryByUid(std::string_view passwd, std::uint32_t uid) {
  std::optional<PasswdEntry> found;
  ForEachLine(passwd, [&](std::string_view line) {
    auto entry = ParsePasswdLine(line);
    if (entry && entry->uid == uid) found = std::move(entry);
    return found.has_value();
  });
  return found;
}

std::optional<GroupEntry> FindGroupEntry(std::string_view group, std::string_view name) {
  std::optional<GroupEntry> found;
  if (name.empty()) return found;
  ForEachLine(group, [&](std::string_view line) {
    std::array<std::string_view, 4> f;
    if (SplitFields(line, &f) < 3 || f[0] != name) return false;
    auto gid = ParseId(f[2]);
    if (!gid) return false;
    found = GroupEntry{std::string(f[0]), *gid};
    return true;
  });
  return found;
}

std::optional<GroupEntry> FindGroupEntryByGid(std::string_view group, std::uint32_t gid) {
  std::optional<GroupEntry> found;
  ForEachLine(group, [&](std::string_view line) {
    std::array<std::string_view, 4> f;
    if (SplitFields(line, &f) < 3 || f[0].empty()) return false;
    auto id = ParseId(f[2]);
    if (!id || *id != gid) return false;
    found = GroupEntry{std::string(f[0]), *id};
    return true;
  });
  return found;
}

std::optional<std::uint32_t> LookupUid(const std::string& passwd, std::string_view name) {
  auto entry = FindPasswdEntry(passwd, name);
  if (!entry) return std::nullopt;
  return entry->uid;
}

std::optional<std::uint32_t> LookupGid(const std::string& group, std::string_view name) {
  auto entry = FindGroupEntry(group, name);
  if (!entry) return std::nullopt;
  return entry->gid;
}

}  // namespace imglint
