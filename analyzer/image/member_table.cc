// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/member_table.h"

#include "analyzer/image/image_path.h"

namespace imglint {

void MemberTable::Add(std::string_view name, TarMember member) {
  std::string normalized;
  if (!NormalizeMemberName(name, &normalized)) return;
  members_.insert_or_assign(std::move(normalized), std::move(member));
}

bool MemberTable::Resolve(std::string_view name, std::string* canonical, std::string* err) const {
  std::string current;
  if (!NormalizeMemberName(name, &current)) {
    *err = "path \"" + std::string(name) + "\" escapes the archive";
    return false;
  }
  for (int hops = 0; hops <= 40; ++hops) {
    auto it = members_.find(current);
    if (it == members_.end()) {
      *err = "no such member \"" + current + "\"";
      return false;
    }
    const TarMember& m = it->second;
    std::string next;
    if (m.kind == TarMember::Kind::kFile) {
      *canonical = current;
      return true;
    } else if (m.kind == TarMember::Kind::kSymlink) {
      // Relative to the symlink's directory; an absolute target has no
      // meaning inside an archive and is refused like an escape.
      std::string joined = JoinPath(DirName(current), m.link);
      if (m.link.empty() || m.link.front() == '/' || !NormalizeMemberName(joined, &next)) {
        *err = "member \"" + current + "\" links to \"" + m.link + "\" outside the archive";
        return false;
      }
    } else if (m.kind == TarMember::Kind::kHardlink) {
      if (!NormalizeMemberName(m.link, &next)) {
        *err = "member \"" + current + "\" links to \"" + m.link + "\" outside the archive";
        return false;
      }
    } else {
      *err = "member \"" + current + "\" is not a regular file";
      return false;
    }
    current = std::move(next);
  }
  *err = "member \"" + std::string(name) + "\": too many levels of symbolic links";
  return false;
}

const TarMember* MemberTable::Get(const std::string& canonical) const {
  auto it = members_.find(canonical);
  return it == members_.end() ? nullptr : &it->second;
}

}  // namespace imglint
