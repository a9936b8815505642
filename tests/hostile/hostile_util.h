// SPDX-License-Identifier: Apache-2.0
/// Generators and checks for the end-to-end hostile-input tests. Every hostile
/// input is built here from code: a raw tar writer that puts any bytes in a
/// header (names with "..", NUL or invalid UTF-8, 100 KB PAX paths, links to
/// nowhere), streaming gzip/zstd, a gzip decompression bomb assembled from
/// one compressed block, and OCI / docker-save tarballs around raw layer
/// blobs. The checks run the real binary and hold it to docs/design.md §5/§8: exit
/// code, a message naming target, place and reason, a complete JSON/SARIF
/// document in valid UTF-8, and nothing written in the working directory.
#pragma once

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing::hostile {

using nlohmann::json;

// ---------------------------------------------------------------- raw tar

/// Writes tar headers byte by byte, so a test can put anything in a name.
/// Names longer than 100 bytes, or any name when `pax` is set, go into a PAX
/// extended header ("path=" record) as GNU tar and docker do.
class RawTar {
 public:
  enum Type : char {
    kFile = '0',
    kHardlink = '1',
    kSymlink = '2',
    kDir = '5',
  };

  struct Entry {
    std::string name;
    Type type = kFile;
    std::string data{};
    std::string link{};
    std::uint32_t mode = 0644;
    bool pax = false;  // force a PAX header for the name and link
  };

  void Add(const Entry& e) {
    const bool pax = e.pax || e.name.size() > 100 || e.link.size() > 100;
    if (pax) {
      std::string records;
      records += PaxRecord("path", e.name);
      if (!e.link.empty()) records += PaxRecord("linkpath", e.link);
      Header("PaxHeaders/x", 'x', records.size(), "", 0644);
      Data(records);
    }
    Header(pax ? std::string_view(e.name).substr(0, 99) : std::string_view(e.name), e.type,
           e.type == kFile ? e.data.size() : 0, pax ? "" : std::string_view(e.link), e.mode);
    if (e.type == kFile) Data(e.data);
  }

  /// A file header declaring `size` bytes; the caller writes them with Raw().
  void FileHeader(std::string_view name, std::uint64_t size, std::uint32_t mode = 0644) {
    Header(name, kFile, size, "", mode);
  }
  void Raw(std::string_view bytes) { out_.append(bytes); }
  /// Zero padding after `size` bytes of data.
  void Pad(std::uint64_t size) { out_.append((512 - size % 512) % 512, '\0'); }
  void End() { out_.append(1024, '\0'); }

  /// The bytes written so far (Take() empties the buffer, for streaming).
  const std::string& bytes() const { return out_; }
  std::string Take() { return std::exchange(out_, {}); }
  std::string Finish() {
    End();
    return Take();
  }

 private:
  static std::string PaxRecord(std::string_view key, std::string_view value) {
    // "<len> key=value\n" where <len> counts itself.
    std::string body = " " + std::string(key) + "=" + std::string(value) + "\n";
    std::size_t len = body.size() + 1;
    while (std::to_string(len).size() + body.size() != len) ++len;
    return std::to_string(len) + body;
  }

  // width-1 zero-padded octal digits and a NUL, as tar numeric fields are
  // (by hand: snprintf trips -Wformat-truncation at -O2).
  static void Octal(char* field, std::size_t width, std::uint64_t value) {
    field[width - 1] = '\0';
    for (std::size_t i = width - 1; i-- > 0;) {
      field[i] = static_cast<char>('0' + (value & 7));
      value >>= 3;
    }
  }

  void Header(std::string_view name, char type, std::uint64_t size, std::string_view link,
              std::uint32_t mode) {
    char h[512] = {};
    std::memcpy(h, name.data(), std::min<std::size_t>(name.size(), 100));
    Octal(h + 100, 8, mode);
    Octal(h + 108, 8, 0);
    Octal(h + 116, 8, 0);
    Octal(h + 124, 12, size);
    Octal(h + 136, 12, 1700000000);
    h[156] = type;
    std::memcpy(h + 157, link.data(), std::min<std::size_t>(link.size(), 100));
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    out_.append(h, sizeof h);
  }

  void Data(std::string_view data) {
    out_.append(data);
    Pad(data.size());
  }

  std::string out_;
};

// ------------------------------------------------------------ compression

/// Streaming gzip (zlib), so large layers never exist uncompressed in memory.
class GzipWriter {
 public:
  GzipWriter() {
    if (deflateInit2(&z_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("deflateInit2");
    }
  }
  ~GzipWriter() { deflateEnd(&z_); }
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  void Write(std::string_view data) { Run(data, Z_NO_FLUSH); }
  std::string Finish() {
    Run({}, Z_FINISH);
    return std::move(out_);
  }

 private:
  void Run(std::string_view data, int flush) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    unsigned char buf[1 << 16];
    int r = Z_OK;
    do {
      z_.next_out = buf;
      z_.avail_out = sizeof buf;
      r = deflate(&z_, flush);
      out_.append(reinterpret_cast<char*>(buf), sizeof buf - z_.avail_out);
    } while (z_.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
  }

  z_stream z_{};
  std::string out_;
};

inline std::string Gzip(std::string_view data) {
  GzipWriter w;
  w.Write(data);
  return w.Finish();
}

inline std::string Zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress");
  out.resize(n);
  return out;
}

/// A gzip layer holding one regular file `/zeros` of `size` zero bytes,
/// built without ever compressing `size` bytes: the deflate output for 1 MiB
/// of zeros after a full flush is self-contained, so it is produced once and
/// repeated; the gzip trailer's CRC is combined with
/// crc32_combine. 4 GiB of zeros becomes a ~4 MB blob.
inline std::string GzipZeroBomb(std::uint64_t size) {
  constexpr std::uint64_t kChunk = 1 << 20;
  if (size % kChunk != 0) throw std::runtime_error("bomb size must be a multiple of 1 MiB");
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  auto deflate_all = [&](std::string_view in, int flush) {
    std::string piece;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    unsigned char buf[1 << 16];
    int r = Z_OK;
    do {
      z.next_out = buf;
      z.avail_out = sizeof buf;
      r = deflate(&z, flush);
      piece.append(reinterpret_cast<char*>(buf), sizeof buf - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
    return piece;
  };
  RawTar header;
  header.FileHeader("zeros", size);
  const std::string head = header.Take();
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(head.data()), static_cast<uInt>(head.size()));
  out += deflate_all(head, Z_FULL_FLUSH);
  const std::string zeros(kChunk, '\0');
  const uLong zeros_crc =
      crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(zeros.size()));
  // After a full flush no match reaches back before it, so `second` decodes
  // to 1 MiB of zeros wherever it is placed.
  const std::string first = deflate_all(zeros, Z_FULL_FLUSH);
  const std::string second = deflate_all(zeros, Z_FULL_FLUSH);
  out += first;
  out += second;
  for (std::uint64_t done = 2 * kChunk; done < size; done += kChunk) out += second;
  for (std::uint64_t done = 0; done < size; done += kChunk) {
    crc = crc32_combine(crc, zeros_crc, static_cast<z_off_t>(kChunk));
  }
  const std::string tail(1024, '\0');  // end-of-archive blocks
  out += deflate_all(tail, Z_FINISH);
  crc = crc32_combine(
      crc, crc32(0, reinterpret_cast<const Bytef*>(tail.data()), static_cast<uInt>(tail.size())),
      static_cast<z_off_t>(tail.size()));
  deflateEnd(&z);
  const std::uint64_t total = head.size() + size + tail.size();
  for (int i = 0; i < 4; ++i) out += static_cast<char>((crc >> (8 * i)) & 0xFF);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((total >> (8 * i)) & 0xFF);
  return out;
}

// ------------------------------------------------------------ image files

inline std::string Hex(const std::string& digest) { return digest.substr(7); }

inline json Descriptor(const std::string& media_type, const std::string& bytes) {
  return {{"mediaType", media_type}, {"digest", DigestOf(bytes)}, {"size", bytes.size()}};
}

inline std::string DefaultConfig() {
  return json{{"architecture", "amd64"},
              {"os", "linux"},
              {"config", {{"User", "1000"}}},
              {"rootfs", {{"type", "layers"}, {"diff_ids", json::array()}}}}
      .dump();
}

/// An OCI image-layout tarball around raw layer blobs (any compression:
/// the reader sniffs it). Returns the manifest digest.
struct RawOci {
  std::vector<std::string> layers;
  std::string config = DefaultConfig();
  /// Applied to the manifest JSON before it is written (hostile edits).
  std::function<void(json*)> edit_manifest{};
  /// Applied to the member list before the outer tar is written.
  std::function<void(std::vector<TarMemberSpec>*)> edit_members{};
};

inline std::string WriteRawOci(const RawOci& spec, const std::string& path) {
  std::vector<TarMemberSpec> members;
  auto blob = [&](const std::string& bytes) {
    members.push_back({.name = "blobs/sha256/" + Hex(DigestOf(bytes)), .data = bytes});
  };
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                   {"config", Descriptor("application/vnd.oci.image.config.v1+json", spec.config)},
                   {"layers", json::array()}};
  blob(spec.config);
  for (const std::string& layer : spec.layers) {
    manifest["layers"].push_back(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
    blob(layer);
  }
  if (spec.edit_manifest) spec.edit_manifest(&manifest);
  const std::string manifest_text = manifest.dump();
  blob(manifest_text);
  json index = {
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.index.v1+json"},
      {"manifests", {Descriptor("application/vnd.oci.image.manifest.v1+json", manifest_text)}}};
  members.insert(members.begin(),
                 {.name = "oci-layout", .data = R"({"imageLayoutVersion":"1.0.0"})"});
  members.insert(members.begin() + 1, {.name = "index.json", .data = index.dump()});
  if (spec.edit_members) spec.edit_members(&members);
  WriteTar(members, path);
  return DigestOf(manifest_text);
}

/// A plain (uncompressed) layer tar from RawTar entries.
inline std::string LayerTar(const std::vector<RawTar::Entry>& entries) {
  RawTar tar;
  for (const auto& e : entries) tar.Add(e);
  return tar.Finish();
}

/// A small good image with one finding (setuid /usr/bin/su), to put next to
/// hostile targets: it must still be linted and reported.
inline void WriteGoodImage(const std::string& path) {
  ImageSpec spec;
  spec.config.user = "1000";
  spec.layers.push_back(
      {.entries = {Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/su", 04755, "#!/bin/true\n")}});
  WriteOciTar(spec, path);
}

// ------------------------------------------------------------------ checks

/// Valid UTF-8 (RFC 3629: no overlongs, surrogates or code points > U+10FFFF).
inline bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return false;
    for (std::size_t k = 2; k <= n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (b < 0x80 || b > 0xBF) return false;
    }
    i += n + 1;
  }
  return true;
}

/// Entries of a directory (names), to prove a run wrote nothing there.
inline std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

/// A run of imglint and its own peak resident set size.
struct MeasuredRun {
  CliResult result;
  std::uint64_t max_rss_bytes = 0;
};

/// RunImglint in a forked helper process, so that the helper's
/// getrusage(RUSAGE_CHILDREN) sees exactly one child: this imglint run (the
/// test process's own RUSAGE_CHILDREN is the maximum over every run so far).
inline MeasuredRun RunMeasured(const std::vector<std::string>& args, const std::string& cwd) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    CliResult r = RunImglint(args, "", cwd);
    struct rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    std::string message = std::to_string(r.exit_code) + " " + std::to_string(usage.ru_maxrss) +
                          " " + std::to_string(r.out.size()) + " " + std::to_string(r.err.size()) +
                          "\n" + r.out + r.err;
    for (std::size_t off = 0; off < message.size();) {
      ssize_t n = write(fds[1], message.data() + off, message.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string message;
  char buf[1 << 16];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) message.append(buf, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  MeasuredRun run;
  std::size_t newline = message.find('\n');
  if (newline == std::string::npos) return run;
  long long exit_code = 0, rss_kib = 0;
  unsigned long long out_size = 0, err_size = 0;
  std::sscanf(message.c_str(), "%lld %lld %llu %llu", &exit_code, &rss_kib, &out_size, &err_size);
  run.result.exit_code = static_cast<int>(exit_code);
  run.max_rss_bytes = static_cast<std::uint64_t>(rss_kib) * 1024;
  run.result.out = message.substr(newline + 1, out_size);
  run.result.err = message.substr(newline + 1 + out_size, err_size);
  return run;
}

/// The peak RSS bound for bombs. Generous: an AddressSanitizer build keeps up
/// to 256 MB of freed memory in quarantine on its own; what matters is that a
/// 4 GiB layer or a billion-node alias expansion stays far below its size.
inline constexpr std::uint64_t kRssBound = 1ull << 30;

/// One run in JSON and one in SARIF, from an empty working directory.
struct Runs {
  CliResult json_run;
  CliResult sarif_run;
  json report = nullptr;  // parsed JSON document
  json sarif = nullptr;   // parsed SARIF document

  /// The "targets" entry of the JSON report for `path` (null when absent).
  json Target(const std::string& path) const {
    for (const json& t : report["targets"]) {
      if (t["path"] == path) return t;
    }
    return nullptr;
  }
  /// JSON findings whose location path is `path`.
  std::vector<json> FindingsFor(const std::string& path) const {
    std::vector<json> out;
    for (const json& f : report["findings"]) {
      if (f["location"]["path"] == path) out.push_back(f);
    }
    return out;
  }
};

/// Runs imglint with `args` twice, --format json and --format sarif, from an
/// empty working directory, and checks what holds for every hostile input:
/// the same exit code both times, both documents complete (they parse),
/// valid UTF-8, and nothing written to the working directory.
inline Runs RunBoth(const std::vector<std::string>& args) {
  TempDir cwd;
  Runs runs;
  for (const char* format : {"json", "sarif"}) {
    std::vector<std::string> full = {"--format", format};
    full.insert(full.end(), args.begin(), args.end());
    CliResult r = RunImglint(full, "", cwd.path());
    EXPECT_TRUE(IsValidUtf8(r.out)) << format << " output is not valid UTF-8";
    EXPECT_TRUE(IsValidUtf8(r.err)) << "stderr is not valid UTF-8: " << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "escape sequence on stderr";
    json doc = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(doc.is_discarded()) << format << " document is incomplete:\n"
                                     << r.out.substr(0, 2000) << "\nstderr: " << r.err;
    EXPECT_TRUE(ListDir(cwd.path()).empty()) << "the run wrote into its working directory";
    if (std::string(format) == "json") {
      runs.json_run = std::move(r);
      runs.report = std::move(doc);
    } else {
      runs.sarif_run = std::move(r);
      runs.sarif = std::move(doc);
    }
  }
  EXPECT_EQ(runs.json_run.exit_code, runs.sarif_run.exit_code);
  EXPECT_EQ(runs.json_run.err, runs.sarif_run.err);
  return runs;
}

/// The checks for "the hostile target is unreadable, the good one is
/// linted": exit 2, stderr names `bad` and contains `reason`, the JSON
/// report records the error on `bad` and the setuid finding of `good`, and
/// SARIF reports the run as unsuccessful with the same message.
inline void ExpectUnreadableNextToGood(const Runs& runs, const std::string& bad,
                                       const std::string& good, const std::string& reason) {
  EXPECT_EQ(runs.json_run.exit_code, 2) << runs.json_run.err;
  // "imglint: PATH: reason", or "PATH:LINE:COL: error: reason" with a place.
  EXPECT_TRUE(runs.json_run.err.find("imglint: " + bad + ": ") != std::string::npos ||
              runs.json_run.err.find(bad + ":") == 0 ||
              runs.json_run.err.find("\n" + bad + ":") != std::string::npos)
      << runs.json_run.err;
  EXPECT_NE(runs.json_run.err.find(reason), std::string::npos) << runs.json_run.err;
  json target = runs.Target(bad);
  ASSERT_TRUE(target.is_object()) << runs.report.dump(2);
  ASSERT_TRUE(target["error"].is_string()) << target.dump();
  EXPECT_NE(target["error"].get<std::string>().find(reason), std::string::npos) << target.dump();
  json good_target = runs.Target(good);
  ASSERT_TRUE(good_target.is_object());
  EXPECT_TRUE(good_target["error"].is_null()) << good_target.dump();
  bool setuid = false;
  for (const json& f : runs.FindingsFor(good)) setuid = setuid || f["rule"] == "IL201";
  EXPECT_TRUE(setuid) << "the good target was not linted: " << runs.report.dump(2);
  const json& invocation = runs.sarif["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  bool named = false;
  for (const json& n : invocation["toolExecutionNotifications"]) {
    std::string text = n["message"]["text"];
    named =
        named || (text.find(bad) != std::string::npos && text.find(reason) != std::string::npos);
  }
  EXPECT_TRUE(named) << invocation.dump(2);
  bool good_result = false;
  for (const json& result : runs.sarif["runs"][0]["results"]) {
    good_result = good_result || result["ruleId"] == "IL201";
  }
  EXPECT_TRUE(good_result) << "no SARIF result for the good target";
}

}  // namespace imglint::testing::hostile
