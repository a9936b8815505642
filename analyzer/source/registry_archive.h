// SPDX-License-Identifier: Apache-2.0
/// A registry repository seen through the ImageArchive interface as a virtual
/// OCI image layout: `index.json` names the manifest the reference resolves
/// to, and `blobs/sha256/<hex>` are fetched on demand — manifests and indexes
/// from /manifests/, configs from /blobs/ (both through the metadata cache),
/// layers streamed straight into the layer decoder, in parallel. The OCI
/// layout planner then does for a registry exactly what it does for a file:
/// index walking, platform choice, digest verification.
#pragma once

#include <memory>
#include <string>

#include "analyzer/image/image_archive.h"
#include "analyzer/source/metadata_cache.h"
#include "analyzer/source/registry_client.h"

namespace imglint {

struct RegistryArchiveOptions {
  const MetadataCache* cache = nullptr;  // may be null
  bool offline = false;                  // only the cache; layers cannot be read
  std::uint64_t max_metadata_bytes = 16u << 20;
};

/// Resolves the client's reference to its manifest (registry, or cache when
/// offline) and returns the archive; nullptr with *err on failure.
/// *is_index (optional) says whether the reference names an index, whose
/// platform is then chosen, rather than one image manifest.
std::unique_ptr<ImageArchive> OpenRegistryArchive(std::shared_ptr<RegistryClient> client,
                                                  const RegistryArchiveOptions& options,
                                                  std::string* err, bool* is_index = nullptr);

}  // namespace imglint
