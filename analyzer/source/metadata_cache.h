// SPDX-License-Identifier: Apache-2.0
/// A small content-addressed cache of manifests, indexes and configs (never
/// layers) under $XDG_CACHE_HOME/imglint (default ~/.cache/imglint), so a
/// second run — and `--offline` — resolves an image's metadata without the
/// registry. Blobs are stored by digest and verified again when read, so a
/// corrupted cache can only cause a miss. Tags map to the digest they last
/// resolved to. A cache that cannot be written is silently skipped: it must
/// never make a lint fail.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imglint {

class MetadataCache {
 public:
  /// The cache under `dir`; an empty dir disables it.
  explicit MetadataCache(std::string dir) : dir_(std::move(dir)) {}

  /// $XDG_CACHE_HOME/imglint, else $HOME/.cache/imglint; "" when neither is set.
  static std::string DefaultDir();

  bool enabled() const { return !dir_.empty(); }
  const std::string& dir() const { return dir_; }

  /// The verified bytes of `digest`, or nullopt.
  std::optional<std::string> GetBlob(std::string_view digest) const;
  /// Stores `bytes`, which must hash to `digest` (checked).
  void PutBlob(std::string_view digest, std::string_view bytes) const;

  /// The digest `name:tag` resolved to last ("domain/repository", "tag").
  std::optional<std::string> GetTag(std::string_view name, std::string_view tag) const;
  void PutTag(std::string_view name, std::string_view tag, std::string_view digest) const;

 private:
  std::string dir_;
};

}  // namespace imglint
