// SPDX-License-Identifier: Apache-2.0
// A seekable image tarball: libarchive walks the headers once (member data is
// skipped with lseek-like jumps, never read), recording where each member's
// data starts; members are then read with pread, so layers decode in
// parallel on the same fd.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "analyzer/image/image_archive.h"
#include "analyzer/image/lazy_libraries.h"
#include "analyzer/image/member_table.h"
#include "analyzer/limit_hint.h"
#include "analyzer/parallel.h"

namespace imglint {
namespace {

struct IndexClient {
  int fd = -1;
  std::uint64_t pos = 0;
  std::uint64_t file_size = 0;
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(64 * 1024);
};

la_ssize_t IndexRead(struct archive* a, void* opaque, const void** buf) {
  auto* c = static_cast<IndexClient*>(opaque);
  for (;;) {
    ssize_t n = ::pread(c->fd, c->buffer.data(), c->buffer.size(), static_cast<off_t>(c->pos));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Libarchive().archive_set_error(a, errno, "read error: %s", std::strerror(errno));
      return -1;
    }
    c->pos += static_cast<std::uint64_t>(n);
    *buf = c->buffer.data();
    return n;
  }
}

la_int64_t IndexSkip(struct archive*, void* opaque, la_int64_t request) {
  auto* c = static_cast<IndexClient*>(opaque);
  if (request <= 0 || c->pos >= c->file_size) return 0;
  std::uint64_t n =
      std::min<std::uint64_t>(static_cast<std::uint64_t>(request), c->file_size - c->pos);
  c->pos += n;
  return static_cast<la_int64_t>(n);
}

TarMember::Kind KindOf(struct archive_entry* e) {
  if (Libarchive().archive_entry_hardlink(e) != nullptr) return TarMember::Kind::kHardlink;
  switch (Libarchive().archive_entry_filetype(e)) {
    case AE_IFREG:
      return TarMember::Kind::kFile;
    case AE_IFDIR:
      return TarMember::Kind::kDirectory;
    case AE_IFLNK:
      return TarMember::Kind::kSymlink;
    default:
      return TarMember::Kind::kOther;
  }
}

class TarFileArchive : public ImageArchive {
 public:
  explicit TarFileArchive(int fd) : fd_(fd) {}

  bool Index(std::uint64_t max_members, std::string* err) {
    struct stat st;
    if (::fstat(fd_, &st) != 0) {
      *err = std::string("cannot stat: ") + std::strerror(errno);
      return false;
    }
    IndexClient client;
    client.fd = fd_;
    client.file_size = static_cast<std::uint64_t>(st.st_size);
    struct archive* a = Libarchive().archive_read_new();
    Libarchive().archive_read_support_format_tar(a);
    Libarchive().archive_read_set_read_callback(a, IndexRead);
    Libarchive().archive_read_set_skip_callback(a, IndexSkip);
    Libarchive().archive_read_set_callback_data(a, &client);
    bool ok = Libarchive().archive_read_open1(a) == ARCHIVE_OK;
    std::uint64_t count = 0;
    while (ok) {
      struct archive_entry* e = nullptr;
      int r = Libarchive().archive_read_next_header(a, &e);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) {
        ok = false;
        break;
      }
      if (++count > max_members) {
        *err = "more than " + std::to_string(max_members) + " members in the archive" +
               LimitHint("max-entries-per-layer");
        Libarchive().archive_read_free(a);
        return false;
      }
      const char* name = Libarchive().archive_entry_pathname(e);
      if (name == nullptr) name = Libarchive().archive_entry_pathname_utf8(e);
      if (name == nullptr) continue;
      TarMember m;
      m.kind = KindOf(e);
      // After the header is read, the bytes consumed so far are exactly the
      // start of this member's data (read-ahead is not counted).
      la_int64_t offset = Libarchive().archive_filter_bytes(a, 0);
      la_int64_t size = Libarchive().archive_entry_size(e);
      m.offset = offset > 0 ? static_cast<std::uint64_t>(offset) : 0;
      m.size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
      m.sparse = Libarchive().archive_entry_sparse_count(e) > 0;
      if (m.kind == TarMember::Kind::kSymlink && Libarchive().archive_entry_symlink(e) != nullptr) {
        m.link = Libarchive().archive_entry_symlink(e);
      } else if (m.kind == TarMember::Kind::kHardlink) {
        m.link = Libarchive().archive_entry_hardlink(e);
      }
      if (m.kind == TarMember::Kind::kFile && m.offset + m.size > client.file_size) {
        *err = "member \"" + std::string(name) + "\" is truncated";
        Libarchive().archive_read_free(a);
        return false;
      }
      members_.Add(name, std::move(m));
    }
    if (!ok) {
      const char* msg = Libarchive().archive_error_string(a);
      *err = std::string("not an image: not a tar archive (") + (msg ? msg : "unknown error") + ")";
    }
    Libarchive().archive_read_free(a);
    return ok;
  }

  bool Resolve(std::string_view name, std::string* canonical, std::string* err) const override {
    return members_.Resolve(name, canonical, err);
  }

  bool ReadSmall(const std::string& canonical, std::uint64_t limit, std::string* out,
                 std::string* err) override {
    const TarMember* m = members_.Get(canonical);
    if (m == nullptr || m->sparse) {
      *err = "member \"" + canonical + "\" cannot be read";
      return false;
    }
    if (m->size > limit) {
      *err = "larger than the limit of " + std::to_string(limit) + " bytes" +
             LimitHint("max-metadata-bytes");
      return false;
    }
    FdRangeSource src(fd_, m->offset, m->size);
    return ReadAll(&src, limit, out, err);
  }

  std::uint64_t MemberSize(const std::string& canonical) const override {
    const TarMember* m = members_.Get(canonical);
    return m ? m->size : 0;
  }

  void ReadLayers(const std::vector<std::string>& members, const LayerReadOptions& options,
                  int jobs, std::vector<std::shared_ptr<LayerContents>>* out) override {
    out->assign(members.size(), nullptr);
    std::vector<std::uint64_t> sizes;
    for (const auto& name : members) sizes.push_back(MemberSize(name));
    ParallelFor(sizes, jobs, [&](std::size_t i) {
      auto contents = std::make_shared<LayerContents>();
      const TarMember* m = members_.Get(members[i]);
      if (m == nullptr || m->sparse) {
        contents->error = "member \"" + members[i] + "\" cannot be read";
      } else {
        FdRangeSource src(fd_, m->offset, m->size);
        ReadLayer(&src, options, contents.get());
      }
      (*out)[i] = std::move(contents);
    });
  }

 private:
  int fd_;
  MemberTable members_;
};

}  // namespace

std::unique_ptr<ImageArchive> OpenTarFileArchive(int fd, std::uint64_t max_members,
                                                 std::string* err) {
  auto archive = std::make_unique<TarFileArchive>(fd);
  if (!archive->Index(max_members, err)) return nullptr;
  return archive;
}

}  // namespace imglint
