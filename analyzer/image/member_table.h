// SPDX-License-Identifier: Apache-2.0
/// The table of members of an image tarball (name -> kind, link, offset,
/// size), and resolution of member names through symlink and hard-link
/// members. Docker >= 25 writes `<id>/layer.tar` as a symlink to
/// `../blobs/sha256/<hex>`; resolution stays inside the archive and stops
/// after 40 hops.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace imglint {

struct TarMember {
  enum class Kind : std::uint8_t { kFile, kDirectory, kSymlink, kHardlink, kOther };
  Kind kind = Kind::kFile;
  std::string link;          // symlink target as stored, or hard-link target name
  std::uint64_t offset = 0;  // data offset in the outer tar (seekable input only)
  std::uint64_t size = 0;
  bool sparse = false;  // GNU sparse member: data is not contiguous
};

class MemberTable {
 public:
  /// Records a member under its normalised name; names that escape the
  /// archive are ignored (they can never be referenced). Later wins.
  void Add(std::string_view name, TarMember member);

  bool Resolve(std::string_view name, std::string* canonical, std::string* err) const;
  const TarMember* Get(const std::string& canonical) const;
  std::size_t size() const { return members_.size(); }

 private:
  std::map<std::string, TarMember, std::less<>> members_;
};

}  // namespace imglint
