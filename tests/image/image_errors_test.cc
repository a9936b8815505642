// SPDX-License-Identifier: Apache-2.0
// Broken and hostile images: every failure is an error with an exact message
// naming the place and the reason; nothing crashes or throws.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyzer/image/image_reader.h"
#include "tests/image/image_test_util.h"

namespace imglint {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace imglint::testing;  // NOLINT: builder vocabulary

ImageSpec TwoLayers(Compression compression) {
  ImageSpec spec;
  spec.layers.push_back({.compression = compression,
                         .entries = {Dir("/etc"), File("/etc/passwd", 0644, "root:x:0:0::/:\n")}});
  std::vector<EntrySpec> many;
  for (int i = 0; i < 200; ++i) {
    many.push_back(File("/data/f" + std::to_string(i), 0644, std::string(2000, 'a' + i % 26)));
  }
  spec.layers.push_back({.compression = compression, .entries = many});
  return spec;
}

// The same error must come out of the seekable path and the stream path.
void ExpectError(const TempDir& dir, const std::string& file, const std::string& expected) {
  EXPECT_EQ(ReadError(file), expected) << "seekable";
  ImageTarget target;
  std::string err;
  EXPECT_FALSE(ReadThroughFifo(dir, file, &target, &err));
  EXPECT_EQ(err, expected) << "stream";
  EXPECT_TRUE(target.images.empty());
}

TEST(DigestErrorTest, LayerDigestMismatch) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"),
                               {.breakage = Breakage::kWrongLayerDigest, .broken_layer = 1});
  ExpectError(
      dir, dir.File("oci.tar"),
      "blob " + w.layer_digests[1] + ": digest mismatch (got " + w.layer_blob_digests[1] + ")");
}

TEST(DigestErrorTest, ConfigDigestMismatch) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"),
                               {.breakage = Breakage::kWrongConfigDigest});
  std::string err = ReadError(dir.File("oci.tar"));
  EXPECT_THAT(err, StartsWith("blob " + w.config_digest + ": digest mismatch (got sha256:"));
}

TEST(DigestErrorTest, VerificationCanBeDisabled) {
  TempDir dir;
  WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"),
              {.breakage = Breakage::kWrongLayerDigest, .broken_layer = 1});
  ImageReadOptions options;
  options.verify_digests = false;
  EXPECT_EQ(ReadError(dir.File("oci.tar"), options), "");
}

TEST(DecodeErrorTest, TruncatedGzip) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"),
                               {.breakage = Breakage::kTruncatedLayer, .broken_layer = 1});
  ExpectError(dir, dir.File("oci.tar"), "layer " + w.layer_digests[1] + ": gzip data is truncated");
}

TEST(DecodeErrorTest, TruncatedZstd) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kZstd), dir.File("oci.tar"),
                               {.breakage = Breakage::kTruncatedLayer, .broken_layer = 1});
  ExpectError(dir, dir.File("oci.tar"), "layer " + w.layer_digests[1] + ": zstd data is truncated");
}

TEST(DecodeErrorTest, TruncatedPlainTar) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kNone), dir.File("oci.tar"),
                               {.breakage = Breakage::kTruncatedLayer, .broken_layer = 1});
  ExpectError(dir, dir.File("oci.tar"),
              "layer " + w.layer_digests[1] + ": invalid tar data (Truncated tar archive)");
}

TEST(DecodeErrorTest, CorruptZstd) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kZstd), dir.File("oci.tar"),
                               {.breakage = Breakage::kCorruptLayer, .broken_layer = 1});
  std::string err = ReadError(dir.File("oci.tar"));
  EXPECT_THAT(err, StartsWith("layer " + w.layer_digests[1] + ": zstd data is corrupt ("));
}

TEST(DecodeErrorTest, CorruptGzip) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"),
                               {.breakage = Breakage::kCorruptLayer, .broken_layer = 1});
  std::string err = ReadError(dir.File("oci.tar"));
  EXPECT_THAT(err, StartsWith("layer " + w.layer_digests[1] + ": gzip data is corrupt ("));
}

