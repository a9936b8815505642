// SPDX-License-Identifier: Apache-2.0
#include "tests/support/image_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <linux/capability.h>
#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace imglint::testing {
namespace {

using nlohmann::json;

// The kernel's own numbering (linux/capability.h), independent of the
// decoder under test on purpose: the name is the macro's, lower-cased.
#define KERNEL_CAP(c) std::pair<std::string_view, int>(#c, c)
constexpr std::array kKernelCaps = {KERNEL_CAP(CAP_CHOWN),
                                    KERNEL_CAP(CAP_DAC_OVERRIDE),
                                    KERNEL_CAP(CAP_DAC_READ_SEARCH),
                                    KERNEL_CAP(CAP_FOWNER),
                                    KERNEL_CAP(CAP_FSETID),
                                    KERNEL_CAP(CAP_KILL),
                                    KERNEL_CAP(CAP_SETGID),
                                    KERNEL_CAP(CAP_SETUID),
                                    KERNEL_CAP(CAP_SETPCAP),
                                    KERNEL_CAP(CAP_LINUX_IMMUTABLE),
                                    KERNEL_CAP(CAP_NET_BIND_SERVICE),
                                    KERNEL_CAP(CAP_NET_BROADCAST),
                                    KERNEL_CAP(CAP_NET_ADMIN),
                                    KERNEL_CAP(CAP_NET_RAW),
                                    KERNEL_CAP(CAP_IPC_LOCK),
                                    KERNEL_CAP(CAP_IPC_OWNER),
                                    KERNEL_CAP(CAP_SYS_MODULE),
                                    KERNEL_CAP(CAP_SYS_RAWIO),
                                    KERNEL_CAP(CAP_SYS_CHROOT),
                                    KERNEL_CAP(CAP_SYS_PTRACE),
                                    KERNEL_CAP(CAP_SYS_PACCT),
                                    KERNEL_CAP(CAP_SYS_ADMIN),
                                    KERNEL_CAP(CAP_SYS_BOOT),
                                    KERNEL_CAP(CAP_SYS_NICE),
                                    KERNEL_CAP(CAP_SYS_RESOURCE),
                                    KERNEL_CAP(CAP_SYS_TIME),
                                    KERNEL_CAP(CAP_SYS_TTY_CONFIG),
                                    KERNEL_CAP(CAP_MKNOD),
                                    KERNEL_CAP(CAP_LEASE),
                                    KERNEL_CAP(CAP_AUDIT_WRITE),
                                    KERNEL_CAP(CAP_AUDIT_CONTROL),
                                    KERNEL_CAP(CAP_SETFCAP),
                                    KERNEL_CAP(CAP_MAC_OVERRIDE),
                                    KERNEL_CAP(CAP_MAC_ADMIN),
                                    KERNEL_CAP(CAP_SYSLOG),
                                    KERNEL_CAP(CAP_WAKE_ALARM),
                                    KERNEL_CAP(CAP_BLOCK_SUSPEND),
                                    KERNEL_CAP(CAP_AUDIT_READ),
                                    KERNEL_CAP(CAP_PERFMON),
                                    KERNEL_CAP(CAP_BPF),
                                    KERNEL_CAP(CAP_CHECKPOINT_RESTORE)};
#undef KERNEL_CAP
static_assert(kKernelCaps.size() == CAP_LAST_CAP + 1);

std::uint64_t CapMask(const std::vector<std::string>& names) {
  std::uint64_t mask = 0;
  for (const auto& name : names) {
    bool found = false;
    for (const auto& [macro, number] : kKernelCaps) {
      std::string lower(macro);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == lower) {
        mask |= std::uint64_t{1} << number;
        found = true;
      }
    }
    if (!found) throw std::runtime_error("unknown capability " + name);
  }
  return mask;
}

