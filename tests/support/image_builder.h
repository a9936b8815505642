// SPDX-License-Identifier: Apache-2.0
/// Builds container images for tests from a readable description in source:
/// each test says which files, modes, capabilities and whiteouts its layers
/// hold, and gets a real OCI tarball, docker-save tarball (classic or
/// Docker >= 25 layout) or OCI directory with correct sha256 digests, written
/// with libarchive (pax headers, SCHILY.xattr.security.capability). Knobs
/// produce broken images (wrong digest, truncated or corrupt layer, missing
/// blob) for error tests. Builder failures throw std::runtime_error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imglint::testing {

enum class Compression { kNone, kGzip, kZstd };

/// One entry of a layer tar. Paths are written as in the image ("/usr/bin");
/// the builder stores them relative ("usr/bin") as docker does.
struct EntrySpec {
  enum class Kind { kFile, kDir, kSymlink, kHardlink, kWhiteout, kOpaque };
  Kind kind = Kind::kFile;
  std::string path{};
  std::uint32_t mode = 0644;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string content{};
  std::string link{};                 // symlink target or hard-link target
  std::optional<std::string> caps{};  // raw security.capability bytes

  EntrySpec WithCaps(std::string raw) const;
  EntrySpec WithOwner(std::uint32_t uid, std::uint32_t gid) const;
  EntrySpec WithContent(std::string data) const;
};

EntrySpec Dir(std::string path, std::uint32_t mode = 0755);
EntrySpec File(std::string path, std::uint32_t mode = 0644, std::string content = "");
EntrySpec Symlink(std::string path, std::string target);
EntrySpec Hardlink(std::string path, std::string target);
/// ".wh.<name>" next to `path`: removes `path` from lower layers.
EntrySpec Whiteout(std::string path);
/// ".wh..wh..opq" inside `dir`: hides the lower-layer contents of `dir`.
EntrySpec Opaque(std::string dir);

/// Raw vfs_cap_data bytes (little endian). revision 1 keeps the low 32 bits.
std::string CapXattr(int revision, std::uint64_t permitted, std::uint64_t inheritable,
                     bool effective, std::uint32_t rootid = 0);
/// Capability names ("cap_net_raw") in the permitted set.
std::string CapV1(const std::vector<std::string>& permitted, bool effective);
std::string CapV2(const std::vector<std::string>& permitted, bool effective);
std::string CapV3(const std::vector<std::string>& permitted, bool effective, std::uint32_t rootid);

struct LayerSpec {
  Compression compression = Compression::kGzip;
  std::vector<EntrySpec> entries{};
  std::string media_type{};  // default: the OCI media type of `compression`
};

struct HistorySpec {
  std::string created_by{};
  std::string comment{};
  bool empty_layer = false;
};

struct ConfigSpec {
  std::string user{};
  std::vector<std::string> exposed_ports{};
  std::vector<std::string> env{};
  /// The program the container starts; unset fields are left out of the config.
  std::vector<std::string> entrypoint{};
  std::vector<std::string> cmd{};
  std::string working_dir{};
  std::map<std::string, std::string> labels{};
  std::vector<HistorySpec> history{};
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant{};
};

struct ImageSpec {
  ConfigSpec config{};
  std::vector<LayerSpec> layers{};
  std::vector<std::string> refs{};  // RepoTags / org.opencontainers.image.ref.name
};

/// Ways to break the written image, for error tests.
enum class Breakage {
  kNone,
  kWrongLayerDigest,   // layer stored under a digest of other bytes
  kTruncatedLayer,     // layer blob cut mid-block (digest matches the cut bytes)
  kCorruptLayer,       // bytes in the middle overwritten (digest matches)
  kMissingLayerBlob,   // layer blob not written
  kWrongConfigDigest,  // config stored under a digest of other bytes
};

struct WriteOptions {
  bool oci_too = false;             // docker-save: also write the OCI layout (Docker >= 25)
  bool layers_as_symlinks = false;  // docker-save: "<id>/layer.tar" symlinks named by manifest.json
  bool nested_index = false;        // multi-platform: index.json -> index -> manifests
  bool with_attestation = false;    // multi-platform: add a BuildKit attestation manifest
  bool metadata_first = false;      // write index/manifest JSON before the blobs
  Breakage breakage = Breakage::kNone;
  int broken_layer = 0;  // which layer the breakage applies to
};

/// What a writer produced, so tests can assert exact digests in messages.
struct WrittenImage {
  std::string manifest_digest{};
  std::string config_digest{};                    // as named by the manifest
  std::vector<std::string> layer_digests{};       // as named by the manifest
  std::vector<std::string> layer_blob_digests{};  // sha256 of the bytes actually stored
};

/// The bytes of one layer blob (tar, compressed as requested).
std::string BuildLayerBlob(const LayerSpec& layer);

WrittenImage WriteOciTar(const ImageSpec& spec, const std::string& path,
                         const WriteOptions& options = {});
WrittenImage WriteOciDir(const ImageSpec& spec, const std::string& dir,
                         const WriteOptions& options = {});
WrittenImage WriteDockerSaveTar(const ImageSpec& spec, const std::string& path,
                                const WriteOptions& options = {});
/// platform "os/arch[/variant]" -> image.
std::vector<WrittenImage> WriteMultiPlatformOciTar(
    const std::vector<std::pair<std::string, ImageSpec>>& images, const std::string& path,
    const WriteOptions& options = {});

/// A file member of an outer tarball, for hand-made hostile archives.
struct TarMemberSpec {
  std::string name{};
  std::string data{};
  std::string symlink{};  // non-empty: a symlink member
};
void WriteTar(const std::vector<TarMemberSpec>& members, const std::string& path);

/// "sha256:<hex>" of bytes (OpenSSL).
std::string DigestOf(const std::string& bytes);

}  // namespace imglint::testing