TEST(DecodeErrorTest, ClassicLayerNamedByPath) {
  TempDir dir;
  WriteDockerSaveTar(TwoLayers(Compression::kGzip), dir.File("save.tar"),
                     {.breakage = Breakage::kTruncatedLayer, .broken_layer = 0});
  std::string err = ReadError(dir.File("save.tar"));
  EXPECT_THAT(err, StartsWith("layer \""));
  EXPECT_THAT(err, HasSubstr("/layer.tar\": gzip data is truncated"));
}

TEST(MissingErrorTest, MissingLayerBlob) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"),
                               {.breakage = Breakage::kMissingLayerBlob, .broken_layer = 0});
  ExpectError(dir, dir.File("oci.tar"),
              "blob " + w.layer_digests[0] + ": missing from the archive");
  WriteOciDir(TwoLayers(Compression::kGzip), dir.File("layout"),
              {.breakage = Breakage::kMissingLayerBlob, .broken_layer = 0});
  EXPECT_THAT(ReadError(dir.File("layout")), HasSubstr(": missing from the archive"));
}

TEST(NotAnImageTest, Messages) {
  TempDir dir;
  WriteTar({{.name = "hello.txt", .data = "hi"}}, dir.File("other.tar"));
  ExpectError(dir, dir.File("other.tar"),
              "not an image: no manifest.json or oci-layout/index.json");
  WriteFileBytes(dir.File("garbage.bin"), std::string(4096, 'x'));
  EXPECT_THAT(ReadError(dir.File("garbage.bin")), StartsWith("not an image: not a tar archive ("));
  EXPECT_EQ(ReadError(dir.path()), "not an image: no manifest.json or oci-layout/index.json");
  EXPECT_EQ(ReadError(dir.File("missing.tar")), "cannot open: No such file or directory");
}

TEST(HostileManifestTest, LayerPathEscapes) {
  TempDir dir;
  WriteTar({{.name = "cfg.json", .data = "{}"},
            {.name = "manifest.json",
             .data = R"([{"Config":"cfg.json","RepoTags":[],"Layers":["../x"]}])"}},
           dir.File("save.tar"));
  ExpectError(dir, dir.File("save.tar"), "manifest.json: layer path \"../x\" escapes the archive");
}

TEST(HostileManifestTest, ConfigPathAbsolute) {
  TempDir dir;
  WriteTar({{.name = "manifest.json",
             .data = R"([{"Config":"/etc/passwd","RepoTags":[],"Layers":[]}])"}},
           dir.File("save.tar"));
  EXPECT_EQ(ReadError(dir.File("save.tar")),
            "manifest.json: config path \"/etc/passwd\" escapes the archive");
}

TEST(HostileManifestTest, SymlinkMemberEscapes) {
  TempDir dir;
  WriteTar({{.name = "cfg.json", .data = "{}"},
            {.name = "abc/layer.tar", .symlink = "../../etc/shadow"},
            {.name = "manifest.json",
             .data = R"([{"Config":"cfg.json","RepoTags":[],"Layers":["abc/layer.tar"]}])"}},
           dir.File("save.tar"));
  ExpectError(dir, dir.File("save.tar"),
              "manifest.json: layer \"abc/layer.tar\": member \"abc/layer.tar\" links to "
              "\"../../etc/shadow\" outside the archive");
}

TEST(HostileManifestTest, SymlinkMemberLoop) {
  TempDir dir;
  WriteTar({{.name = "cfg.json", .data = "{}"},
            {.name = "a", .symlink = "b"},
            {.name = "b", .symlink = "a"},
            {.name = "manifest.json",
             .data = R"([{"Config":"cfg.json","RepoTags":[],"Layers":["a"]}])"}},
           dir.File("save.tar"));
  EXPECT_EQ(ReadError(dir.File("save.tar")),
            "manifest.json: layer \"a\": member \"a\": too many levels of symbolic links");
}