void PutLe32(std::string* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string RelativeName(const std::string& path) {
  std::size_t start = path.find_first_not_of('/');
  return start == std::string::npos ? "." : path.substr(start);
}

std::string Parent(const std::string& rel) {
  std::size_t slash = rel.rfind('/');
  return slash == std::string::npos ? "" : rel.substr(0, slash + 1);
}

std::string Base(const std::string& rel) {
  std::size_t slash = rel.rfind('/');
  return slash == std::string::npos ? rel : rel.substr(slash + 1);
}

int WriteCallback(struct archive*, void* opaque, const void* buf, std::size_t size) {
  static_cast<std::string*>(opaque)->append(static_cast<const char*>(buf), size);
  return static_cast<int>(size);
}

la_ssize_t WriteCallbackSsize(struct archive* a, void* opaque, const void* buf, std::size_t size) {
  return WriteCallback(a, opaque, buf, size);
}

struct WriterDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

void Check(struct archive* a, int rc, const char* what) {
  if (rc < ARCHIVE_WARN) {
    const char* msg = archive_error_string(a);
    throw std::runtime_error(std::string(what) + ": " + (msg ? msg : "libarchive error"));
  }
}

struct ReaderDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// The bytes a runtime hashes for a layer's diff ID: the blob decompressed.
// (Not a separate uncompressed build: libarchive pads an uncompressed tar to
// its block size but not the tar inside a compressed stream.)
std::string Uncompressed(const std::string& blob, Compression compression) {
  if (compression == Compression::kNone) return blob;
  std::unique_ptr<struct archive, ReaderDeleter> a(archive_read_new());
  Check(a.get(), archive_read_support_filter_all(a.get()), "filters");
  Check(a.get(), archive_read_support_format_raw(a.get()), "raw");
  Check(a.get(), archive_read_open_memory(a.get(), blob.data(), blob.size()), "open blob");
  struct archive_entry* entry = nullptr;
  Check(a.get(), archive_read_next_header(a.get(), &entry), "blob header");
  std::string out;
  std::array<char, 1 << 16> buffer;
  la_ssize_t n;
  while ((n = archive_read_data(a.get(), buffer.data(), buffer.size())) > 0) {
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  Check(a.get(), static_cast<int>(n), "decompress blob");
  return out;
}

// A tar writer into memory, pax format (so xattrs become SCHILY.xattr.*).
class TarWriter {
 public:
  explicit TarWriter(Compression compression) : a_(archive_write_new()) {
    Check(a_.get(), archive_write_set_format_pax(a_.get()), "format");
    if (compression == Compression::kGzip) {
      Check(a_.get(), archive_write_add_filter_gzip(a_.get()), "gzip");
    } else if (compression == Compression::kZstd) {
      Check(a_.get(), archive_write_add_filter_zstd(a_.get()), "zstd");
    }
    if (compression != Compression::kNone) {
      // No zero padding after the compressed stream, like docker/buildkit.
      Check(a_.get(), archive_write_set_bytes_in_last_block(a_.get(), 1), "padding");
    }
    Check(a_.get(), archive_write_open(a_.get(), &out_, nullptr, WriteCallbackSsize, nullptr),
          "open");
  }

  void Add(const std::string& name, unsigned type, std::uint32_t mode, const std::string& data,
           const std::string& link, bool hardlink, std::uint32_t uid = 0, std::uint32_t gid = 0,
           const std::optional<std::string>& caps = std::nullopt) {
    std::unique_ptr<struct archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), mode);
    archive_entry_set_uid(e.get(), uid);
    archive_entry_set_gid(e.get(), gid);
    archive_entry_set_mtime(e.get(), 1700000000, 0);
    if (hardlink) {
      archive_entry_set_hardlink(e.get(), link.c_str());
      archive_entry_set_size(e.get(), 0);
    } else if (type == AE_IFLNK) {
      archive_entry_set_symlink(e.get(), link.c_str());
      archive_entry_set_size(e.get(), 0);
    } else {
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
    }
    if (caps) {
      archive_entry_xattr_add_entry(e.get(), "security.capability", caps->data(), caps->size());
    }
    Check(a_.get(), archive_write_header(a_.get(), e.get()), "header");
    if (!hardlink && type == AE_IFREG && !data.empty()) {
      la_ssize_t n = archive_write_data(a_.get(), data.data(), data.size());
      if (n != static_cast<la_ssize_t>(data.size())) Check(a_.get(), ARCHIVE_FATAL, "data");
    }
  }

  std::string Finish() {
    Check(a_.get(), archive_write_close(a_.get()), "close");
    return std::move(out_);
  }

 private:
  std::string out_;
  std::unique_ptr<struct archive, WriterDeleter> a_;
};

