// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/merged_fs.h"

#include <deque>
#include <type_traits>
#include <utility>

#include "analyzer/image/image_path.h"

namespace imglint {
namespace {}  // namespace

void MergedFs::RemoveSubtree(const std::string& dir) {
  // All paths below "dir/" sort between "dir/" and "dir0" ('0' follows '/').
  std::string lo = dir == "/" ? "/" : dir + "/";
  std::string hi = dir == "/" ? "0" : dir + "0";
  auto first = nodes_.lower_bound(lo);
  auto last = nodes_.lower_bound(hi);
  for (auto it = first; it != last;) {
    if (it->first == "/") {
      ++it;  // the root itself is never below anything
      continue;
    }
    it = nodes_.erase(it);
  }
}

void MergedFs::Remove(const std::string& path) {
  if (path != "/") nodes_.erase(path);
  RemoveSubtree(path);
}

void MergedFs::ApplyLayer(std::uint16_t layer_index, const LayerContents& layer) {
  Apply(layer_index, layer);
}

void MergedFs::ApplyLayer(std::uint16_t layer_index, LayerContents&& layer) {
  Apply(layer_index, layer);
}

// `Layer` is LayerContents (strings are moved out) or const LayerContents.
template <typename Layer>
void MergedFs::Apply(std::uint16_t layer_index, Layer& layer) {
  constexpr bool kMove = !std::is_const_v<Layer>;
  // Moves from a consumed layer, copies from a shared one.
  auto take = [](auto& s) -> std::string {
    if constexpr (kMove) {
      return std::move(s);
    } else {
      return s;
    }
  };
  // Whiteouts apply to lower layers only, so run them all before adding this
  // layer's entries: an opaque directory keeps its same-layer contents no
  // matter where the marker sits in the tar.
  for (const LayerEntry& e : layer.entries) {
    if (e.whiteout == WhiteoutKind::kRemove) {
      Remove(e.path);
    } else if (e.whiteout == WhiteoutKind::kOpaque) {
      RemoveSubtree(e.path);
    }
  }
  for (auto& e : layer.entries) {
    if (e.whiteout != WhiteoutKind::kNone) continue;
    auto existing = nodes_.find(e.path);
    if (existing != nodes_.end() && existing->second.entry.type == FileType::kDirectory &&
        e.type != FileType::kDirectory) {
      RemoveSubtree(e.path);  // a file replacing a directory hides its subtree
    }
    Node node;
    node.entry.type = e.type;
    node.entry.mode = e.mode;
    node.entry.uid = e.uid;
    node.entry.gid = e.gid;
    node.entry.size = e.size;
    node.entry.capabilities = take(e.capabilities);
    node.entry.layer = layer_index;
    if (e.type == FileType::kHardlink) {
      // A hard link is the same inode as its target: same mode, owner and
      // capabilities. A missing target (hostile or broken tar) keeps the
      // link's own header fields. Copying at insertion time means cycles
      // cannot recurse.
      auto target = nodes_.find(e.link_target);
      if (target != nodes_.end() && target->second.entry.type != FileType::kDirectory &&
          e.link_target != e.path) {
        const FileEntry& t = target->second.entry;
        node.entry.mode = t.mode;
        node.entry.uid = t.uid;
        node.entry.gid = t.gid;
        node.entry.size = t.size;
        node.entry.capabilities = t.capabilities;
        node.content = target->second.content;
      }
    } else if (e.type == FileType::kRegular) {
      auto captured = layer.small_files.find(e.path);
      if (captured != layer.small_files.end()) {
        // Copied even from a consumed layer: a tar may list the file twice.
        node.content = std::make_shared<const std::string>(captured->second);
      }
    }
    node.entry.link_target = take(e.link_target);
    nodes_.insert_or_assign(take(e.path), std::move(node));
  }
}

std::optional<std::string> MergedFs::ResolvePath(std::string_view path) const {
  return ResolveInImage(path, [this](const std::string& p) -> const std::string* {
    auto it = nodes_.find(p);
    if (it == nodes_.end() || it->second.entry.type != FileType::kSymlink) return nullptr;
    return &it->second.entry.link_target;
  });
}

std::optional<std::string> MergedFs::ReadSmallFile(std::string_view path) const {
  auto resolved = ResolvePath(path);
  if (!resolved) return std::nullopt;
  auto it = nodes_.find(*resolved);
  if (it == nodes_.end() || !it->second.content) return std::nullopt;
  FileType type = it->second.entry.type;
  if (type != FileType::kRegular && type != FileType::kHardlink) return std::nullopt;
  return *it->second.content;
}

std::vector<FileEntry> MergedFs::TakeFiles() {
  std::vector<FileEntry> files;
  files.reserve(nodes_.size());
  // Node by node, so the map shrinks while the vector grows.
  while (!nodes_.empty()) {
    auto node = nodes_.extract(nodes_.begin());
    node.mapped().entry.path = std::move(node.key());
    files.push_back(std::move(node.mapped().entry));
  }
  return files;
}

}  // namespace imglint
