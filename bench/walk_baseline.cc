// SPDX-License-Identifier: Apache-2.0
// walk_baseline: the "metadata-only libarchive walk" that imglint is measured
// against. For each layer blob given on the command line (already extracted
// from the image), libarchive (support_filter_all + support_format_tar) walks
// the headers and skips every entry's data with archive_read_data_skip.
//
//   walk_baseline [--hash] [--seek] [--isal] [--jobs N] LAYER...
//
//   --hash   SHA-256 (OpenSSL) of the compressed bytes as they are read; in
//            --seek mode a separate sequential read+hash pass of the blob
//   --seek   plain tar layers: a skip callback lets libarchive skip file data
//            by lseek instead of reading it
//   --isal   gzip layers: inflate with ISA-L igzip in the read callback and
//            hand libarchive the decompressed tar (libarchive sees no filter)
//   --jobs N walk N layers at once (largest first); default 1
//
// Prints "layers=L entries=E blob_bytes=B" (and the digests with --hash).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#ifdef IMGLINT_BENCH_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace {

struct Options {
  bool hash = false;
  bool seek = false;
  bool isal = false;
  int jobs = 1;
  std::vector<std::string> files;
};

struct Result {
  std::uint64_t entries = 0;
  std::uint64_t blob_bytes = 0;
  std::string digest;
  std::string error;
};

constexpr std::size_t kChunk = 1 << 17;

std::string Hex(const unsigned char* md, unsigned len) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// The raw blob: read(2) in 128 KiB chunks, optionally hashed.
class Blob {
 public:
  Blob(int fd, bool hash) : fd_(fd), buf_(kChunk) {
    if (hash) {
      ctx_ = EVP_MD_CTX_new();
      EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
    }
  }
  ~Blob() {
    if (ctx_) EVP_MD_CTX_free(ctx_);
  }
  Blob(const Blob&) = delete;
  Blob& operator=(const Blob&) = delete;

  // Returns bytes read (0 at end, -1 on error); *data points into buf_.
  ssize_t Read(const void** data) {
    ssize_t n = ::read(fd_, buf_.data(), buf_.size());
    if (n > 0) {
      if (ctx_) EVP_DigestUpdate(ctx_, buf_.data(), static_cast<std::size_t>(n));
      bytes_ += static_cast<std::uint64_t>(n);
    }
    *data = buf_.data();
    return n;
  }
  // Reads (and hashes) whatever libarchive left after the end-of-archive.
  void Drain() {
    const void* d;
    while (Read(&d) > 0) {
    }
  }
  std::string Digest() {
    if (!ctx_) return "";
    unsigned char md[32];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx_, md, &len);
    return Hex(md, len);
  }
  int fd() const { return fd_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  int fd_;
  std::vector<unsigned char> buf_;
  EVP_MD_CTX* ctx_ = nullptr;
  std::uint64_t bytes_ = 0;
};

la_ssize_t BlobRead(struct archive*, void* client, const void** buf) {
  return static_cast<Blob*>(client)->Read(buf);
}

la_int64_t BlobSkip(struct archive*, void* client, la_int64_t request) {
  Blob* b = static_cast<Blob*>(client);
  off_t pos = ::lseek(b->fd(), 0, SEEK_CUR);
  struct stat st;
  if (pos < 0 || ::fstat(b->fd(), &st) != 0) return 0;
  la_int64_t n = std::min<la_int64_t>(request, st.st_size - pos);
  if (n <= 0 || ::lseek(b->fd(), n, SEEK_CUR) < 0) return 0;
  return n;
}

