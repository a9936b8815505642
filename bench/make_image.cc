// SPDX-License-Identifier: Apache-2.0
// make_image: writes a large synthetic container image for benchmarks.
//
//   make_image --format oci|docker --compression gzip|zstd|none --size 1G
//              --entries 78650 --layers 5 --out /work/bench-data/x.tar
//   make_image --zeros --size 4G --out /work/bench-data/bomb.tar
//
// Each layer tar is produced by libarchive's writer into a callback that
// hashes the tar stream (diff_id), compresses it (zlib or libzstd), hashes the
// compressed bytes (blob digest) and appends them to a temporary file; the
// temporary file is then copied into the outer tarball. No layer is ever held
// in memory. File contents mix word-like text and skewed "machine code" bytes
// so layers compress about 2-4x, like real images. Layers carry setuid files,
// a file capability (security.capability, vfs_cap_data v2), symlinks,
// hardlinks and whiteouts (including an opaque one).
#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "make_image: %s\n", msg.c_str());
  std::exit(2);
}

// splitmix64: tiny, fast, good enough for synthetic data.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : Next() % n; }

 private:
  std::uint64_t s_;
};

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* p, std::size_t n) { EVP_DigestUpdate(ctx_, p, n); }
  std::string Hex() {
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, md, &len);
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
      out += kHex[md[i] >> 4];
      out += kHex[md[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

// Fills buffers with compressible pseudo-random content.
class ContentGen {
 public:
  explicit ContentGen(std::uint64_t seed) : rng_(seed) {
    for (int i = 0; i < kWords; ++i) {
      int len = 2 + static_cast<int>(rng_.Below(9));
      std::string w;
      for (int j = 0; j < len; ++j) w += static_cast<char>('a' + rng_.Below(26));
      words_.push_back(w);
    }
    // Skewed byte table: a quarter zeros, a few very common opcodes, the rest
    // spread over all byte values, roughly like x86-64 code and data.
    const unsigned char common[] = {0x48, 0x89, 0x8b, 0xff, 0xe8, 0x0f, 0x85, 0x24, 0x44, 0xc3};
    for (int i = 0; i < 256; ++i) {
      if (i < 64) {
        bytes_[i] = 0;
      } else if (i < 112) {
        bytes_[i] = common[i % sizeof(common)];
      } else {
        bytes_[i] = static_cast<unsigned char>(rng_.Next());
      }
    }
  }

  // kind: 0 text, 1 binary, 2 mixed (alternating 4 KiB blocks).
  void Fill(int kind, unsigned char* out, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
      std::size_t block = std::min<std::size_t>(4096, n - done);
      bool text = kind == 0 || (kind == 2 && rng_.Below(2) == 0);
      if (text) {
        FillText(out + done, block);
      } else {
        FillBinary(out + done, block);
      }
      done += block;
    }
  }

 private:
  static constexpr int kWords = 4096;

  // Words with a skewed (roughly Zipf-like) frequency, ten to a line.
  void FillText(unsigned char* out, std::size_t n) {
    std::size_t i = 0;
    int on_line = 0;
    while (i < n) {
      std::uint64_t r = rng_.Next();
      for (int k = 0; k < 2 && i < n; ++k, r >>= 24) {
        std::uint64_t index = ((r & 4095) * ((r >> 12) & 4095)) >> 12;
        const std::string& w = words_[index];
        std::size_t len = std::min(w.size(), n - i);
        std::memcpy(out + i, w.data(), len);
        i += len;
        if (i < n) out[i++] = ++on_line % 10 == 0 ? '\n' : ' ';
      }
    }
  }

  // Bytes from the skewed table, with short copies of earlier bytes mixed in
  // (code and data sections repeat themselves).
  void FillBinary(unsigned char* out, std::size_t n) {
    std::size_t i = 0;
    while (i < n) {
      std::uint64_t r = rng_.Next();
      if (i >= 256 && (r & 3) == 0) {
        std::size_t len = std::min<std::size_t>(8 + ((r >> 2) & 31), n - i);
        std::size_t from = i - 1 - ((r >> 8) % std::min<std::size_t>(i, 4096));
        for (std::size_t k = 0; k < len; ++k) out[i + k] = out[from + k];
        i += len;
        continue;
      }
      r >>= 2;
      for (int k = 0; k < 7 && i < n; ++k, r >>= 8) out[i++] = bytes_[r & 255];
    }
  }

  Rng rng_;
  std::vector<std::string> words_;
  unsigned char bytes_[256] = {};
};

enum class Compression { kNone, kGzip, kZstd };

// Receives the tar stream of one layer from libarchive.
class LayerSink {
 public:
  LayerSink(Compression c, int level, const std::string& path) : c_(c), path_(path) {
    file_ = std::fopen(path.c_str(), "wb+");
    if (!file_) Die("cannot create " + path);
    if (c_ == Compression::kGzip) {
      if (deflateInit2(&z_, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        Die("deflateInit2 failed");
      }
    } else if (c_ == Compression::kZstd) {
      zc_ = ZSTD_createCCtx();
      ZSTD_CCtx_setParameter(zc_, ZSTD_c_compressionLevel, level);
    }
    out_.resize(1 << 18);
  }
  ~LayerSink() {
    if (zc_) ZSTD_freeCCtx(zc_);
    if (file_) std::fclose(file_);
  }
  LayerSink(const LayerSink&) = delete;
  LayerSink& operator=(const LayerSink&) = delete;

  void Write(const void* p, std::size_t n) {
    diff_.Update(p, n);
    tar_bytes_ += n;
    Compress(p, n, false);
  }

  // Flushes the compressor; leaves the file open for copying.
  void Finish() {
    Compress(nullptr, 0, true);
    if (c_ == Compression::kGzip) deflateEnd(&z_);
    std::fflush(file_);
    diff_id_ = diff_.Hex();
    digest_ = blob_.Hex();
  }

  FILE* file() { return file_; }
  std::uint64_t tar_bytes() const { return tar_bytes_; }
  std::uint64_t blob_bytes() const { return blob_bytes_; }
  const std::string& diff_id() const { return diff_id_; }
  const std::string& digest() const { return digest_; }
  const std::string& path() const { return path_; }

 private:
  void Emit(const void* p, std::size_t n) {
    if (n == 0) return;
    blob_.Update(p, n);
    blob_bytes_ += n;
    if (std::fwrite(p, 1, n, file_) != n) Die("write failed: " + path_);
  }

  void Compress(const void* p, std::size_t n, bool finish) {
    if (c_ == Compression::kNone) {
      Emit(p, n);
    } else if (c_ == Compression::kGzip) {
      z_.next_in = static_cast<Bytef*>(const_cast<void*>(p));
      z_.avail_in = static_cast<uInt>(n);
      int rc;
      do {
        z_.next_out = reinterpret_cast<Bytef*>(out_.data());
        z_.avail_out = static_cast<uInt>(out_.size());
        rc = deflate(&z_, finish ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR) Die("deflate failed");
        Emit(out_.data(), out_.size() - z_.avail_out);
      } while (z_.avail_out == 0 || (finish && rc != Z_STREAM_END));
    } else {
      ZSTD_inBuffer in{p, n, 0};
      std::size_t left;
      do {
        ZSTD_outBuffer out{out_.data(), out_.size(), 0};
        left = ZSTD_compressStream2(zc_, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) Die(std::string("zstd: ") + ZSTD_getErrorName(left));
        Emit(out_.data(), out.pos);
      } while (finish ? left != 0 : in.pos < in.size);
    }
  }

  Compression c_;
  std::string path_;
  FILE* file_ = nullptr;
  z_stream z_{};
  ZSTD_CCtx* zc_ = nullptr;
  std::vector<char> out_;
  Sha256 diff_, blob_;
  std::string diff_id_, digest_;
  std::uint64_t tar_bytes_ = 0, blob_bytes_ = 0;
};

la_ssize_t SinkWrite(struct archive*, void* client, const void* buf, size_t n) {
  static_cast<LayerSink*>(client)->Write(buf, n);
  return static_cast<la_ssize_t>(n);
}

struct Options {
  std::string format = "oci";
  std::string compression = "gzip";
  std::uint64_t size = 1ULL << 30;
  std::uint64_t entries = 78650;
  int layers = 5;
  int level = -1;
  std::uint64_t seed = 1;
  bool zeros = false;
  std::string out;
};

std::uint64_t ParseSize(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  std::string unit(end);
  if (unit == "" || unit == "B") return static_cast<std::uint64_t>(v);
  if (unit == "K" || unit == "KiB") return static_cast<std::uint64_t>(v * 1024);
  if (unit == "M" || unit == "MiB") return static_cast<std::uint64_t>(v * 1024 * 1024);
  if (unit == "G" || unit == "GiB") return static_cast<std::uint64_t>(v * 1024 * 1024 * 1024);
  Die("bad size: " + s);
}

const char kUsage[] =
    "usage: make_image [--format oci|docker] [--compression gzip|zstd|none] [--size 1G]\n"
    "                  [--entries 78650] [--layers 5] [--level N] [--seed N] [--zeros]\n"
    "                  --out FILE.tar\n"
    "  --size     total size of file contents (tar headers come on top)\n"
    "  --entries  total tar entries over all layers (dirs, files, links, whiteouts)\n"
    "  --zeros    one layer holding a single --size file of zeros (decompression bomb)\n";

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--format") {
      o.format = value();
    } else if (a == "--compression") {
      o.compression = value();
    } else if (a == "--size") {
      o.size = ParseSize(value());
    } else if (a == "--entries") {
      o.entries = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--layers") {
      o.layers = std::atoi(value().c_str());
    } else if (a == "--level") {
      o.level = std::atoi(value().c_str());
    } else if (a == "--seed") {
      o.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--zeros") {
      o.zeros = true;
    } else if (a == "--out") {
      o.out = value();
    } else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      Die("unknown argument " + a + "\n" + kUsage);
    }
  }
  if (o.out.empty()) Die(std::string("--out is required\n") + kUsage);
  if (o.format != "oci" && o.format != "docker") Die("--format must be oci or docker");
  if (o.compression != "gzip" && o.compression != "zstd" && o.compression != "none") {
    Die("--compression must be gzip, zstd or none");
  }
  if (o.zeros) o.layers = 1;
  if (o.layers < 1) Die("--layers must be >= 1");
  if (o.entries < static_cast<std::uint64_t>(o.layers) * 64) {
    o.entries = static_cast<std::uint64_t>(o.layers) * 64;
  }
  return o;
}

