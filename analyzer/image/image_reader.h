// SPDX-License-Identifier: Apache-2.0
/// Reads an image target — OCI image-layout tarball, docker-save tarball
/// (classic and Docker >= 25 OCI-in-docker-save), OCI layout directory, or a
/// tarball on stdin ("-") — into ImageTarget: config plus the final merged
/// filesystem after whiteouts, as metadata only. Never extracts, never
/// buffers layer data; every byte is untrusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "analyzer/image/image.h"

namespace imglint {

/// Resource limits for hostile input (docs/design.md §8). Each has a command-line
/// flag and a `limits:` key in .imglint.yaml of the same name (shown after
/// each member; see cli/limit_flags.h and docs/limits.md). Hitting one is an
/// error for that target that names the limit, never a silent truncation.
struct ImageLimits {
  /// Tar entries in one layer, and members of the outer image tarball.
  std::uint64_t max_entries_per_layer = 2'000'000;  // max-entries-per-layer
  /// Layer entries per target, summed over all layers as decoded and again
  /// as merged into each image: bounds memory, and the time a manifest that
  /// lists one huge layer thousands of times would cost.
  std::uint64_t max_total_entries = 20'000'000;  // max-total-entries
  /// Bytes of an entry name, hard-link or symlink target.
  std::uint64_t max_path_length = 4096;  // max-path-length
  /// Bytes of each manifest/index/config JSON and manifest.json.
  std::uint64_t max_metadata_bytes = 16u << 20;  // max-metadata-bytes
  /// /etc/passwd, /etc/group (larger ones are not read, not an error).
  std::uint64_t max_small_file_bytes = 1u << 20;
  /// Decompressed layer bytes per target (decompression bombs).
  std::uint64_t max_decompressed_bytes = 64ull << 30;  // max-decompressed-bytes
  /// Image indexes nested in image indexes.
  int max_index_depth = 8;
};

struct ImageReadOptions {
  std::string platform;  // "os/arch[/variant]"; empty = every platform
  /// Only the images named so (oci-archive:PATH:REF): an OCI ref.name such
  /// as "1.0" or a docker-save RepoTag such as "app:1.0". Empty = all.
  std::string ref;
  int jobs = 0;  // parallel layer decoding; 0 = number of cores
  bool verify_digests = true;
  ImageLimits limits;
  /// Called after each layer blob is decoded, from the decoding thread, with
  /// the blobs done so far and the number to decode (0 while unknown: a
  /// stream is decoded before its manifest is read). For a progress display.
  std::function<void(std::size_t done, std::size_t total)> progress;
  /// For "-": bytes of standard input already read to recognise it, which
  /// the reader replays before reading on.
  std::string stdin_prefix;
};

/// True when `path` is a directory with `oci-layout`, or a file whose first
/// block is a tar header (any compression of the outer tar is not supported,
/// as with docker load). "-" is always an image.
bool LooksLikeImage(const std::string& path);

/// True when `head` (the first bytes of a stream) starts with a tar header.
bool StartsWithTarHeader(std::string_view head);

/// Reads the target. On failure returns false and sets *err to a message
/// naming the place and the reason, without the target path, e.g.
/// "layer sha256:ab12…: gzip data is truncated".
bool ReadImage(const std::string& path, const ImageReadOptions& options, ImageTarget* out,
               std::string* err);

class ImageArchive;
struct LayerReadOptions;
/// Opens the archive of an image that is not a local path (a registry, a
/// daemon's export stream). Gets the layer options because a stream decodes
/// layers while it reads.
using ArchiveOpener =
    std::function<std::unique_ptr<ImageArchive>(const LayerReadOptions& options, std::string* err)>;

/// ReadImage for an archive `open` provides; `name` is the target as typed.
bool ReadImageFrom(const std::string& name, const ArchiveOpener& open,
                   const ImageReadOptions& options, ImageTarget* out, std::string* err);

}  // namespace imglint
