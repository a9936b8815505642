// SPDX-License-Identifier: Apache-2.0
// What a registry serves before any layer: the manifest or index a reference
// resolves to, the manifests an index names, the config. They reach the
// registry source (its virtual OCI layout, the descriptors it learns layer
// sizes from, the index.json it makes up, the platform choice) through the
// metadata cache, with --offline, so no network is involved and the path is
// the real one: ReadImageFromSource of docker://registry.test:5000/fuzz/app@D.
//
// Input: optionally "platform: os/arch[/variant]" on the first line, then
// members, the first being what the reference names:
//
//   ==> 0
//   {"schemaVersion":2,"config":{"digest":"sha256:@1@","size":#1#},...}
//   ==> 1
//   {"architecture":"amd64",...}
//
// "@N@" becomes the hex digest of member N and "#N#" its size, for N greater
// than the member's own number (so digests can be computed last to first),
// which lets mutations change the JSON without breaking every reference.
// Layers are never cached, so each layer ends in an "--offline" error.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/digest.h"
#include "analyzer/source/image_source.h"
#include "analyzer/source/metadata_cache.h"

namespace {

constexpr std::string_view kSeparator = "==> ";
constexpr std::string_view kPlatform = "platform: ";
constexpr std::size_t kMaxMembers = 16;

// tmpfs when there is one: on ext4 a file rewritten in place is flushed to
// disk on close, which made every run wait for the disk.
std::string TempRoot() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  const char* tmp = getenv("TMPDIR");
  return tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
}

// A temporary directory for the cache, removed at exit.
struct CacheRoot {
  std::string dir;
  CacheRoot() {
    std::string pattern = TempRoot() + "/imglint-registry-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) abort();
    dir = pattern;
  }
  ~CacheRoot() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const std::string& CacheDir() {
  static const CacheRoot root;
  return root.dir;
}

std::vector<std::string> SplitMembers(std::string_view text) {
  std::vector<std::string> members;
  std::size_t pos = text.find(kSeparator);
  while (pos != std::string_view::npos && members.size() < kMaxMembers) {
    std::size_t name_end = text.find('\n', pos + kSeparator.size());
    if (name_end == std::string_view::npos) break;
    std::size_t next = text.find(kSeparator, name_end + 1);
    members.emplace_back(text.substr(name_end + 1, next == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : next - name_end - 1));
    pos = next;
  }
  return members;
}

// Replaces @N@ and #N# for N in (self, members.size()).
std::string Substitute(const std::string& text, std::size_t self,
                       const std::vector<std::string>& hex, const std::vector<std::string>& bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char mark = text[i];
    if (mark == '@' || mark == '#') {
      std::size_t end = i + 1;
      while (end < text.size() && end - i <= 2 && text[end] >= '0' && text[end] <= '9') ++end;
      if (end > i + 1 && end < text.size() && text[end] == mark) {
        const std::size_t n = std::stoul(text.substr(i + 1, end - i - 1));
        if (n > self && n < bytes.size()) {
          out += mark == '@' ? hex[n] : std::to_string(bytes[n].size());
          i = end;
          continue;
        }
      }
    }
    out.push_back(mark);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string platform;
  if (text.starts_with(kPlatform)) {
    std::size_t eol = text.find('\n');
    platform = std::string(text.substr(kPlatform.size(), eol - kPlatform.size()));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
  }
  std::vector<std::string> members = SplitMembers(text);
  if (members.empty()) return 0;
  std::vector<std::string> hex(members.size());
  for (std::size_t i = members.size(); i-- > 0;) {
    members[i] = Substitute(members[i], i, hex, members);
    hex[i] = std::string(imglint::DigestHex(imglint::Sha256Digest(members[i])));
  }

  std::error_code ec;
  std::filesystem::remove_all(CacheDir() + "/cache", ec);
  imglint::MetadataCache cache(CacheDir() + "/cache");
  for (const std::string& member : members) {
    cache.PutBlob(imglint::Sha256Digest(member), member);
  }
  const std::string target = "docker://registry.test:5000/fuzz/app@sha256:" + hex[0];
  imglint::ImageTargetSpec spec;
  std::string err;
  if (!imglint::ParseImageTarget(target, &spec, &err)) abort();
  imglint::ImageSourceOptions sources;
  sources.order = {imglint::ImageSourceKind::kRemote};
  sources.cache = &cache;
  sources.offline = true;
  sources.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  imglint::ImageReadOptions read;
  read.platform = platform;
  read.jobs = 1;
  read.limits.max_metadata_bytes = 1u << 20;
  imglint::ImageTarget out;
  imglint::ReadImageFromSource(target, spec, sources, read, &out, &err);
  return 0;
}
