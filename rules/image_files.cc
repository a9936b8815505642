// SPDX-License-Identifier: Apache-2.0
#include "rules/image_files.h"

#include <cstdio>

#include "analyzer/finding.h"
#include "analyzer/image/passwd.h"

namespace imglint {

std::string OctalMode(std::uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", mode & 07777u);
  return buffer;
}

Location FileLocation(const ImageTarget& target, const Image& image, const FileEntry& entry) {
  Location location = ImageLocation(target, image);
  location.image_path = entry.path;
  location.layer_digest = std::string(image.LayerDigest(entry));
  return location;
}

std::string OwnerName(const Image& image, std::uint32_t id, bool group) {
  const std::optional<std::string>& file = group ? image.group : image.passwd;
  if (file) {
    if (group) {
      if (auto entry = FindGroupEntryByGid(*file, id)) return entry->name;
    } else if (auto entry = FindPasswdEntryByUid(*file, id)) {
      return entry->name;
    }
  }
  if (id == 0) return "root";
  return (group ? "gid " : "uid ") + std::to_string(id);
}

std::vector<PortSpec> ExposedPorts(const Image& image) {
  std::vector<PortSpec> ports;
  for (const std::string& key : image.config.exposed_ports) ports.push_back(ParsePortSpec(key));
  return ports;
}

const PortSpec* LowestPrivilegedPort(const std::vector<PortSpec>& ports) {
  const PortSpec* lowest = nullptr;
  for (const PortSpec& port : ports) {
    if (IsPrivilegedPort(port) && (!lowest || port.start < lowest->start)) lowest = &port;
  }
  return lowest;
}

bool ContainsCap(std::string_view text, std::string_view cap) {
  for (size_t at = text.find(cap); at != std::string_view::npos; at = text.find(cap, at + 1)) {
    size_t end = at + cap.size();
    bool starts = at == 0 || text[at - 1] == ',' || text[at - 1] == ' ';
    bool ends = end == text.size() || text[end] == ',' || text[end] == '=' || text[end] == '+' ||
                text[end] == '-' || text[end] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

bool GrantsNetBindService(std::string_view caps) {
  // getcap prints "=ep" (no names) for the full set.
  return (!caps.empty() && caps[0] == '=') || ContainsCap(caps, "cap_net_bind_service");
}

Location ImageLocation(const ImageTarget& target, const Image& image) {
  Location location;
  location.path = target.path;
  location.platform = image.platform;
  return location;
}

}  // namespace imglint
