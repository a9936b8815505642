// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/image.h"

#include <algorithm>

#include "analyzer/image/image_path.h"

namespace imglint {

const FileEntry* Image::Find(std::string_view path) const {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const FileEntry& e, std::string_view p) { return e.path < p; });
  if (it == files.end() || it->path != path) return nullptr;
  return &*it;
}

std::string_view Image::LayerDigest(const FileEntry& entry) const {
  if (entry.layer < layers.size()) return layers[entry.layer].digest;
  return {};
}

const FileEntry* Image::FindResolved(std::string_view path) const {
  std::optional<std::string> resolved =
      ResolveInImage(path, [this](const std::string& p) -> const std::string* {
        const FileEntry* entry = Find(p);
        return entry != nullptr && entry->type == FileType::kSymlink ? &entry->link_target
                                                                     : nullptr;
      });
  if (!resolved) return nullptr;
  return Find(*resolved);
}

}  // namespace imglint
