// SPDX-License-Identifier: Apache-2.0
/// The final merged filesystem of an image: layers applied in order with OCI
/// whiteout semantics (".wh.NAME" removes a lower path and its subtree,
/// ".wh..wh..opq" hides a directory's lower contents but keeps same-layer
/// entries), later layers replacing earlier entries, hard links inheriting
/// their target's metadata. Also resolves paths through the image's own
/// symlinks, confined to the image root, to find /etc/passwd and /etc/group.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/image.h"
#include "analyzer/image/layer_reader.h"

namespace imglint {

class MergedFs {
 public:
  /// Applies one layer on top of the current state. `layer_index` is stored
  /// in FileEntry::layer. The rvalue overload moves the strings out of a
  /// layer no other image needs, instead of copying them.
  void ApplyLayer(std::uint16_t layer_index, const LayerContents& layer);
  void ApplyLayer(std::uint16_t layer_index, LayerContents&& layer);

  /// Resolves `path` through symlinks inside the image (absolute targets are
  /// relative to the image root, ".." stops at "/"). Returns the final
  /// normalised path, or nullopt on a loop (> 40 hops).
  std::optional<std::string> ResolvePath(std::string_view path) const;

  /// Captured bytes of the regular file that `path` resolves to; nullopt when
  /// it does not exist, is not a regular file, or was not captured.
  std::optional<std::string> ReadSmallFile(std::string_view path) const;

  /// The merged entries, sorted by path. Leaves the object empty.
  std::vector<FileEntry> TakeFiles();

 private:
  // The path is stored once, as the key (entry.path stays empty until
  // TakeFiles): at ~80k entries per GiB of image the copy was megabytes.
  struct Node {
    FileEntry entry;
    std::shared_ptr<const std::string> content;  // captured passwd/group bytes
  };
  template <typename Layer>
  void Apply(std::uint16_t layer_index, Layer& layer);
  void RemoveSubtree(const std::string& dir);  // entries strictly below `dir`
  void Remove(const std::string& path);        // `path` and its subtree

  std::map<std::string, Node, std::less<>> nodes_;
};

}  // namespace imglint
