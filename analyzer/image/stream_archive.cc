// SPDX-License-Identifier: Apache-2.0
// A tar stream ("-" or a pipe) read in one pass. The manifest may come after
// the layers, so every member is classified as it streams by: small members
// that look like JSON are kept in memory; every other member is decoded as a
// layer right away into its entry list (metadata only, never the data) and
// kept under its member name until the manifest says which ones are used.
#include <cerrno>
#include <cstring>
#include <map>

#include "analyzer/image/image_archive.h"
#include "analyzer/image/lazy_libraries.h"
#include "analyzer/image/member_table.h"
#include "analyzer/limit_hint.h"

namespace imglint {
namespace {

constexpr std::size_t kSniffBytes = 512;

// The data of the current member of the outer archive.
class MemberDataSource : public ByteSource {
 public:
  explicit MemberDataSource(struct archive* a) : a_(a) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override {
    la_ssize_t n = Libarchive().archive_read_data(a_, buf, size);
    if (n < 0) {
      const char* msg = Libarchive().archive_error_string(a_);
      *err = outer_error_ =
          std::string("input is not a valid tar stream (") + (msg ? msg : "read error") + ")";
      *got = 0;
      return false;
    }
    *got = static_cast<std::size_t>(n);
    return true;
  }
  const std::string& outer_error() const { return outer_error_; }

