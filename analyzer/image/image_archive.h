// SPDX-License-Identifier: Apache-2.0
/// Uniform access to the members of an image target, whatever its container:
/// a seekable tarball (indexed once, members read by offset), an OCI layout
/// directory, or a tar stream read in one pass. The format readers
/// (oci_layout.cc, docker_save.cc) only see this interface, so every input
/// kind gets the same validation and the same error messages.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/layer_reader.h"

namespace imglint {

class ImageArchive {
 public:
  virtual ~ImageArchive() = default;

  /// Canonical name of member `name` after normalising it and following
  /// symlink/hard-link members inside the archive (never outside it).
  /// Returns false with *err ("no such member", "… escapes the archive").
  virtual bool Resolve(std::string_view name, std::string* canonical, std::string* err) const = 0;

  /// Reads a whole (resolved) member into memory, failing above `limit`.
  virtual bool ReadSmall(const std::string& canonical, std::uint64_t limit, std::string* out,
                         std::string* err) = 0;

  /// Size of a resolved member (used to schedule large layers first).
  virtual std::uint64_t MemberSize(const std::string& canonical) const = 0;

  /// Decodes the given resolved members as layers; (*out)[i] belongs to
  /// members[i]. Per-layer failures go into LayerContents::error.
  virtual void ReadLayers(const std::vector<std::string>& members, const LayerReadOptions& options,
                          int jobs, std::vector<std::shared_ptr<LayerContents>>* out) = 0;

  bool Exists(std::string_view name) const {
    std::string canonical;
    std::string err;
    return Resolve(name, &canonical, &err);
  }
};

/// Opens a seekable tarball and indexes its members (no data is read).
std::unique_ptr<ImageArchive> OpenTarFileArchive(int fd, std::uint64_t max_members,
                                                 std::string* err);

/// Opens an OCI image-layout directory.
std::unique_ptr<ImageArchive> OpenDirArchive(const std::string& dir, std::string* err);

/// Reads a (non-seekable) tar stream to its end in one pass: small JSON-like
/// members are kept in memory, every other member is decoded as a layer at
/// once (metadata only), since the manifest may come after the layers.
std::unique_ptr<ImageArchive> ReadStreamArchive(int fd, const LayerReadOptions& options,
                                                std::string* err);
/// The same for a stream that is not a file descriptor (a daemon's response).
std::unique_ptr<ImageArchive> ReadStreamArchive(ByteSource* source, const LayerReadOptions& options,
                                                std::string* err);

}  // namespace imglint
