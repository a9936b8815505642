// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/image_facts.h"

#include <cstdio>

#include "analyzer/capabilities.h"
#include "analyzer/image/passwd.h"

namespace imglint {

const PortSpec* ImageFacts::LowestPrivilegedPort() const {
  return LowestPrivileged(ports, [](const PortSpec& port) { return &port; });
}

ImageFacts AnalyzeImage(const ImageTarget& target, const Image& image) {
  ImageFacts facts;
  facts.target = &target;
  facts.image = &image;
  facts.location = ImageLocation(target, image);
  facts.user = ResolveImageUser(image);
  for (const std::string& key : image.config.exposed_ports) {
    facts.ports.push_back(ParsePortSpec(key));
  }
  for (const FileEntry& entry : image.files) {
    if (!entry.capabilities.empty() && IsExecutableKind(entry) &&
        GrantsNetBindService(entry.capabilities)) {
      facts.bind_capability_files.push_back(&entry);
    }
  }
  return facts;
}

Location ImageLocation(const ImageTarget& target, const Image& image) {
  Location location;
  location.path = target.path;
  location.platform = image.platform;
  return location;
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

std::string OctalMode(std::uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", mode & 07777u);
  return buffer;
}

}  // namespace imglint
