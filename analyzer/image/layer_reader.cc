// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/layer_reader.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include "analyzer/capabilities.h"
#include "analyzer/image/image_path.h"
#include "analyzer/image/lazy_libraries.h"
#include "analyzer/limit_hint.h"

namespace imglint {
namespace {

constexpr std::size_t kReadChunk = 128 * 1024;
constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

// State shared with libarchive's client callbacks.
struct ClientData {
  ByteSource* src = nullptr;
  std::vector<std::uint8_t> buffer;
  std::string err;  // our own error, more precise than libarchive's
  std::uint64_t limit = 0;
  std::atomic<std::uint64_t>* total = nullptr;

  bool Account(std::uint64_t n) {
    if (total == nullptr) return true;
    std::uint64_t after = total->fetch_add(n) + n;
    if (after > limit) {
      err = "decompressed size exceeds the limit of " + std::to_string(limit) + " bytes" +
            LimitHint("max-decompressed-bytes");
      return false;
    }
    return true;
  }
};

la_ssize_t ReadCallback(struct archive* a, void* opaque, const void** buf) {
  auto* cd = static_cast<ClientData*>(opaque);
  std::size_t got = 0;
  if (!cd->src->Read(cd->buffer.data(), cd->buffer.size(), &got, &cd->err) || !cd->Account(got)) {
    Libarchive().archive_set_error(a, EIO, "%s", cd->err.c_str());
    return -1;
  }
  *buf = cd->buffer.data();
  return static_cast<la_ssize_t>(got);
}

la_int64_t SkipCallback(struct archive*, void* opaque, la_int64_t request) {
  auto* cd = static_cast<ClientData*>(opaque);
  if (request <= 0) return 0;
  std::uint64_t n = cd->src->Skip(static_cast<std::uint64_t>(request));
  if (n > 0 && !cd->Account(n)) return 0;  // reading will then hit the limit
  return static_cast<la_int64_t>(n);
}

struct ArchiveDeleter {
  void operator()(struct archive* a) const { Libarchive().archive_read_free(a); }
};

std::uint32_t ClampId(la_int64_t id) {
  if (id < 0 || id > 0xFFFFFFFFll) return 0xFFFFFFFFu;
  return static_cast<std::uint32_t>(id);
}

const char* EntryName(struct archive_entry* e) {
  const char* name = Libarchive().archive_entry_pathname(e);
  return name != nullptr ? name : Libarchive().archive_entry_pathname_utf8(e);
}

FileType TypeOf(struct archive_entry* e) {
  if (Libarchive().archive_entry_hardlink(e) != nullptr) return FileType::kHardlink;
  switch (Libarchive().archive_entry_filetype(e)) {
    case AE_IFDIR:
      return FileType::kDirectory;
    case AE_IFLNK:
      return FileType::kSymlink;
    case AE_IFCHR:
      return FileType::kCharDevice;
    case AE_IFBLK:
      return FileType::kBlockDevice;
    case AE_IFIFO:
      return FileType::kFifo;
    case AE_IFSOCK:
      return FileType::kSocket;
    default:
      return FileType::kRegular;
  }
}

std::string DecodeCaps(struct archive_entry* e) {
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  Libarchive().archive_entry_xattr_reset(e);
  while (Libarchive().archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    if (name == nullptr || std::strcmp(name, "security.capability") != 0) continue;
    std::string text;
    std::string err;
    std::string_view raw(static_cast<const char*>(value), value ? size : 0);
    if (!DecodeCapabilityXattr(raw, &text, &err)) {
      // Keep it non-empty so rules still see that the file carries the xattr.
      return "(invalid: " + err + ")";
    }
    return text;
  }
  return {};
}

// Reads the data of the current entry into *out, up to `limit` bytes.
bool ReadEntryData(struct archive* a, std::uint64_t limit, std::string* out) {
  out->clear();
  char buf[16 * 1024];
  for (;;) {
    la_ssize_t n = Libarchive().archive_read_data(a, buf, sizeof(buf));
    if (n < 0) return false;
    if (n == 0) return true;
    if (out->size() + static_cast<std::size_t>(n) > limit) return false;
    out->append(buf, static_cast<std::size_t>(n));
  }
}

class LayerDecoder {
 public:
  LayerDecoder(const LayerReadOptions& options, LayerContents* out)
      : options_(options), limits_(*options.limits), out_(out) {}

