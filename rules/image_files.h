// SPDX-License-Identifier: Apache-2.0
/// Helpers shared by the filesystem rules (IL201–IL203) so they walk images,
/// build locations and format modes the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/image/image.h"
#include "analyzer/port_spec.h"

namespace imglint {

/// Regular files and hard links carry the bits that matter; a setgid
/// directory only makes new files inherit the group and is normal.
inline bool IsExecutableKind(const FileEntry& entry) {
  return entry.type == FileType::kRegular || entry.type == FileType::kHardlink;
}

/// "4755" — the permission bits as chmod would take them.
std::string OctalMode(std::uint32_t mode);

/// The location of an in-image file in `target`.
Location FileLocation(const ImageTarget& target, const Image& image, const FileEntry& entry);

/// "root" for uid 0 (or the image's own name for the uid when known), else "uid N".
std::string OwnerName(const Image& image, std::uint32_t uid, bool group);

/// The image's ExposedPorts, parsed (invalid ones included, for IL302).
std::vector<PortSpec> ExposedPorts(const Image& image);

/// A valid spec with any port below 1024 (ranges included).
inline bool IsPrivilegedPort(const PortSpec& port) { return port.valid && port.start < 1024; }

/// The lowest privileged port among `ports`, or nullptr.
const PortSpec* LowestPrivilegedPort(const std::vector<PortSpec>& ports);

/// Does this getcap text grant cap_net_bind_service (named, or "=ep" for all)?
bool GrantsNetBindService(std::string_view caps);
/// Is `cap` ("cap_sys_admin") one of the names in getcap text `caps`?
bool ContainsCap(std::string_view caps, std::string_view cap);

/// The location of an image-level fact (user, ports) in `target`.
Location ImageLocation(const ImageTarget& target, const Image& image);

}  // namespace imglint
