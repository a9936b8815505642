// SPDX-License-Identifier: Apache-2.0
/// What the rules read about one platform image, computed once: who it runs
/// as (its configured user resolved against its own /etc/passwd and
/// /etc/group), the ports it exposes, where a finding about it points, and
/// the helpers that name its files the same way in every rule.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/image/image.h"
#include "analyzer/port_spec.h"
#include "analyzer/workspace/user_resolution.h"

namespace imglint {

struct ImageFacts {
  const ImageTarget* target = nullptr;
  const Image* image = nullptr;
  Location location;            ///< the image: target path and platform
  ResolvedUser user;            ///< config user, resolved against the image's files
  std::vector<PortSpec> ports;  ///< ExposedPorts parsed, invalid ones included
  /// Executables whose file capabilities grant cap_net_bind_service, in path order.
  std::vector<const FileEntry*> bind_capability_files;
  /// The program the container starts: ENTRYPOINT, else CMD (the command of
  /// a `sh -c` form), looked up through the config's PATH and the image's
  /// symlinks; nullptr when unset or not found in the image.
  const FileEntry* entrypoint = nullptr;
  /// A workload linted with the image runs it: its settings, not the
  /// image's alone, decide whether the port can be bound.
  bool run_by_workload = false;

  /// The entrypoint's own file capability lets a non-root process bind a
  /// port below 1024 whatever the sysctl (unless no_new_privs is set).
  bool EntrypointBindsLowPorts() const;

  /// The lowest privileged exposed port, or nullptr.
  const PortSpec* LowestPrivilegedPort() const;
};

ImageFacts AnalyzeImage(const ImageTarget& target, const Image& image);

/// The file `image` would execute at start (see ImageFacts::entrypoint).
const FileEntry* ResolveEntrypoint(const Image& image);

/// The location of an image-level fact (user, ports) in `target`.
Location ImageLocation(const ImageTarget& target, const Image& image);

/// The location of an in-image file in `target`.
Location FileLocation(const ImageTarget& target, const Image& image, const FileEntry& entry);

/// Regular files and hard links carry the bits that matter; a setgid
/// directory only makes new files inherit the group and is normal.
inline bool IsExecutableKind(const FileEntry& entry) {
  return entry.type == FileType::kRegular || entry.type == FileType::kHardlink;
}

/// The image's name for a uid (or gid when `group`) from its own files;
/// "root" for 0, else "uid N" / "gid N".
std::string OwnerName(const Image& image, std::uint32_t id, bool group);

/// "4755" — the permission bits as chmod would take them.
std::string OctalMode(std::uint32_t mode);

}  // namespace imglint