// Writes the entries of one layer.
class LayerWriter {
 public:
  LayerWriter(struct archive* a, ContentGen* gen) : a_(a), gen_(gen) { buf_.resize(1 << 16); }

  void Dir(const std::string& path, int mode = 0755) {
    Entry(path, AE_IFDIR, mode, 0, nullptr, nullptr);
  }

  void File(const std::string& path, std::uint64_t size, int kind, int mode = 0644, int uid = 0) {
    struct archive_entry* e = NewEntry(path, AE_IFREG, mode, size);
    archive_entry_set_uid(e, uid);
    archive_entry_set_gid(e, uid);
    WriteHeader(e);
    WriteContent(size, kind);
  }

  void Text(const std::string& path, const std::string& text) {
    struct archive_entry* e = NewEntry(path, AE_IFREG, 0644, text.size());
    WriteHeader(e);
    if (archive_write_data(a_, text.data(), text.size()) < 0) Die(archive_error_string(a_));
  }

  void Zeros(const std::string& path, std::uint64_t size) {
    struct archive_entry* e = NewEntry(path, AE_IFREG, 0644, size);
    WriteHeader(e);
    std::fill(buf_.begin(), buf_.end(), 0);
    for (std::uint64_t left = size; left > 0;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf_.size()));
      if (archive_write_data(a_, buf_.data(), n) < 0) Die(archive_error_string(a_));
      left -= n;
    }
  }

  // A binary with `security.capability` = cap_net_bind_service=ep (v2).
  void CapFile(const std::string& path, std::uint64_t size) {
    struct archive_entry* e = NewEntry(path, AE_IFREG, 0755, size);
    unsigned char cap[20] = {};
    const std::uint32_t words[5] = {0x02000001u, 1u << 10, 0, 0, 0};  // magic|effective, perm
    for (int i = 0; i < 5; ++i) {
      for (int b = 0; b < 4; ++b) cap[i * 4 + b] = static_cast<unsigned char>(words[i] >> (8 * b));
    }
    archive_entry_xattr_add_entry(e, "security.capability", cap, sizeof(cap));
    WriteHeader(e);
    WriteContent(size, 1);
  }

  void Symlink(const std::string& path, const std::string& target) {
    Entry(path, AE_IFLNK, 0777, 0, target.c_str(), nullptr);
  }

  void Hardlink(const std::string& path, const std::string& target) {
    Entry(path, AE_IFREG, 0644, 0, nullptr, target.c_str());
  }

 private:
  struct archive_entry* NewEntry(const std::string& path, int type, int mode, std::uint64_t size) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, static_cast<unsigned>(type));
    archive_entry_set_perm(e, static_cast<mode_t>(mode));
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_uname(e, "root");
    archive_entry_set_gname(e, "root");
    return e;
  }

  void WriteHeader(struct archive_entry* e) {
    if (archive_write_header(a_, e) != ARCHIVE_OK) Die(archive_error_string(a_));
    archive_entry_free(e);
  }

  void Entry(const std::string& path, int type, int mode, std::uint64_t size, const char* symlink,
             const char* hardlink) {
    struct archive_entry* e = NewEntry(path, type, mode, size);
    if (symlink) archive_entry_set_symlink(e, symlink);
    if (hardlink) {
      archive_entry_set_hardlink(e, hardlink);
      archive_entry_set_size(e, 0);
    }
    WriteHeader(e);
  }

  void WriteContent(std::uint64_t size, int kind) {
    for (std::uint64_t left = size; left > 0;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf_.size()));
      gen_->Fill(kind, reinterpret_cast<unsigned char*>(buf_.data()), n);
      if (archive_write_data(a_, buf_.data(), n) < 0) Die(archive_error_string(a_));
      left -= n;
    }
  }

  struct archive* a_;
  ContentGen* gen_;
  std::vector<char> buf_;
};

