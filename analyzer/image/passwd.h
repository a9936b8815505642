// SPDX-License-Identifier: Apache-2.0
/// Lookups in the text of an image's /etc/passwd and /etc/group. The files come
/// from untrusted images, so the parser accepts short, malformed and NUL-ridden
/// lines without crashing and simply skips what it cannot read, as glibc's
/// files NSS module does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imglint {

struct PasswdEntry {
  std::string name;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string home;
  std::string shell;
};

struct GroupEntry {
  std::string name;
  std::uint32_t gid = 0;
};

/// First passwd line whose name field equals `name`; nullopt when absent or
/// when its uid/gid field is not a valid 32-bit number.
std::optional<PasswdEntry> FindPasswdEntry(std::string_view passwd, std::string_view name);
/// First passwd line with this uid.
std::optional<PasswdEntry> FindPasswdEntryByUid(std::string_view passwd, std::uint32_t uid);

std::optional<GroupEntry> FindGroupEntry(std::string_view group, std::string_view name);
/// First group line with this gid.
std::optional<GroupEntry> FindGroupEntryByGid(std::string_view group, std::uint32_t gid);

/// uid of user `name` in the passwd text.
std::optional<std::uint32_t> LookupUid(const std::string& passwd, std::string_view name);
/// gid of group `name` in the group text.
std::optional<std::uint32_t> LookupGid(const std::string& group, std::string_view name);

/// Parses a decimal uid/gid ("0", "1000"); rejects signs, spaces, overflow.
std::optional<std::uint32_t> ParseId(std::string_view text);

}  // namespace imglint
