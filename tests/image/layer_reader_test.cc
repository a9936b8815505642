// SPDX-License-Identifier: Apache-2.0
// One layer blob through ReadLayer: codec sniffing, entry metadata, whiteout
// records, captured small files and hostile bytes.
#include "analyzer/image/layer_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "analyzer/image/digest.h"
#include "tests/image/image_test_util.h"

namespace imglint {
namespace {

using namespace imglint::testing;  // NOLINT: builder vocabulary

LayerContents Decode(const std::string& blob, const ImageLimits& limits = {}) {
  std::atomic<std::uint64_t> total{0};
  LayerReadOptions options;
  options.limits = &limits;
  options.decompressed_total = &total;
  MemorySource src(blob);
  LayerContents out;
  ReadLayer(&src, options, &out);
  return out;
}

const LayerEntry* FindEntry(const LayerContents& c, const std::string& path) {
  for (const auto& e : c.entries) {
    if (e.path == path) return &e;
  }
  return nullptr;
}

TEST(LayerReaderTest, SniffsCodecAndHashesBlob) {
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    std::string blob = BuildLayerBlob({.compression = c, .entries = {File("/a", 0600)}});
    LayerContents out = Decode(blob);
    ASSERT_EQ(out.error, "");
    EXPECT_EQ(out.compression, c == Compression::kNone   ? LayerCompression::kNone
                               : c == Compression::kGzip ? LayerCompression::kGzip
                                                         : LayerCompression::kZstd);
    EXPECT_EQ(out.digest, Sha256Digest(blob));
    EXPECT_EQ(out.blob_size, blob.size());
  }
}

TEST(LayerReaderTest, RecordsWhiteoutsAndMetadata) {
  std::string blob = BuildLayerBlob(
      {.entries = {Dir("/srv", 0750).WithOwner(5, 6), Whiteout("/srv/old"), Opaque("/srv"),
                   Whiteout("/top"), File("/srv/x", 02755).WithOwner(7, 8),
                   Symlink("/srv/l", "/etc/../x")}});
  LayerContents out = Decode(blob);
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.entries.size(), 6u);
  EXPECT_EQ(out.entries[1].whiteout, WhiteoutKind::kRemove);
  EXPECT_EQ(out.entries[1].path, "/srv/old");
  EXPECT_EQ(out.entries[2].whiteout, WhiteoutKind::kOpaque);
  EXPECT_EQ(out.entries[2].path, "/srv");
  EXPECT_EQ(out.entries[3].path, "/top");
  const LayerEntry* srv = FindEntry(out, "/srv");
  EXPECT_EQ(srv->type, FileType::kDirectory);
  EXPECT_EQ(srv->mode, 0750u);
  EXPECT_EQ(srv->uid, 5u);
  EXPECT_EQ(srv->gid, 6u);
  EXPECT_EQ(FindEntry(out, "/srv/x")->mode, 02755u);
  EXPECT_EQ(FindEntry(out, "/srv/l")->link_target, "/etc/../x");  // stored as written
}

TEST(LayerReaderTest, CapturesOnlySmallPasswdAndGroup) {
  ImageLimits limits;
  limits.max_small_file_bytes = 100;
  std::string blob = BuildLayerBlob({.entries = {File("/etc/passwd", 0644, "root:x:0:0::/:\n"),
                                                 File("/etc/group", 0644, std::string(200, 'g')),
                                                 File("/etc/shadow", 0600, "root:*:1::::::\n")}});
  LayerContents out = Decode(blob, limits);
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(out.small_files.size(), 1u);
  EXPECT_EQ(out.small_files.at("/etc/passwd"), "root:x:0:0::/:\n");
}

TEST(LayerReaderTest, InvalidCapabilityIsKeptVisible) {
  std::string blob = BuildLayerBlob({.entries = {File("/bin/x", 0755).WithCaps("\x01\x02")}});
  LayerContents out = Decode(blob);
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(out.entries.at(0).capabilities, "(invalid: security.capability is 2 bytes, too short)");
}