  // Returns false with out_->error set.
  /// True when decoding stopped on malformed tar data (not on a codec error
  /// or a limit); the codec may then know the real cause.
  bool tar_format_error() const { return tar_format_error_; }

  bool Decode(ByteSource* tar_stream) {
    ClientData cd;
    cd.src = tar_stream;
    cd.buffer.resize(kReadChunk);
    cd.limit = limits_.max_decompressed_bytes;
    cd.total = options_.decompressed_total;
    std::unique_ptr<struct archive, ArchiveDeleter> a(Libarchive().archive_read_new());
    Libarchive().archive_read_support_format_tar(a.get());
    Libarchive().archive_read_support_format_empty(a.get());
    Libarchive().archive_read_set_read_callback(a.get(), ReadCallback);
    Libarchive().archive_read_set_skip_callback(a.get(), SkipCallback);
    Libarchive().archive_read_set_callback_data(a.get(), &cd);
    if (Libarchive().archive_read_open1(a.get()) != ARCHIVE_OK) return Fail(a.get(), cd);

    std::uint64_t count = 0;
    for (;;) {
      struct archive_entry* e = nullptr;
      int r = Libarchive().archive_read_next_header(a.get(), &e);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) return Fail(a.get(), cd);
      if (++count > limits_.max_entries_per_layer) {
        out_->error = "more than " + std::to_string(limits_.max_entries_per_layer) +
                      " entries in one layer" + LimitHint("max-entries-per-layer");
        return false;
      }
      if (options_.entries_total != nullptr &&
          options_.entries_total->fetch_add(1) + 1 > limits_.max_total_entries) {
        out_->error = "more than " + std::to_string(limits_.max_total_entries) +
                      " layer entries in the image" + LimitHint("max-total-entries");
        return false;
      }
      if (!AddEntry(a.get(), e)) return false;
    }
    // Read to the end of the decompressed stream so that a truncated or
    // corrupt tail (after the tar end marker) is still reported.
    std::string err;
    std::uint8_t buf[16 * 1024];
    for (;;) {
      std::size_t got = 0;
      if (!tar_stream->Read(buf, sizeof(buf), &got, &err)) {
        out_->error = err;
        return false;
      }
      if (got == 0) break;
      if (!cd.Account(got)) {
        out_->error = cd.err;
        return false;
      }
    }
    return true;
  }

 private:
  bool Fail(struct archive* a, const ClientData& cd) {
    if (!cd.err.empty()) {
      out_->error = cd.err;
    } else {
      tar_format_error_ = true;
      const char* msg = Libarchive().archive_error_string(a);
      out_->error = std::string("invalid tar data (") + (msg ? msg : "unknown error") + ")";
    }
    return false;
  }

  // `what` is "entry name" or "link target"; `entry` the (possibly cut)
  // entry name, for the message.
  bool CheckLength(const char* name, const char* what, const char* entry) {
    const std::size_t length = std::strlen(name);
    if (length > limits_.max_path_length) {
      out_->error = "entry \"" + Shorten(entry) + "\": " + what + " is " + std::to_string(length) +
                    " bytes, longer than the limit of " + std::to_string(limits_.max_path_length) +
                    LimitHint("max-path-length");
      return false;
    }
    return true;
  }

  // The first 100 bytes of a name for a message, so a 100 KB name does not
  // become a 100 KB message.
  static std::string Shorten(const char* name) {
    std::string_view view(name);
    if (view.size() <= 100) return std::string(view);
    return std::string(view.substr(0, 100)) + "...";
  }