TEST(HostileIndexTest, InvalidJson) {
  TempDir dir;
  WriteTar({{.name = "oci-layout", .data = R"({"imageLayoutVersion":"1.0.0"})"},
            {.name = "index.json", .data = R"({"manifests": [)"}},
           dir.File("oci.tar"));
  EXPECT_THAT(ReadError(dir.File("oci.tar")),
              StartsWith("index.json: [json.exception.parse_error"));
}

TEST(HostileIndexTest, DeepNesting) {
  TempDir dir;
  WriteTar({{.name = "oci-layout", .data = R"({"imageLayoutVersion":"1.0.0"})"},
            {.name = "index.json", .data = std::string(100000, '[') + std::string(100000, ']')}},
           dir.File("oci.tar"));
  EXPECT_EQ(ReadError(dir.File("oci.tar")), "index.json: JSON nested deeper than 64 levels");
}

TEST(HostileIndexTest, DigestUsedAsPath) {
  TempDir dir;
  WriteTar({{.name = "oci-layout", .data = R"({"imageLayoutVersion":"1.0.0"})"},
            {.name = "index.json",
             .data = R"({"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                     R"("digest":"sha256:../../../etc/passwd","size":1}]})"}},
           dir.File("oci.tar"));
  EXPECT_EQ(ReadError(dir.File("oci.tar")),
            "index.json: invalid digest \"sha256:../../../etc/passwd\" (expected sha256:<64 hex "
            "digits>)");
}

TEST(LimitsTest, IndexDepth) {
  TempDir dir;
  WriteMultiPlatformOciTar({{"linux/amd64", TwoLayers(Compression::kGzip)}}, dir.File("m.tar"),
                           {.nested_index = true});
  ImageReadOptions options;
  options.limits.max_index_depth = 0;
  EXPECT_EQ(ReadError(dir.File("m.tar"), options),
            "index.json: indexes nested deeper than 0 levels");
  options.limits.max_index_depth = 1;
  EXPECT_EQ(ReadError(dir.File("m.tar"), options), "");
}

TEST(LimitsTest, EntriesPerLayer) {
  TempDir dir;
  WrittenImage w = WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"));
  ImageReadOptions options;
  options.limits.max_entries_per_layer = 50;
  EXPECT_EQ(
      ReadError(dir.File("oci.tar"), options),
      "layer " + w.layer_digests[1] +
          ": more than 50 entries in one layer (raise the limit with --max-entries-per-layer)");
}

TEST(LimitsTest, DecompressedBytes) {
  TempDir dir;
  WriteOciTar(TwoLayers(Compression::kZstd), dir.File("oci.tar"));
  ImageReadOptions options;
  options.limits.max_decompressed_bytes = 100000;
  options.jobs = 1;
  EXPECT_THAT(ReadError(dir.File("oci.tar"), options),
              HasSubstr(": decompressed size exceeds the limit of 100000 bytes (raise the limit "
                        "with --max-decompressed-bytes)"));
}

TEST(LimitsTest, MetadataBytes) {
  TempDir dir;
  WriteOciTar(TwoLayers(Compression::kGzip), dir.File("oci.tar"));
  ImageReadOptions options;
  options.limits.max_metadata_bytes = 10;
  EXPECT_EQ(ReadError(dir.File("oci.tar"), options),
            "oci-layout: larger than the limit of 10 bytes (raise the limit with "
            "--max-metadata-bytes)");
}

TEST(LimitsTest, PathLength) {
  ImageSpec spec;
  spec.layers.push_back({.entries = {File("/" + std::string(300, 'p'))}});
  TempDir dir;
  WrittenImage w = WriteOciTar(spec, dir.File("oci.tar"));
  ImageReadOptions options;
  options.limits.max_path_length = 256;
  EXPECT_EQ(ReadError(dir.File("oci.tar"), options),
            "layer " + w.layer_digests[0] + ": entry \"" + std::string(100, 'p') +
                "...\": name is 300 bytes, longer than the limit of 256 (raise the limit with "
                "--max-path-length)");
}

}  // namespace
}  // namespace imglint