const char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "app:x:1000:1000:app:/home/app:/bin/sh\n";
const char kGroup[] = "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\napp:x:1000:\n";

struct LayerPlan {
  std::uint64_t entries;
  std::uint64_t bytes;
};

// Generates the entries of layer `index`; `earlier` collects a few file paths
// that later layers delete with whiteouts.
void FillLayer(const Options& o, int index, const LayerPlan& plan, LayerWriter* w, Rng* rng,
               std::vector<std::string>* earlier) {
  if (index == 0) {
    for (const char* d : {"etc/", "usr/", "usr/bin/", "usr/lib/", "usr/share/", "var/", "opt/",
                          "var/lib/", "home/", "home/app/"}) {
      w->Dir(d);
    }
    w->Text("etc/passwd", kPasswd);
    w->Text("etc/group", kGroup);
  } else {
    for (const char* d : {"usr/", "usr/bin/", "usr/lib/", "usr/share/", "var/", "var/lib/"}) {
      w->Dir(d);
    }
  }
  if (o.zeros) {
    w->Dir("bomb/");
    w->Zeros("bomb/zeros", o.size);
    return;
  }
  // Special entries: setuid/setgid binaries, a capability, whiteouts.
  const std::string l = std::to_string(index);
  w->File("usr/bin/su" + l, 40000, 1, 04755);
  w->File("usr/bin/wall" + l, 30000, 1, 02755);
  w->CapFile("usr/bin/ping" + l, 60000);
  std::uint64_t used = 3 + (index == 0 ? 12 : 6);
  if (index > 0 && !earlier->empty()) {
    for (int k = 0; k < 3 && !earlier->empty(); ++k) {
      std::string victim = earlier->back();
      earlier->pop_back();
      std::size_t slash = victim.rfind('/');
      w->File(victim.substr(0, slash + 1) + ".wh." + victim.substr(slash + 1), 0, 0);
      ++used;
    }
    w->Dir("var/lib/cache0/");
    w->File("var/lib/cache0/.wh..wh..opq", 0, 0);
    used += 2;
  } else if (index == 0) {
    w->Dir("var/lib/cache0/");
    w->File("var/lib/cache0/stale.txt", 100, 0);
    used += 2;
  }
  std::uint64_t left = plan.entries > used ? plan.entries - used : 0;
  std::uint64_t n_dirs = std::max<std::uint64_t>(1, left / 10);
  std::uint64_t n_links = left / 25;
  std::uint64_t n_hard = left / 200;
  std::uint64_t n_files = left > n_dirs + n_links + n_hard ? left - n_dirs - n_links - n_hard : 1;
  // Sizes: ~0.5% big files carry 70% of the bytes; the small ones are drawn
  // log-uniform between 1 and ~64 KiB and scaled to the remaining budget.
  std::uint64_t n_big = std::max<std::uint64_t>(1, n_files / 200);
  std::vector<double> weight(n_files);
  double small_sum = 0, big_sum = 0;
  for (std::uint64_t i = 0; i < n_files; ++i) {
    bool big = i % (n_files / n_big) == n_files / n_big / 2 && i / (n_files / n_big) < n_big;
    double w_i = big ? 0.25 + 1.5 * rng->Unit() : std::exp(rng->Unit() * std::log(65536.0));
    weight[i] = big ? -w_i : w_i;
    (big ? big_sum : small_sum) += w_i;
  }
  double budget = static_cast<double>(plan.bytes);
  double big_budget = budget * 0.7, small_budget = budget * 0.3;
  const char* roots[] = {"usr/lib/", "usr/share/", "opt/", "var/lib/", "usr/local/"};
  const char* exts[] = {".py", ".so", ".txt", ".json", "", ".h", ".mo", ".gz"};
  std::string dir;
  std::uint64_t dir_index = ~0ULL, hard_left = n_hard, link_left = n_links;
  std::string last_file;
  for (std::uint64_t i = 0; i < n_files; ++i) {
    std::uint64_t d = i * n_dirs / n_files;
    if (d != dir_index) {
      dir_index = d;
      std::string pkg = std::string(roots[d % 5]) + "l" + l + "p" + std::to_string(d / 8) + "/";
      if (d % 8 == 0) w->Dir(pkg);
      dir = pkg + "d" + std::to_string(d % 8) + "/";
      w->Dir(dir);
    }
    double wi = weight[i];
    std::uint64_t size = static_cast<std::uint64_t>(wi < 0 ? -wi / big_sum * big_budget
                                                           : wi / small_sum * small_budget);
    int kind = wi < 0 ? 2 : (i % 10 < 7 ? 0 : 1);
    std::string path = dir + "f" + std::to_string(i) + exts[i % 8];
    w->File(path, size, kind, (i % 13 == 0) ? 0755 : 0644, (i % 50 == 0) ? 1000 : 0);
    if (i % 997 == 1 && earlier->size() < 64) earlier->push_back(path);
    if (link_left > 0 && i % (n_files / (n_links + 1) + 1) == 0) {
      w->Symlink(dir + "link" + std::to_string(i), "f" + std::to_string(i) + exts[i % 8]);
      --link_left;
    }
    if (hard_left > 0 && !last_file.empty() && i % (n_files / (n_hard + 1) + 1) == 0) {
      w->Hardlink(dir + "hard" + std::to_string(i), last_file);
      --hard_left;
    }
    last_file = path;
  }
}