  bool AddEntry(struct archive* a, struct archive_entry* e) {
    const char* name = EntryName(e);
    if (name == nullptr) {
      out_->error = "entry with an unreadable name";
      tar_format_error_ = true;
      return false;
    }
    if (!CheckLength(name, "name", name)) return false;
    LayerEntry entry;
    entry.path = NormalizeImagePath(name);
    std::string_view base = BaseName(entry.path);
    if (base.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix) {
      std::string dir(DirName(entry.path));
      if (base == kOpaqueMarker) {
        entry.whiteout = WhiteoutKind::kOpaque;
        entry.path = dir;
      } else if (base.substr(0, 2 * kWhiteoutPrefix.size()) == ".wh..wh.") {
        return true;  // AUFS bookkeeping (.wh..wh.plnk etc.), not a whiteout
      } else {
        entry.whiteout = WhiteoutKind::kRemove;
        entry.path = NormalizeImagePath(JoinPath(dir, base.substr(kWhiteoutPrefix.size())));
      }
      entry.type = TypeOf(e);
      out_->entries.push_back(std::move(entry));
      return true;
    }
    entry.type = TypeOf(e);
    entry.mode = static_cast<std::uint32_t>(Libarchive().archive_entry_mode(e)) & 07777;
    entry.uid = ClampId(Libarchive().archive_entry_uid(e));
    entry.gid = ClampId(Libarchive().archive_entry_gid(e));
    la_int64_t size = Libarchive().archive_entry_size(e);
    entry.size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
    if (entry.type == FileType::kHardlink) {
      const char* target = Libarchive().archive_entry_hardlink(e);
      if (!CheckLength(target, "hard-link target", name)) return false;
      entry.link_target = NormalizeImagePath(target);
    } else if (entry.type == FileType::kSymlink) {
      const char* target = Libarchive().archive_entry_symlink(e);
      if (target == nullptr) target = Libarchive().archive_entry_symlink_utf8(e);
      if (target != nullptr) {
        if (!CheckLength(target, "symlink target", name)) return false;
        entry.link_target = target;
      }
    }
    entry.capabilities = DecodeCaps(e);
    if (entry.type == FileType::kRegular && IsCapturedSmallFile(base) &&
        entry.size <= limits_.max_small_file_bytes) {
      std::string data;
      if (ReadEntryData(a, limits_.max_small_file_bytes, &data)) {
        out_->small_files[entry.path] = std::move(data);
      } else if (Libarchive().archive_errno(a) != 0) {
        const char* msg = Libarchive().archive_error_string(a);
        out_->error = std::string("invalid tar data (") + (msg ? msg : "read error") + ")";
        return false;
      }
    }
    out_->entries.push_back(std::move(entry));
    return true;
  }

  const LayerReadOptions& options_;
  const ImageLimits& limits_;
  LayerContents* out_;
  bool tar_format_error_ = false;
};

// Corrupt deflate/zstd data can decode to garbage before the codec's checksum
// catches it, so the tar parser fails first with a misleading message. Read
// on (within the decompressed-bytes budget) and report the codec's error.
void PreferCodecError(ByteSource* decompressed, const LayerReadOptions& options,
                      LayerContents* out) {
  std::uint8_t buf[16 * 1024];
  std::string err;
  for (;;) {
    std::size_t got = 0;
    if (!decompressed->Read(buf, sizeof(buf), &got, &err)) {
      out->error = err;
      return;
    }
    if (got == 0) return;
    if (options.decompressed_total != nullptr &&
        options.decompressed_total->fetch_add(got) + got > options.limits->max_decompressed_bytes) {
      return;
    }
  }
}

}  // namespace

bool IsCapturedSmallFile(std::string_view base_name) {
  return base_name == "passwd" || base_name == "group";
}

namespace {

void ReadBlob(ByteSource* blob, const LayerReadOptions& options, LayerContents* out) {
  HashingSource hashing(blob, options.hash);
  // Sniff the codec from the first bytes, then replay them.
  std::string head;
  std::string err;
  while (head.size() < 8) {
    std::uint8_t buf[8];
    std::size_t got = 0;
    if (!hashing.Read(buf, 8 - head.size(), &got, &err)) {
      out->error = err;
      return;
    }
    if (got == 0) break;
    head.append(reinterpret_cast<const char*>(buf), got);
  }
  out->compression = DetectCompression(head);
  PrefixSource prefixed(head, &hashing);
  std::unique_ptr<ByteSource> decompressor;
  ByteSource* tar_stream = &prefixed;
  if (out->compression == LayerCompression::kBzip2 || out->compression == LayerCompression::kXz) {
    out->error = "unsupported layer compression " + std::string(CompressionName(out->compression));
    return;
  }
  if (out->compression != LayerCompression::kNone) {
    decompressor = MakeDecompressor(out->compression, &prefixed);
    tar_stream = decompressor.get();
  }
  LayerDecoder decoder(options, out);
  if (!decoder.Decode(tar_stream)) {
    if (decoder.tar_format_error() && decompressor) PreferCodecError(tar_stream, options, out);
    return;
  }
  if (!hashing.Drain(&err)) {
    out->error = err;
    return;
  }
  out->blob_size = hashing.bytes();
  if (hashing.hashed_everything()) out->digest = hashing.Digest();
}

}  // namespace

void ReadLayer(ByteSource* blob, const LayerReadOptions& options, LayerContents* out) {
  ReadBlob(blob, options, out);
  if (options.layer_done) options.layer_done();
}

}  // namespace imglint