std::string DefaultMediaType(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "application/vnd.oci.image.layer.v1.tar";
    case Compression::kGzip:
      return "application/vnd.oci.image.layer.v1.tar+gzip";
    case Compression::kZstd:
      return "application/vnd.oci.image.layer.v1.tar+zstd";
  }
  return {};
}

std::string Hex(const std::string& digest) { return digest.substr(7); }

std::string ConfigJson(const ConfigSpec& c, const std::vector<std::string>& diff_ids) {
  json config = json::object();
  if (!c.user.empty()) config["User"] = c.user;
  if (!c.exposed_ports.empty()) {
    config["ExposedPorts"] = json::object();
    for (const auto& p : c.exposed_ports) config["ExposedPorts"][p] = json::object();
  }
  if (!c.env.empty()) config["Env"] = c.env;
  if (!c.entrypoint.empty()) config["Entrypoint"] = c.entrypoint;
  if (!c.cmd.empty()) config["Cmd"] = c.cmd;
  if (!c.working_dir.empty()) config["WorkingDir"] = c.working_dir;
  if (!c.labels.empty()) config["Labels"] = c.labels;
  json doc = {{"architecture", c.architecture},
              {"os", c.os},
              {"config", config},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}};
  if (!c.variant.empty()) doc["variant"] = c.variant;
  if (!c.history.empty()) {
    json history = json::array();
    for (const auto& h : c.history) {
      json item = {{"created_by", h.created_by}};
      if (!h.comment.empty()) item["comment"] = h.comment;
      if (h.empty_layer) item["empty_layer"] = true;
      history.push_back(item);
    }
    doc["history"] = history;
  }
  return doc.dump();
}

json Descriptor(const std::string& media_type, const std::string& digest, std::size_t size) {
  return {{"mediaType", media_type}, {"digest", digest}, {"size", size}};
}

// The blobs of one image, with breakage applied.
struct BuiltImage {
  std::vector<std::string> layer_blob_digests;
  std::string config_digest;
  std::vector<std::string> layer_digests;
  std::vector<std::string> layer_media_types;
  std::vector<std::size_t> layer_sizes;
  std::string manifest;  // OCI manifest JSON
  std::string manifest_digest;
  std::map<std::string, std::string> blobs;  // digest -> bytes (what is written)
};

BuiltImage BuildImage(const ImageSpec& spec, const WriteOptions& options) {
  BuiltImage out;
  std::vector<std::string> diff_ids;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    std::string blob = BuildLayerBlob(layer);
    diff_ids.push_back(DigestOf(Uncompressed(blob, layer.compression)));
    bool broken = static_cast<int>(i) == options.broken_layer;
    std::string digest;
    if (broken && options.breakage == Breakage::kTruncatedLayer) {
      std::size_t cut = blob.size() / 2;
      if (cut % 512 == 0 && cut + 1 < blob.size()) ++cut;  // not on a tar block boundary
      blob.resize(cut);
    } else if (broken && options.breakage == Breakage::kCorruptLayer) {
      for (std::size_t k = blob.size() / 3; k < blob.size() / 3 + 64 && k < blob.size(); ++k) {
        blob[k] = static_cast<char>(0xff);
      }
    }
    digest = DigestOf(blob);
    out.layer_blob_digests.push_back(digest);
    if (broken && options.breakage == Breakage::kWrongLayerDigest) {
      digest = DigestOf(blob + "tampered");
    }
    out.layer_digests.push_back(digest);
    out.layer_media_types.push_back(layer.media_type.empty() ? DefaultMediaType(layer.compression)
                                                             : layer.media_type);
    out.layer_sizes.push_back(blob.size());
    if (!(broken && options.breakage == Breakage::kMissingLayerBlob)) {
      out.blobs[digest] = std::move(blob);
    }
  }
  std::string config = ConfigJson(spec.config, diff_ids);
  out.config_digest = DigestOf(config);
  if (options.breakage == Breakage::kWrongConfigDigest) {
    out.config_digest = DigestOf(config + "tampered");
  }
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                   {"config", Descriptor("application/vnd.oci.image.config.v1+json",
                                         out.config_digest, config.size())},
                   {"layers", json::array()}};
  for (std::size_t i = 0; i < out.layer_digests.size(); ++i) {
    manifest["layers"].push_back(
        Descriptor(out.layer_media_types[i], out.layer_digests[i], out.layer_sizes[i]));
  }
  out.blobs[out.config_digest] = std::move(config);
  out.manifest = manifest.dump();
  out.manifest_digest = DigestOf(out.manifest);
  out.blobs[out.manifest_digest] = out.manifest;
  return out;
}

