// SPDX-License-Identifier: Apache-2.0
// Layout: blobs/sha256/<hex> and tags/<sha256 of "name:tag">. Tag files are
// named by a hash so a hostile reference can never form a path; their content
// is a digest validated before use. Writes go to a temporary file that is
// renamed into place, so readers never see half a file.
#include "analyzer/source/metadata_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "analyzer/image/digest.h"

namespace imglint {
namespace {

constexpr std::uintmax_t kMaxCachedBlob = 16u << 20;

std::optional<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxCachedBlob) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

void WriteAtomically(const std::string& dir, const std::string& name, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return;
  std::random_device random;
  std::string tmp = dir + "/.tmp-" + std::to_string(random()) + "-" + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  bool ok = done == bytes.size() && ::close(fd) == 0;
  if (!ok || std::rename(tmp.c_str(), (dir + "/" + name).c_str()) != 0) ::unlink(tmp.c_str());
}

std::string TagFileName(std::string_view name, std::string_view tag) {
  std::string key(name);
  key += ':';
  key += tag;
  return std::string(DigestHex(Sha256Digest(key)));
}

}  // namespace

std::string MetadataCache::DefaultDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/imglint";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.cache/imglint";
  return "";
}

std::optional<std::string> MetadataCache::GetBlob(std::string_view digest) const {
  std::string_view hex = DigestHex(digest);
  if (!enabled() || hex.empty()) return std::nullopt;
  auto bytes = ReadFile(dir_ + "/blobs/sha256/" + std::string(hex));
  if (!bytes || Sha256Digest(*bytes) != digest) return std::nullopt;
  return bytes;
}

void MetadataCache::PutBlob(std::string_view digest, std::string_view bytes) const {
  std::string_view hex = DigestHex(digest);
  if (!enabled() || hex.empty() || bytes.size() > kMaxCachedBlob || Sha256Digest(bytes) != digest) {
    return;
  }
  WriteAtomically(dir_ + "/blobs/sha256", std::string(hex), bytes);
}

std::optional<std::string> MetadataCache::GetTag(std::string_view name,
                                                 std::string_view tag) const {
  if (!enabled()) return std::nullopt;
  auto text = ReadFile(dir_ + "/tags/" + TagFileName(name, tag));
  if (!text) return std::nullopt;
  while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
  if (!IsSha256Digest(*text)) return std::nullopt;
  return text;
}

void MetadataCache::PutTag(std::string_view name, std::string_view tag,
                           std::string_view digest) const {
  if (!enabled() || !IsSha256Digest(digest)) return;
  WriteAtomically(dir_ + "/tags", TagFileName(name, tag), std::string(digest) + "\n");
}

}  // namespace imglint