#ifdef IMGLINT_BENCH_HAVE_ISAL
// gzip (possibly multi-member) inflated by ISA-L; libarchive reads the tar.
class IsalInflater {
 public:
  explicit IsalInflater(Blob* blob) : blob_(blob), out_(kChunk * 2) {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
  }
  la_ssize_t Read(const void** data) {
    state_.next_out = out_.data();
    state_.avail_out = static_cast<std::uint32_t>(out_.size());
    while (state_.avail_out == out_.size()) {
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        if (state_.avail_in == 0 && !Fill()) break;  // end of the blob
        // Another gzip member follows.
        std::uint8_t* in = state_.next_in;
        std::uint32_t avail = state_.avail_in;
        isal_inflate_reset(&state_);
        state_.crc_flag = ISAL_GZIP;
        state_.next_in = in;
        state_.avail_in = avail;
        state_.next_out = out_.data();
        state_.avail_out = static_cast<std::uint32_t>(out_.size());
      }
      if (state_.avail_in == 0 && !Fill()) {
        if (state_.block_state != ISAL_BLOCK_FINISH) {
          std::fprintf(stderr, "walk_baseline: gzip data is truncated\n");
          return -1;
        }
        break;
      }
      int rc = isal_inflate(&state_);
      if (rc != ISAL_DECOMP_OK) {
        std::fprintf(stderr, "walk_baseline: isal_inflate error %d\n", rc);
        return -1;
      }
    }
    *data = out_.data();
    return static_cast<la_ssize_t>(out_.size() - state_.avail_out);
  }

 private:
  bool Fill() {
    const void* d;
    ssize_t n = blob_->Read(&d);
    if (n <= 0) return false;
    state_.next_in = static_cast<std::uint8_t*>(const_cast<void*>(d));
    state_.avail_in = static_cast<std::uint32_t>(n);
    return true;
  }

  Blob* blob_;
  inflate_state state_{};
  std::vector<std::uint8_t> out_;
};

la_ssize_t IsalRead(struct archive*, void* client, const void** buf) {
  return static_cast<IsalInflater*>(client)->Read(buf);
}
#endif

Result Walk(const std::string& path, const Options& o) {
  Result r;
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    r.error = "cannot open " + path;
    return r;
  }
  Blob blob(fd, o.hash && !o.seek);
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  int rc;
#ifdef IMGLINT_BENCH_HAVE_ISAL
  IsalInflater isal(&blob);
  if (o.isal) {
    rc = archive_read_open2(a, &isal, nullptr, IsalRead, nullptr, nullptr);
  } else
#endif
  {
    archive_read_support_filter_all(a);
    rc = archive_read_open2(a, &blob, nullptr, BlobRead, o.seek ? BlobSkip : nullptr, nullptr);
  }
  if (rc != ARCHIVE_OK) {
    r.error = path + ": " + archive_error_string(a);
  } else {
    struct archive_entry* e;
    while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
      ++r.entries;
      if (archive_read_data_skip(a) != ARCHIVE_OK) break;
    }
    if (rc != ARCHIVE_EOF) r.error = path + ": " + archive_error_string(a);
  }
  archive_read_free(a);
  if (o.hash && !o.seek) {
    blob.Drain();
    r.digest = blob.Digest();
  }
  r.blob_bytes = blob.bytes();
  if (o.hash && o.seek) {  // separate sequential pass: the digest needs every byte
    ::lseek(fd, 0, SEEK_SET);
    Blob pass(fd, true);
    pass.Drain();
    r.digest = pass.Digest();
    r.blob_bytes = pass.bytes();
  }
  ::close(fd);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--hash") {
      o.hash = true;
    } else if (a == "--seek") {
      o.seek = true;
    } else if (a == "--isal") {
#ifdef IMGLINT_BENCH_HAVE_ISAL
      o.isal = true;
#else
      std::fprintf(stderr, "walk_baseline: built without ISA-L\n");
      return 2;
#endif
    } else if (a == "--jobs" && i + 1 < argc) {
      o.jobs = std::max(1, std::atoi(argv[++i]));
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "usage: walk_baseline [--hash] [--seek] [--isal] [--jobs N] LAYER...\n");
      return 2;
    } else {
      o.files.push_back(a);
    }
  }
  // Largest layer first, so the long pole starts early.
  std::vector<std::size_t> order(o.files.size());
  std::vector<std::uint64_t> sizes(o.files.size());
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    struct stat st;
    sizes[i] = ::stat(o.files[i].c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return sizes[x] > sizes[y]; });
  std::vector<Result> results(o.files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t k; (k = next++) < order.size();) {
      results[order[k]] = Walk(o.files[order[k]], o);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < o.jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  std::uint64_t entries = 0, bytes = 0;
  int status = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].error.empty()) {
      std::fprintf(stderr, "walk_baseline: %s\n", results[i].error.c_str());
      status = 1;
    }
    entries += results[i].entries;
    bytes += results[i].blob_bytes;
    if (!results[i].digest.empty()) {
      std::printf("%s %s\n", results[i].digest.c_str(), o.files[i].c_str());
    }
  }
  std::printf("layers=%zu entries=%llu blob_bytes=%llu\n", o.files.size(),
              static_cast<unsigned long long>(entries), static_cast<unsigned long long>(bytes));
  return status;
}