std::string IndexJson(const std::vector<json>& manifests) {
  json index = {{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests", manifests}};
  return index.dump();
}

json ManifestDescriptor(const BuiltImage& image, const std::vector<std::string>& refs) {
  json d = Descriptor("application/vnd.oci.image.manifest.v1+json", image.manifest_digest,
                      image.manifest.size());
  if (!refs.empty()) d["annotations"] = {{"org.opencontainers.image.ref.name", refs.front()}};
  return d;
}

// Outer members in write order: blobs, then metadata (or the reverse).
class Layout {
 public:
  void Blob(const std::string& digest, const std::string& bytes) {
    blobs_.push_back({"blobs/sha256/" + Hex(digest), bytes, ""});
  }
  void Meta(const std::string& name, const std::string& bytes) {
    meta_.push_back({name, bytes, ""});
  }
  void Link(const std::string& name, const std::string& target) {
    blobs_.push_back({name, "", target});
  }
  void AddOciMetadata(const std::string& index_json) {
    Meta("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    Meta("index.json", index_json);
  }
  std::vector<TarMemberSpec> Members(bool metadata_first) const {
    std::vector<TarMemberSpec> all = metadata_first ? meta_ : blobs_;
    const auto& rest = metadata_first ? blobs_ : meta_;
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
  }

 private:
  std::vector<TarMemberSpec> blobs_;
  std::vector<TarMemberSpec> meta_;
};

WrittenImage Written(const BuiltImage& image) {
  return {image.manifest_digest, image.config_digest, image.layer_digests,
          image.layer_blob_digests};
}

void AddBlobs(const BuiltImage& image, Layout* layout) {
  for (const auto& [digest, bytes] : image.blobs) layout->Blob(digest, bytes);
}

Layout OciLayout(const ImageSpec& spec, const WriteOptions& options, WrittenImage* written) {
  BuiltImage image = BuildImage(spec, options);
  Layout layout;
  AddBlobs(image, &layout);
  layout.AddOciMetadata(IndexJson({ManifestDescriptor(image, spec.refs)}));
  *written = Written(image);
  return layout;
}

void WriteDir(const std::vector<TarMemberSpec>& members, const std::string& dir) {
  for (const auto& m : members) {
    std::filesystem::path p = std::filesystem::path(dir) / m.name;
    std::filesystem::create_directories(p.parent_path());
    if (!m.symlink.empty()) {
      std::filesystem::create_symlink(m.symlink, p);
      continue;
    }
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(m.data.data(), static_cast<std::streamsize>(m.data.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
  }
}

}  // namespace

EntrySpec EntrySpec::WithCaps(std::string raw) const {
  EntrySpec e = *this;
  e.caps = std::move(raw);
  return e;
}

EntrySpec EntrySpec::WithOwner(std::uint32_t new_uid, std::uint32_t new_gid) const {
  EntrySpec e = *this;
  e.uid = new_uid;
  e.gid = new_gid;
  return e;
}

EntrySpec EntrySpec::WithContent(std::string data) const {
  EntrySpec e = *this;
  e.content = std::move(data);
  return e;
}

EntrySpec Dir(std::string path, std::uint32_t mode) {
  return {.kind = EntrySpec::Kind::kDir, .path = std::move(path), .mode = mode};
}

EntrySpec File(std::string path, std::uint32_t mode, std::string content) {
  return {.kind = EntrySpec::Kind::kFile,
          .path = std::move(path),
          .mode = mode,
          .content = std::move(content)};
}

EntrySpec Symlink(std::string path, std::string target) {
  return {.kind = EntrySpec::Kind::kSymlink,
          .path = std::move(path),
          .mode = 0777,
          .link = std::move(target)};
}

EntrySpec Hardlink(std::string path, std::string target) {
  return {.kind = EntrySpec::Kind::kHardlink,
          .path = std::move(path),
          .mode = 0644,
          .link = std::move(target)};
}

EntrySpec Whiteout(std::string path) {
  return {.kind = EntrySpec::Kind::kWhiteout, .path = std::move(path), .mode = 0};
}

EntrySpec Opaque(std::string dir) {
  return {.kind = EntrySpec::Kind::kOpaque, .path = std::move(dir), .mode = 0};
}

std::string CapXattr(int revision, std::uint64_t permitted, std::uint64_t inheritable,
                     bool effective, std::uint32_t rootid) {
  std::string out;
  PutLe32(&out, (static_cast<std::uint32_t>(revision) << 24) | (effective ? 1u : 0u));
  int words = revision == 1 ? 1 : 2;
  for (int i = 0; i < words; ++i) {
    PutLe32(&out, static_cast<std::uint32_t>(permitted >> (32 * i)));
    PutLe32(&out, static_cast<std::uint32_t>(inheritable >> (32 * i)));
  }
  if (revision == 3) PutLe32(&out, rootid);
  return out;
}

std::string CapV1(const std::vector<std::string>& permitted, bool effective) {
  return CapXattr(1, CapMask(permitted), 0, effective);
}

std::string CapV2(const std::vector<std::string>& permitted, bool effective) {
  return CapXattr(2, CapMask(permitted), 0, effective);
}

std::string CapV3(const std::vector<std::string>& permitted, bool effective, std::uint32_t rootid) {
  return CapXattr(3, CapMask(permitted), 0, effective, rootid);
}

std::string DigestOf(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

std::string BuildLayerBlob(const LayerSpec& layer) {
  TarWriter w(layer.compression);
  for (const EntrySpec& e : layer.entries) {
    std::string rel = RelativeName(e.path);
    switch (e.kind) {
      case EntrySpec::Kind::kFile:
        w.Add(rel, AE_IFREG, e.mode, e.content, "", false, e.uid, e.gid, e.caps);
        break;
      case EntrySpec::Kind::kDir:
        w.Add(rel, AE_IFDIR, e.mode, "", "", false, e.uid, e.gid);
        break;
      case EntrySpec::Kind::kSymlink:
        w.Add(rel, AE_IFLNK, e.mode, "", e.link, false, e.uid, e.gid);
        break;
      case EntrySpec::Kind::kHardlink:
        w.Add(rel, AE_IFREG, e.mode, "", RelativeName(e.link), true, e.uid, e.gid);
        break;
      case EntrySpec::Kind::kWhiteout:
        w.Add(Parent(rel) + ".wh." + Base(rel), AE_IFREG, 0, "", "", false);
        break;
      case EntrySpec::Kind::kOpaque:
        w.Add(rel == "." ? ".wh..wh..opq" : rel + "/.wh..wh..opq", AE_IFREG, 0, "", "", false);
        break;
    }
  }
  return w.Finish();
}

void WriteTar(const std::vector<TarMemberSpec>& members, const std::string& path) {
  TarWriter w(Compression::kNone);
  for (const auto& m : members) {
    if (!m.symlink.empty()) {
      w.Add(m.name, AE_IFLNK, 0777, "", m.symlink, false);
    } else {
      w.Add(m.name, AE_IFREG, 0644, m.data, "", false);
    }
  }
  std::string bytes = w.Finish();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

WrittenImage WriteOciTar(const ImageSpec& spec, const std::string& path,
                         const WriteOptions& options) {
  WrittenImage written;
  WriteTar(OciLayout(spec, options, &written).Members(options.metadata_first), path);
  return written;
}

WrittenImage WriteOciDir(const ImageSpec& spec, const std::string& dir,
                         const WriteOptions& options) {
  WrittenImage written;
  WriteDir(OciLayout(spec, options, &written).Members(options.metadata_first), dir);
  return written;
}

WrittenImage WriteDockerSaveTar(const ImageSpec& spec, const std::string& path,
                                const WriteOptions& options) {
  BuiltImage image = BuildImage(spec, options);
  Layout layout;
  json entry;
  json layers = json::array();
  json sources = json::object();
  if (options.oci_too) {
    AddBlobs(image, &layout);
    layout.AddOciMetadata(IndexJson({ManifestDescriptor(image, spec.refs)}));
    entry["Config"] = "blobs/sha256/" + Hex(image.config_digest);
    for (std::size_t i = 0; i < image.layer_digests.size(); ++i) {
      const std::string& digest = image.layer_digests[i];
      std::string blob_name = "blobs/sha256/" + Hex(digest);
      if (options.layers_as_symlinks) {
        std::string id = Hex(DigestOf(digest + std::to_string(i)));
        layout.Link(id + "/layer.tar", "../" + blob_name);
        layers.push_back(id + "/layer.tar");
      } else {
        layers.push_back(blob_name);
      }
      sources[digest] = Descriptor(image.layer_media_types[i], digest, image.layer_sizes[i]);
    }
  } else {
    // Classic layout: "<config hex>.json" and "<id>/layer.tar".
    auto config = image.blobs.find(image.config_digest);
    if (config != image.blobs.end()) {
      layout.Meta(Hex(image.config_digest) + ".json", config->second);
    }
    for (std::size_t i = 0; i < image.layer_digests.size(); ++i) {
      std::string id = Hex(DigestOf(image.layer_digests[i] + std::to_string(i)));
      auto blob = image.blobs.find(image.layer_digests[i]);
      if (blob != image.blobs.end()) {
        layout.Meta(id + "/VERSION", "1.0");
        layout.Meta(id + "/json", R"({"id":")" + id + R"("})");
        layout.Meta(id + "/layer.tar", blob->second);
      }
      layers.push_back(id + "/layer.tar");
    }
    entry["Config"] = Hex(image.config_digest) + ".json";
  }
  entry["RepoTags"] = spec.refs;
  entry["Layers"] = layers;
  if (!sources.empty()) entry["LayerSources"] = sources;
  layout.Meta("manifest.json", json::array({entry}).dump());
  WriteTar(layout.Members(options.metadata_first), path);
  return Written(image);
}

std::vector<WrittenImage> WriteMultiPlatformOciTar(
    const std::vector<std::pair<std::string, ImageSpec>>& images, const std::string& path,
    const WriteOptions& options) {
  Layout layout;
  std::vector<json> manifests;
  std::vector<WrittenImage> written;
  for (const auto& [platform, spec] : images) {
    BuiltImage image = BuildImage(spec, options);
    written.push_back(Written(image));
    AddBlobs(image, &layout);
    json d = Descriptor("application/vnd.oci.image.manifest.v1+json", image.manifest_digest,
                        image.manifest.size());
    json p;
    std::size_t a = platform.find('/');
    std::size_t b = platform.find('/', a + 1);
    p["os"] = platform.substr(0, a);
    p["architecture"] = platform.substr(a + 1, b == std::string::npos ? b : b - a - 1);
    if (b != std::string::npos) p["variant"] = platform.substr(b + 1);
    d["platform"] = p;
    manifests.push_back(d);
  }
  if (options.with_attestation && !manifests.empty()) {
    // A BuildKit-style attestation: its "layer" is in-toto JSON, not a tar,
    // so reading it as an image would fail.
    std::string statement = R"({"_type":"https://in-toto.io/Statement/v0.1"})";
    std::string config = "{}";
    json m = {{"schemaVersion", 2},
              {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
              {"config", Descriptor("application/vnd.oci.image.config.v1+json", DigestOf(config),
                                    config.size())},
              {"layers", json::array({Descriptor("application/vnd.in-toto+json",
                                                 DigestOf(statement), statement.size())})}};
    std::string manifest = m.dump();
    layout.Blob(DigestOf(statement), statement);
    layout.Blob(DigestOf(config), config);
    layout.Blob(DigestOf(manifest), manifest);
    json d = Descriptor("application/vnd.oci.image.manifest.v1+json", DigestOf(manifest),
                        manifest.size());
    d["platform"] = {{"os", "unknown"}, {"architecture", "unknown"}};
    d["annotations"] = {{"vnd.docker.reference.type", "attestation-manifest"},
                        {"vnd.docker.reference.digest", manifests.front()["digest"]}};
    manifests.push_back(d);
  }
  std::string top;
  if (options.nested_index) {
    std::string inner = IndexJson(manifests);
    layout.Blob(DigestOf(inner), inner);
    json d = Descriptor("application/vnd.oci.image.index.v1+json", DigestOf(inner), inner.size());
    d["annotations"] = {{"org.opencontainers.image.ref.name", "multi:latest"}};
    top = IndexJson({d});
  } else {
    top = IndexJson(manifests);
  }
  layout.AddOciMetadata(top);
  WriteTar(layout.Members(options.metadata_first), path);
  return written;
}

}  // namespace imglint::testing