TEST(LayerReaderTest, ZstdTrailingPaddingIsIgnored) {
  std::string blob = BuildLayerBlob({.compression = Compression::kZstd, .entries = {File("/a")}});
  LayerContents out = Decode(blob + std::string(1000, '\0'));
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(out.entries.size(), 1u);
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(LayerReaderTest, ConcatenatedGzipMembers) {
  // pigz and `cat a.gz b.gz` produce multi-member streams: split a tar in
  // two at a block boundary and compress each half separately.
  std::string tar = BuildLayerBlob(
      {.compression = Compression::kNone, .entries = {File("/a", 0644, "x"), File("/b")}});
  std::string blob = Gzip(tar.substr(0, 1024)) + Gzip(tar.substr(1024));
  LayerContents out = Decode(blob);
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(out.compression, LayerCompression::kGzip);
  ASSERT_EQ(out.entries.size(), 2u);
  EXPECT_EQ(out.entries[1].path, "/b");
}

TEST(LayerReaderTest, EmptyAndUnsupportedBlobs) {
  EXPECT_EQ(Decode("").error, "");
  EXPECT_EQ(Decode("BZh91AY&SY").error, "unsupported layer compression bzip2");
  EXPECT_EQ(Decode(std::string("\xfd"
                               "7zXZ\0\0",
                               8))
                .error,
            "unsupported layer compression xz");
  EXPECT_THAT(Decode("just some text that is not a tar archive at all").error,
              ::testing::StartsWith("invalid tar data ("));
  EXPECT_EQ(Decode(std::string("\x1f\x8b", 2)).error, "gzip data is truncated");
}

// Flips bytes all over a compressed and an uncompressed layer: every result
// must be a clean success or a clean error (run under ASan/UBSan in CI).
TEST(LayerReaderTest, RandomCorruptionNeverCrashes) {
  std::vector<EntrySpec> entries = {
      Dir("/etc"), File("/etc/passwd", 0644, "root:x:0:0::/:\n"),
      File("/bin/ping", 0755).WithCaps(CapV3({"cap_net_raw"}, true, 5)),
      Hardlink("/bin/p2", "/bin/ping"), Symlink("/s", "/etc")};
  std::mt19937 rng(1234);
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    std::string blob = BuildLayerBlob({.compression = c, .entries = entries});
    for (int round = 0; round < 300; ++round) {
      std::string broken = blob;
      int flips = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < flips; ++i) {
        broken[rng() % broken.size()] = static_cast<char>(rng() & 0xff);
      }
      if (rng() % 4 == 0) broken.resize(rng() % broken.size());
      LayerContents out = Decode(broken);
      if (out.error.empty()) {
        EXPECT_LE(out.entries.size(), 64u);
      }
    }
  }
}

TEST(ImageCorruptionTest, FlippedBytesInOuterTarNeverCrash) {
  ImageSpec spec;
  spec.layers.push_back({.entries = {File("/etc/passwd", 0644, "root:x:0:0::/:\n")}});
  TempDir dir;
  WriteOciTar(spec, dir.File("good.tar"));
  std::string bytes = ReadFileBytes(dir.File("good.tar"));
  std::mt19937 rng(99);
  for (int round = 0; round < 200; ++round) {
    std::string broken = bytes;
    for (int i = 0; i < 4; ++i) broken[rng() % broken.size()] = static_cast<char>(rng() & 0xff);
    WriteFileBytes(dir.File("bad.tar"), broken);
    ImageTarget target;
    std::string err;
    if (!ReadImage(dir.File("bad.tar"), {}, &target, &err)) {
      EXPECT_FALSE(err.empty());
      EXPECT_TRUE(target.images.empty());
    }
  }
}

}  // namespace
}  // namespace imglint