struct Blob {
  std::string digest;  // hex
  std::uint64_t size;
  std::string media_type;
};

// Copies `src` (rewound) into the outer archive as `name`.
void AddFile(struct archive* out, const std::string& name, FILE* src, std::uint64_t size) {
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, name.c_str());
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, static_cast<la_int64_t>(size));
  archive_entry_set_mtime(e, 1700000000, 0);
  if (archive_write_header(out, e) != ARCHIVE_OK) Die(archive_error_string(out));
  archive_entry_free(e);
  std::rewind(src);
  std::vector<char> buf(1 << 20);
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), src)) > 0) {
    if (archive_write_data(out, buf.data(), n) < 0) Die(archive_error_string(out));
  }
}

void AddText(struct archive* out, const std::string& name, const std::string& text) {
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, name.c_str());
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, static_cast<la_int64_t>(text.size()));
  archive_entry_set_mtime(e, 1700000000, 0);
  if (archive_write_header(out, e) != ARCHIVE_OK) Die(archive_error_string(out));
  archive_entry_free(e);
  if (archive_write_data(out, text.data(), text.size()) < 0) Die(archive_error_string(out));
}

void AddDir(struct archive* out, const std::string& name) {
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, name.c_str());
  archive_entry_set_filetype(e, AE_IFDIR);
  archive_entry_set_perm(e, 0755);
  archive_entry_set_mtime(e, 1700000000, 0);
  if (archive_write_header(out, e) != ARCHIVE_OK) Die(archive_error_string(out));
  archive_entry_free(e);
}

