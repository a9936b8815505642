// SPDX-License-Identifier: Apache-2.0
/// The model of a container image after reading: its config and the final
/// merged filesystem as per-entry metadata only (docs/design.md §2, §7). No file data
/// is kept except the few small files rules need (/etc/passwd, /etc/group).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

enum class FileType : std::uint8_t {
  kRegular,
  kDirectory,
  kSymlink,
  kHardlink,
  kCharDevice,
  kBlockDevice,
  kFifo,
  kSocket,
};

/// One entry of the final merged filesystem.
struct FileEntry {
  std::string path;  // absolute and normalised: "/usr/bin/passwd"
  FileType type = FileType::kRegular;
  std::uint32_t mode = 0;  // permission bits including 04000/02000/01000
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t size = 0;
  /// Symlink: the target as stored. Hard link: the absolute normalised path
  /// of the file it links to (whose mode/caps it shares).
  std::string link_target;
  /// Decoded `security.capability` as getcap prints it ("cap_net_raw=ep"),
  /// empty when the file carries none.
  std::string capabilities;
  std::uint16_t layer = 0;  // index into Image::layers of the layer that wrote it
};

struct Layer {
  std::string digest;      // "sha256:…" as named by the manifest
  std::string media_type;  // as named by the manifest (may lie about compression)
  std::uint64_t size = 0;  // compressed blob size
};

struct HistoryEntry {
  std::string created_by;
  std::string comment;
  bool empty_layer = false;
};

struct ImageConfig {
  std::string user;                        // "" when unset
  std::vector<std::string> exposed_ports;  // keys of ExposedPorts: "80/tcp"
  std::vector<std::string> env;            // "KEY=value"
  std::vector<std::string> entrypoint;     // exec form; empty when unset
  std::vector<std::string> cmd;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  std::vector<HistoryEntry> history;
  std::string os;
  std::string architecture;
  std::string variant;

  /// A Windows image: the Linux-only rules do not apply (IL002).
  bool IsWindows() const { return os == "windows"; }
};

/// One platform image of a target.
struct Image {
  std::string platform;         // "linux/amd64"; empty for a single-platform target
  std::string manifest_digest;  // empty for classic docker-save
  std::string config_digest;
  std::vector<std::string> refs;  // RepoTags and org.opencontainers.image.ref.name
  ImageConfig config;
  std::vector<Layer> layers;
  std::vector<FileEntry> files;  // sorted by path, unique
  /// Contents of /etc/passwd and /etc/group in the final filesystem, resolved
  /// through symlinks inside the image; nullopt when absent.
  std::optional<std::string> passwd;
  std::optional<std::string> group;

  /// Binary search in `files`; nullptr when absent.
  const FileEntry* Find(std::string_view path) const;
  /// The entry `path` names after following the image's own symlinks (and a
  /// hard link to the entry it shares metadata with); nullptr when absent.
  const FileEntry* FindResolved(std::string_view path) const;
  std::string_view LayerDigest(const FileEntry& entry) const;
};

/// Everything read from one image target (tarball, OCI directory or stdin).
struct ImageTarget {
  std::string path;  // as given on the command line
  /// Where the image came from when not a plain path: "registry
  /// 127.0.0.1:5000", "docker daemon unix:///var/run/docker.sock".
  std::string source;
  std::vector<Image> images;  // one per selected platform
};

}  // namespace imglint
