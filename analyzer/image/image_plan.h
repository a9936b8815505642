// SPDX-License-Identifier: Apache-2.0
/// The first phase of reading an image target: from its index/manifest/config
/// JSON (verified against their digests) decide which images it holds and
/// which archive members are their layers, in order. The second phase
/// (image_reader.cc) decodes the layers and merges them. Splitting the two
/// lets layers be decoded in parallel, once each, even when several platform
/// images share them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/image.h"
#include "analyzer/image/image_archive.h"
#include "analyzer/image/image_reader.h"

namespace imglint {

struct LayerRef {
  std::string member;  // resolved archive member holding the blob
  std::string digest;  // expected "sha256:…"; empty when the format names none
  std::string media_type;
  std::uint64_t size = 0;  // as declared (0 = unknown)
};

struct ImagePlan {
  Image image;  // everything except files/passwd/group and layer digests still unknown
  std::vector<LayerRef> layers;
};

struct PlanResult {
  std::vector<ImagePlan> images;
  /// Images the target holds before --platform filtering (attestations excluded).
  std::size_t total_images = 0;
};

/// OCI image layout (oci-layout + index.json + blobs/sha256/…).
bool PlanOciLayout(ImageArchive* archive, const ImageReadOptions& options, PlanResult* out,
                   std::string* err);

/// docker-save manifest.json (classic and Docker >= 25).
bool PlanDockerSave(ImageArchive* archive, const ImageReadOptions& options, PlanResult* out,
                    std::string* err);

/// Reads blob `digest` from blobs/sha256/<hex>, at most `limit` bytes, and
/// verifies its sha256 when options.verify_digests. Errors read
/// "blob sha256:…: missing from the archive" / "…: digest mismatch (got …)".
bool ReadVerifiedBlob(ImageArchive* archive, std::string_view digest,
                      const ImageReadOptions& options, std::uint64_t limit, std::string* out,
                      std::string* err);

/// Adds one image's config size to *total; fails once the configs of one
/// target exceed 4 x limits.max_metadata_bytes (each image keeps a copy).
bool CountConfigBytes(std::uint64_t size, std::uint64_t* total, const ImageLimits& limits,
                      std::string* err);

/// "blobs/sha256/<hex>" for a valid digest; false otherwise (never builds a
/// path from an unvalidated digest).
bool BlobMemberName(std::string_view digest, std::string* member);

}  // namespace imglint