std::string HashHex(const std::string& s) {
  Sha256 h;
  h.Update(s.data(), s.size());
  return h.Hex();
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  Compression comp = o.compression == "gzip"   ? Compression::kGzip
                     : o.compression == "zstd" ? Compression::kZstd
                                               : Compression::kNone;
  int level = o.level >= 0 ? o.level : (comp == Compression::kZstd ? 3 : 6);
  Rng rng(o.seed);
  ContentGen gen(o.seed * 7919 + 1);

  // Layer i gets a share proportional to 1/(i+1.5): a big base layer, then
  // smaller ones, as in real images.
  std::vector<double> share(static_cast<std::size_t>(o.layers));
  double total = 0;
  for (int i = 0; i < o.layers; ++i) total += share[static_cast<std::size_t>(i)] = 1.0 / (i + 1.5);
  std::uint64_t overhead = o.entries * 768;  // tar headers and padding
  std::uint64_t data = o.size > 2 * overhead ? o.size - overhead : o.size / 2;

  struct Layer {
    std::string diff_id, digest;
    std::uint64_t tar_bytes, blob_bytes;
    std::string tmp;
  };
  std::vector<Layer> layers;
  std::vector<std::string> earlier;
  std::uint64_t tar_total = 0, blob_total = 0;
  for (int i = 0; i < o.layers; ++i) {
    double f = share[static_cast<std::size_t>(i)] / total;
    LayerPlan plan{static_cast<std::uint64_t>(static_cast<double>(o.entries) * f),
                   static_cast<std::uint64_t>(static_cast<double>(data) * f)};
    std::string tmp = o.out + ".layer" + std::to_string(i) + ".tmp";
    auto sink = std::make_unique<LayerSink>(comp, level, tmp);
    struct archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    // Only SCHILY.xattr.* records, as Docker and BuildKit write them.
    archive_write_set_format_option(a, "pax", "xattrheader", "SCHILY");
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open2(a, sink.get(), nullptr, SinkWrite, nullptr, nullptr) != ARCHIVE_OK) {
      Die(archive_error_string(a));
    }
    LayerWriter w(a, &gen);
    FillLayer(o, i, plan, &w, &rng, &earlier);
    if (archive_write_close(a) != ARCHIVE_OK) Die(archive_error_string(a));
    archive_write_free(a);
    sink->Finish();
    layers.push_back({sink->diff_id(), sink->digest(), sink->tar_bytes(), sink->blob_bytes(), tmp});
    tar_total += sink->tar_bytes();
    blob_total += sink->blob_bytes();
    std::fprintf(stderr, "layer %d: %llu tar bytes -> %llu blob bytes (%.2fx) sha256:%s\n", i,
                 static_cast<unsigned long long>(sink->tar_bytes()),
                 static_cast<unsigned long long>(sink->blob_bytes()),
                 static_cast<double>(sink->tar_bytes()) / static_cast<double>(sink->blob_bytes()),
                 sink->digest().substr(0, 12).c_str());
  }

  // Config.
  std::string diff_ids, history;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    diff_ids += std::string(i ? "," : "") + "\"sha256:" + layers[i].diff_id + "\"";
    history += std::string(i ? "," : "") + "{\"created\":\"2023-11-14T22:13:20Z\",\"created_by\":" +
               "\"/bin/sh -c #(nop) ADD layer" + std::to_string(i) + "\"}";
  }
  std::string config =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2023-11-14T22:13:20Z\","
      "\"config\":{\"User\":\"app\",\"Env\":[\"PATH=/usr/local/bin:/usr/bin:/bin\"],"
      "\"Cmd\":[\"/usr/bin/app\"],\"WorkingDir\":\"/home/app\"},"
      "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" +
      diff_ids + "]},\"history\":[" + history + "]}";
  std::string config_hex = HashHex(config);

  struct archive* out = archive_write_new();
  archive_write_set_format_pax_restricted(out);
  if (archive_write_open_filename(out, o.out.c_str()) != ARCHIVE_OK) Die(archive_error_string(out));

  const char* layer_type =
      comp == Compression::kGzip   ? "application/vnd.oci.image.layer.v1.tar+gzip"
      : comp == Compression::kZstd ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                   : "application/vnd.oci.image.layer.v1.tar";
  if (o.format == "oci") {
    // Blobs first and the index last, as `docker save` (v25+) writes them:
    // a streaming reader sees every layer before it learns the manifest.
    AddDir(out, "blobs/");
    AddDir(out, "blobs/sha256/");
    std::string layer_descs;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      FILE* f = std::fopen(layers[i].tmp.c_str(), "rb");
      AddFile(out, "blobs/sha256/" + layers[i].digest, f, layers[i].blob_bytes);
      std::fclose(f);
      std::remove(layers[i].tmp.c_str());
      layer_descs += std::string(i ? "," : "") + "{\"mediaType\":\"" + layer_type +
                     "\",\"digest\":\"sha256:" + layers[i].digest +
                     "\",\"size\":" + std::to_string(layers[i].blob_bytes) + "}";
    }
    AddText(out, "blobs/sha256/" + config_hex, config);
    std::string manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":"
        "\"sha256:" +
        config_hex + "\",\"size\":" + std::to_string(config.size()) + "},\"layers\":[" +
        layer_descs + "]}";
    std::string manifest_hex = HashHex(manifest);
    AddText(out, "blobs/sha256/" + manifest_hex, manifest);
    AddText(out, "index.json",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            "\"digest\":\"sha256:" +
                manifest_hex + "\",\"size\":" + std::to_string(manifest.size()) +
                ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\","
                "\"io.containerd.image.name\":\"bench:latest\"}}]}");
    AddText(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  } else {
    // Classic `docker save`: <id>/layer.tar, then the config and manifest.json.
    std::string layer_paths;
    std::string parent;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      std::string id = HashHex(parent + layers[i].diff_id);
      AddDir(out, id + "/");
      AddText(out, id + "/VERSION", "1.0");
      AddText(out, id + "/json",
              "{\"id\":\"" + id + "\"" + (parent.empty() ? "" : ",\"parent\":\"" + parent + "\"") +
                  "}");
      FILE* f = std::fopen(layers[i].tmp.c_str(), "rb");
      AddFile(out, id + "/layer.tar", f, layers[i].blob_bytes);
      std::fclose(f);
      std::remove(layers[i].tmp.c_str());
      layer_paths += std::string(i ? "," : "") + "\"" + id + "/layer.tar\"";
      parent = id;
    }
    AddText(out, config_hex + ".json", config);
    AddText(out, "manifest.json",
            "[{\"Config\":\"" + config_hex +
                ".json\",\"RepoTags\":[\"bench:latest\"],\"Layers\":[" + layer_paths + "]}]");
    AddText(out, "repositories", "{\"bench\":{\"latest\":\"" + parent + "\"}}");
  }
  if (archive_write_close(out) != ARCHIVE_OK) Die(archive_error_string(out));
  archive_write_free(out);
  std::fprintf(stderr, "%s: %d layers, %llu tar bytes, %llu blob bytes (%.2fx)\n", o.out.c_str(),
               o.layers, static_cast<unsigned long long>(tar_total),
               static_cast<unsigned long long>(blob_total),
               static_cast<double>(tar_total) / static_cast<double>(blob_total));
  return 0;
}
