// SPDX-License-Identifier: Apache-2.0
/// Decodes one layer blob (tar, tar+gzip, tar+zstd; codec sniffed from the
/// bytes) into a list of entries with metadata only, plus the bytes of the few
/// small files rules need (passwd/group candidates). Each layer is an
/// independent job with no shared state except an atomic byte budget, so a
/// seekable tarball's layers decode in parallel and are merged in layer order
/// afterwards (merged_fs.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analyzer/image/byte_source.h"
#include "analyzer/image/decompressor.h"
#include "analyzer/image/image.h"
#include "analyzer/image/image_reader.h"

namespace imglint {

enum class WhiteoutKind : std::uint8_t {
  kNone,
  kRemove,  // ".wh.NAME": `path` and its subtree are removed from lower layers
  kOpaque,  // ".wh..wh..opq": lower-layer contents of directory `path` are hidden
};

/// One tar entry of a layer, with its path already normalised.
struct LayerEntry {
  std::string path{};  // absolute, normalised; for whiteouts the affected path
  FileType type = FileType::kRegular;
  WhiteoutKind whiteout = WhiteoutKind::kNone;
  std::uint32_t mode = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t size = 0;
  /// Symlink: target as stored. Hard link: absolute normalised target path.
  std::string link_target{};
  std::string capabilities{};  // decoded security.capability (getcap text)
};

/// The result of decoding one layer blob.
struct LayerContents {
  std::vector<LayerEntry> entries;  // in tar order
  /// Bytes of regular files named passwd/group (<= max_small_file_bytes),
  /// keyed by normalised path; resolved against the merged filesystem later.
  std::map<std::string, std::string> small_files;
  std::string digest;  // sha256 of the blob bytes; empty when not hashed
  std::uint64_t blob_size = 0;
  LayerCompression compression = LayerCompression::kNone;
  /// Empty on success; otherwise the reason, e.g. "gzip data is truncated"
  /// (the caller adds "layer sha256:…: ").
  std::string error;
};

/// Basenames whose bytes are captured while streaming.
bool IsCapturedSmallFile(std::string_view base_name);

struct LayerReadOptions {
  const ImageLimits* limits = nullptr;
  bool hash = true;  // compute the blob digest (disables seeking over data)
  /// Decompressed bytes of the whole target so far, shared by all jobs.
  std::atomic<std::uint64_t>* decompressed_total = nullptr;
  /// Entries decoded for the whole target so far (limits->max_total_entries).
  std::atomic<std::uint64_t>* entries_total = nullptr;
  /// Called after each blob, from the thread that decoded it (progress).
  std::function<void()> layer_done;
};

/// Reads `blob` to its end and fills *out (out->error on failure).
void ReadLayer(ByteSource* blob, const LayerReadOptions& options, LayerContents* out);

}  // namespace imglint