 private:
  struct archive* a_;
  std::string outer_error_;
};

bool LooksLikeJson(std::string_view head) {
  for (char c : head) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

bool IsMetadataName(std::string_view name) {
  return name == "oci-layout" || name == "index.json" || name == "manifest.json" ||
         name == "repositories";
}

class StreamArchive : public ImageArchive {
 public:
  explicit StreamArchive(const LayerReadOptions& options) : options_(options) {}

  bool Load(int fd, std::string* err) {
    struct archive* a = Libarchive().archive_read_new();
    Libarchive().archive_read_support_format_tar(a);
    return Load(a, Libarchive().archive_read_open_fd(a, fd, 64 * 1024) == ARCHIVE_OK, err);
  }

  // A stream that is not a file descriptor: a daemon's HTTP response body.
  bool Load(ByteSource* source, std::string* err) {
    struct archive* a = Libarchive().archive_read_new();
    Libarchive().archive_read_support_format_tar(a);
    SourceReader reader{source, std::vector<std::uint8_t>(64 * 1024), {}};
    bool opened = Libarchive().archive_read_open(a, &reader, nullptr, &SourceReader::Read,
                                                 nullptr) == ARCHIVE_OK;
    bool ok = Load(a, opened, err);
    if (!ok && !reader.error.empty()) *err = reader.error;
    return ok;
  }

 private:
  struct SourceReader {
    ByteSource* source;
    std::vector<std::uint8_t> buffer;
    std::string error;  // the source's own words, better than libarchive's

    static la_ssize_t Read(struct archive* a, void* self, const void** data) {
      auto* r = static_cast<SourceReader*>(self);
      std::size_t got = 0;
      if (!r->source->Read(r->buffer.data(), r->buffer.size(), &got, &r->error)) {
        Libarchive().archive_set_error(a, EIO, "%s", r->error.c_str());
        return -1;
      }
      *data = r->buffer.data();
      return static_cast<la_ssize_t>(got);
    }
  };

  // Reads every member of the opened archive `a`, then frees it.
  bool Load(struct archive* a, bool ok, std::string* err) {
    std::uint64_t count = 0;
    while (ok) {
      struct archive_entry* e = nullptr;
      int r = Libarchive().archive_read_next_header(a, &e);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) {
        ok = false;
        break;
      }
      if (++count > options_.limits->max_entries_per_layer) {
        *err = "more than " + std::to_string(options_.limits->max_entries_per_layer) +
               " members in the archive" + LimitHint("max-entries-per-layer");
        Libarchive().archive_read_free(a);
        return false;
      }
      if (!AddMember(a, e, err)) {
        Libarchive().archive_read_free(a);
        return false;
      }
    }
    if (!ok) {
      const char* msg = Libarchive().archive_error_string(a);
      *err = count == 0 ? std::string("not an image: not a tar archive (") +
                              (msg ? msg : "unknown error") + ")"
                        : std::string("input is not a valid tar stream (") +
                              (msg ? msg : "unknown error") + ")";
    }
    Libarchive().archive_read_free(a);
    return ok;
  }

 public:
  bool Resolve(std::string_view name, std::string* canonical, std::string* err) const override {
    return members_.Resolve(name, canonical, err);
  }

  bool ReadSmall(const std::string& canonical, std::uint64_t limit, std::string* out,
                 std::string* err) override {
    auto it = small_.find(canonical);
    if (it == small_.end()) {
      const TarMember* m = members_.Get(canonical);
      if (m != nullptr && m->size > limit) {
        *err = "larger than the limit of " + std::to_string(limit) + " bytes" +
               LimitHint("max-metadata-bytes");
      } else {
        *err = "member \"" + canonical + "\" was not kept in memory (not JSON or too large)";
      }
      return false;
    }
    if (it->second.size() > limit) {
      *err = "larger than the limit of " + std::to_string(limit) + " bytes" +
             LimitHint("max-metadata-bytes");
      return false;
    }
    *out = it->second;
    return true;
  }

  std::uint64_t MemberSize(const std::string& canonical) const override {
    const TarMember* m = members_.Get(canonical);
    return m ? m->size : 0;
  }

  void ReadLayers(const std::vector<std::string>& members, const LayerReadOptions& options, int,
                  std::vector<std::shared_ptr<LayerContents>>* out) override {
    out->clear();
    for (const auto& name : members) {
      auto layer = layers_.find(name);
      if (layer != layers_.end()) {
        // Handed over, not shared: the reader frees each layer once merged.
        out->push_back(std::move(layer->second));
        layers_.erase(layer);
        continue;
      }
      auto contents = std::make_shared<LayerContents>();
      auto small = small_.find(name);
      if (small != small_.end()) {
        // Looked like JSON while streaming but is named as a layer.
        MemorySource src(small->second);
        ReadLayer(&src, options, contents.get());
      } else {
        contents->error = "no such member \"" + name + "\"";
      }
      out->push_back(std::move(contents));
    }
  }

 private:
  bool AddMember(struct archive* a, struct archive_entry* e, std::string* err) {
    const char* name = Libarchive().archive_entry_pathname(e);
    if (name == nullptr) name = Libarchive().archive_entry_pathname_utf8(e);
    if (name == nullptr) return true;
    TarMember m;
    la_int64_t size = Libarchive().archive_entry_size(e);
    m.size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
    if (Libarchive().archive_entry_hardlink(e) != nullptr) {
      m.kind = TarMember::Kind::kHardlink;
      m.link = Libarchive().archive_entry_hardlink(e);
    } else if (Libarchive().archive_entry_filetype(e) == AE_IFLNK) {
      m.kind = TarMember::Kind::kSymlink;
      if (Libarchive().archive_entry_symlink(e) != nullptr)
        m.link = Libarchive().archive_entry_symlink(e);
    } else if (Libarchive().archive_entry_filetype(e) == AE_IFDIR) {
      m.kind = TarMember::Kind::kDirectory;
    } else if (Libarchive().archive_entry_filetype(e) != AE_IFREG) {
      m.kind = TarMember::Kind::kOther;
    }
    members_.Add(name, m);
    std::string canonical;
    std::string ignored;
    if (m.kind != TarMember::Kind::kFile || !members_.Resolve(name, &canonical, &ignored)) {
      return true;
    }
    small_.erase(canonical);
    layers_.erase(canonical);

    MemberDataSource data(a);
    std::string head;
    std::string read_err;
    while (head.size() < kSniffBytes) {
      std::uint8_t buf[kSniffBytes];
      std::size_t got = 0;
      if (!data.Read(buf, kSniffBytes - head.size(), &got, &read_err)) {
        *err = read_err;
        return false;
      }
      if (got == 0) break;
      head.append(reinterpret_cast<const char*>(buf), got);
    }
    const std::uint64_t max_meta = options_.limits->max_metadata_bytes;
    if (m.size <= max_meta && (IsMetadataName(canonical) || LooksLikeJson(head))) {
      PrefixSource src(std::move(head), &data);
      std::string bytes;
      if (!ReadAll(&src, max_meta, &bytes, &read_err)) {
        *err = "member \"" + canonical + "\": " + read_err;
        return false;
      }
      small_bytes_ += bytes.size();
      if (small_bytes_ > 4 * max_meta) {
        *err = "more than " + std::to_string(4 * max_meta) + " bytes of metadata in the stream";
        return false;
      }
      small_.emplace(canonical, std::move(bytes));
      return true;
    }
    PrefixSource src(std::move(head), &data);
    auto contents = std::make_shared<LayerContents>();
    ReadLayer(&src, options_, contents.get());
    if (!data.outer_error().empty()) {
      *err = data.outer_error();
      return false;
    }
    layers_.emplace(canonical, std::move(contents));
    return true;
  }

  LayerReadOptions options_;
  MemberTable members_;
  std::map<std::string, std::string> small_;
  std::map<std::string, std::shared_ptr<LayerContents>> layers_;
  std::uint64_t small_bytes_ = 0;
};

}  // namespace

std::unique_ptr<ImageArchive> ReadStreamArchive(int fd, const LayerReadOptions& options,
                                                std::string* err) {
  auto archive = std::make_unique<StreamArchive>(options);
  if (!archive->Load(fd, err)) return nullptr;
  return archive;
}

std::unique_ptr<ImageArchive> ReadStreamArchive(ByteSource* source, const LayerReadOptions& options,
                                                std::string* err) {
  auto archive = std::make_unique<StreamArchive>(options);
  if (!archive->Load(source, err)) return nullptr;
  return archive;
}

}  // namespace imglint
