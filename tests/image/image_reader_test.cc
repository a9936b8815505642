// SPDX-License-Identifier: Apache-2.0
// Image formats, compressions, config fields and platform selection.
#include "analyzer/image/image_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/image/image_test_util.h"

namespace imglint {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using namespace imglint::testing;  // NOLINT: builder vocabulary

ImageSpec SampleImage(Compression compression) {
  ImageSpec spec;
  spec.refs = {"example.com/app:1.0"};
  spec.config.user = "app";
  spec.config.exposed_ports = {"80/tcp", "8443/tcp"};
  spec.config.env = {"PATH=/usr/bin", "MODE=prod"};
  spec.config.labels = {{"org.opencontainers.image.title", "app"}};
  spec.config.history = {{.created_by = "/bin/sh -c #(nop) ADD file:abc in / "},
                         {.created_by = "/bin/sh -c #(nop)  USER app", .empty_layer = true},
                         {.created_by = "RUN setcap", .comment = "buildkit.dockerfile.v0"}};
  spec.layers.push_back(
      {.compression = compression,
       .entries = {Dir("/etc"),
                   File("/etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/:\n"),
                   File("/etc/group", 0644, "root:x:0:\napp:x:1000:\n"), Dir("/usr/bin"),
                   File("/usr/bin/passwd", 04755).WithOwner(0, 0),
                   File("/usr/bin/ping", 0755).WithCaps(CapV2({"cap_net_raw"}, true)),
                   Hardlink("/usr/bin/chfn2", "/usr/bin/passwd"),
                   Symlink("/usr/bin/sh", "../../bin/busybox")}});
  spec.layers.push_back(
      {.compression = compression,
       .entries = {Dir("/app"), File("/app/server", 0755).WithOwner(1000, 1000)}});
  return spec;
}

// Checks everything SampleImage() promises, whatever the container format.
void ExpectSampleImage(const Image& image) {
  EXPECT_EQ(image.platform, "");
  EXPECT_EQ(image.config.user, "app");
  EXPECT_THAT(image.config.exposed_ports, ElementsAre("80/tcp", "8443/tcp"));
  EXPECT_THAT(image.config.env, ElementsAre("PATH=/usr/bin", "MODE=prod"));
  EXPECT_EQ(image.config.labels.at("org.opencontainers.image.title"), "app");
  EXPECT_EQ(image.config.os, "linux");
  EXPECT_EQ(image.config.architecture, "amd64");
  ASSERT_EQ(image.config.history.size(), 3u);
  EXPECT_TRUE(image.config.history[1].empty_layer);
  EXPECT_EQ(image.config.history[2].comment, "buildkit.dockerfile.v0");
  ASSERT_EQ(image.layers.size(), 2u);
  EXPECT_TRUE(
      std::is_sorted(image.files.begin(), image.files.end(),
                     [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; }));
  const FileEntry* passwd = image.Find("/usr/bin/passwd");
  ASSERT_NE(passwd, nullptr);
  EXPECT_EQ(passwd->mode, 04755u);
  EXPECT_EQ(passwd->type, FileType::kRegular);
  EXPECT_EQ(passwd->layer, 0);
  const FileEntry* ping = image.Find("/usr/bin/ping");
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(ping->capabilities, "cap_net_raw=ep");
  const FileEntry* link = image.Find("/usr/bin/chfn2");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, FileType::kHardlink);
  EXPECT_EQ(link->link_target, "/usr/bin/passwd");
  EXPECT_EQ(link->mode, 04755u);
  const FileEntry* sh = image.Find("/usr/bin/sh");
  ASSERT_NE(sh, nullptr);
  EXPECT_EQ(sh->type, FileType::kSymlink);
  EXPECT_EQ(sh->link_target, "../../bin/busybox");
  const FileEntry* server = image.Find("/app/server");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->uid, 1000u);
  EXPECT_EQ(server->layer, 1);
  EXPECT_EQ(image.LayerDigest(*server), image.layers[1].digest);
  ASSERT_TRUE(image.passwd.has_value());
  EXPECT_EQ(*image.passwd, "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/:\n");
  ASSERT_TRUE(image.group.has_value());
  EXPECT_EQ(*image.group, "root:x:0:\napp:x:1000:\n");
}

class FormatTest : public ::testing::TestWithParam<Compression> {};

TEST_P(FormatTest, OciTar) {
  TempDir dir;
  WrittenImage written = WriteOciTar(SampleImage(GetParam()), dir.File("oci.tar"));
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.File("oci.tar"), &target, &err)) << err;
  EXPECT_EQ(target.path, dir.File("oci.tar"));
  ASSERT_EQ(target.images.size(), 1u);
  const Image& image = target.images[0];
  ExpectSampleImage(image);
  EXPECT_EQ(image.manifest_digest, written.manifest_digest);
  EXPECT_EQ(image.config_digest, written.config_digest);
  EXPECT_EQ(image.layers[0].digest, written.layer_digests[0]);
  EXPECT_EQ(image.layers[1].digest, written.layer_digests[1]);
  EXPECT_THAT(image.refs, ElementsAre("example.com/app:1.0"));
}

TEST_P(FormatTest, OciDirectory) {
  TempDir dir;
  WrittenImage written = WriteOciDir(SampleImage(GetParam()), dir.path());
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.path(), &target, &err)) << err;
  ASSERT_EQ(target.images.size(), 1u);
  ExpectSampleImage(target.images[0]);
  EXPECT_EQ(target.images[0].layers[1].digest, written.layer_digests[1]);
}

TEST_P(FormatTest, DockerSaveClassic) {
  TempDir dir;
  WrittenImage written = WriteDockerSaveTar(SampleImage(GetParam()), dir.File("save.tar"));
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.File("save.tar"), &target, &err)) << err;
  ASSERT_EQ(target.images.size(), 1u);
  const Image& image = target.images[0];
  ExpectSampleImage(image);
  EXPECT_THAT(image.refs, ElementsAre("example.com/app:1.0"));
  EXPECT_EQ(image.manifest_digest, "");
  EXPECT_EQ(image.config_digest, written.config_digest);
  // Classic layers are named by the hash of their bytes.
  EXPECT_EQ(image.layers[0].digest, written.layer_blob_digests[0]);
}

TEST_P(FormatTest, DockerSave25WithSymlinkedLayers) {
  TempDir dir;
  WrittenImage written = WriteDockerSaveTar(SampleImage(GetParam()), dir.File("save.tar"),
                                            {.oci_too = true, .layers_as_symlinks = true});
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.File("save.tar"), &target, &err)) << err;
  ASSERT_EQ(target.images.size(), 1u);
  ExpectSampleImage(target.images[0]);
  EXPECT_EQ(target.images[0].layers[0].digest, written.layer_digests[0]);
  EXPECT_EQ(target.images[0].layers[1].media_type,
            GetParam() == Compression::kZstd   ? "application/vnd.oci.image.layer.v1.tar+zstd"
            : GetParam() == Compression::kGzip ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                               : "application/vnd.oci.image.layer.v1.tar");
}

TEST_P(FormatTest, StreamOciMetadataLast) {
  TempDir dir;
  WriteOciTar(SampleImage(GetParam()), dir.File("oci.tar"));
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(ReadThroughFifo(dir, dir.File("oci.tar"), &target, &err)) << err;
  ASSERT_EQ(target.images.size(), 1u);
  ExpectSampleImage(target.images[0]);
}

TEST_P(FormatTest, StreamOciMetadataFirst) {
  TempDir dir;
  WriteOciTar(SampleImage(GetParam()), dir.File("oci.tar"), {.metadata_first = true});
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(ReadThroughFifo(dir, dir.File("oci.tar"), &target, &err)) << err;
  ASSERT_EQ(target.images.size(), 1u);
  ExpectSampleImage(target.images[0]);
}

TEST_P(FormatTest, StreamDockerSave) {
  TempDir dir;
  WriteDockerSaveTar(SampleImage(GetParam()), dir.File("save.tar"));
  WriteDockerSaveTar(SampleImage(GetParam()), dir.File("save25.tar"),
                     {.oci_too = true, .layers_as_symlinks = true});
  for (const char* name : {"save.tar", "save25.tar"}) {
    ImageTarget target;
    std::string err;
    ASSERT_TRUE(ReadThroughFifo(dir, dir.File(name), &target, &err)) << name << ": " << err;
    ASSERT_EQ(target.images.size(), 1u);
    ExpectSampleImage(target.images[0]);
  }
}

INSTANTIATE_TEST_SUITE_P(Compressions, FormatTest,
                         ::testing::Values(Compression::kNone, Compression::kGzip,
                                           Compression::kZstd),
                         [](const auto& info) {
                           switch (info.param) {
                             case Compression::kNone:
                               return std::string("tar");
                             case Compression::kGzip:
                               return std::string("gzip");
                             case Compression::kZstd:
                               return std::string("zstd");
                           }
                           return std::string("unknown");
                         });

TEST(StdinTest, DashReadsStandardInput) {
  TempDir dir;
  WriteOciTar(SampleImage(Compression::kGzip), dir.File("oci.tar"));
  std::string bytes = ReadFileBytes(dir.File("oci.tar"));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  int saved_stdin = ::dup(0);
  ASSERT_GE(saved_stdin, 0);
  ASSERT_EQ(::dup2(fds[0], 0), 0);
  ::close(fds[0]);
  ::signal(SIGPIPE, SIG_IGN);
  std::thread writer([&] {
    std::size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = ::write(fds[1], bytes.data() + off, bytes.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  ImageTarget target;
  std::string err;
  bool ok = ReadImage("-", {}, &target, &err);
  writer.join();
  ::dup2(saved_stdin, 0);
  ::close(saved_stdin);
  ASSERT_TRUE(ok) << err;
  EXPECT_EQ(target.path, "-");
  ASSERT_EQ(target.images.size(), 1u);
  ExpectSampleImage(target.images[0]);
}

TEST(ReaderTest, MediaTypeDoesNotDecideCompression) {
  // skopeo's docker-archive labels plain tar layers as gzip.
  ImageSpec spec = SampleImage(Compression::kNone);
  for (auto& layer : spec.layers) layer.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
  TempDir dir;
  WriteOciTar(spec, dir.File("oci.tar"));
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.File("oci.tar"), &target, &err)) << err;
  ExpectSampleImage(target.images.at(0));
}

TEST(ReaderTest, ParallelAndSerialAgree) {
  ImageSpec spec;
  for (int i = 0; i < 6; ++i) {
    LayerSpec layer{.compression = i % 2 ? Compression::kZstd : Compression::kGzip};
    for (int k = 0; k < 50 * (i + 1); ++k) {
      layer.entries.push_back(File("/d" + std::to_string(k % 7) + "/f" + std::to_string(k), 0644,
                                   std::string(static_cast<std::size_t>(k * 13), 'x')));
    }
    if (i > 0) layer.entries.push_back(Whiteout("/d" + std::to_string(i)));
    spec.layers.push_back(layer);
  }
  TempDir dir;
  WriteOciTar(spec, dir.File("oci.tar"));
  ImageTarget serial;
  ImageTarget parallel;
  std::string err;
  ImageReadOptions one;
  one.jobs = 1;
  ImageReadOptions four;
  four.jobs = 4;
  ASSERT_TRUE(Read(dir.File("oci.tar"), &serial, &err, one)) << err;
  ASSERT_TRUE(Read(dir.File("oci.tar"), &parallel, &err, four)) << err;
  const auto& a = serial.images.at(0).files;
  const auto& b = parallel.images.at(0).files;
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].path, b[i].path);
    EXPECT_EQ(a[i].layer, b[i].layer);
    EXPECT_EQ(a[i].size, b[i].size);
  }
}

TEST(ReaderTest, SkipsDataWithoutDigestVerification) {
  // Without verification a stored layer's data is skipped by seeking; the
  // metadata must be the same.
  ImageSpec spec = SampleImage(Compression::kNone);
  spec.layers[1].entries.push_back(File("/app/big", 0600, std::string(1 << 20, 'z')));
  TempDir dir;
  WriteOciTar(spec, dir.File("oci.tar"));
  ImageReadOptions options;
  options.verify_digests = false;
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.File("oci.tar"), &target, &err, options)) << err;
  const FileEntry* big = target.images.at(0).Find("/app/big");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->size, 1u << 20);
  ASSERT_TRUE(target.images[0].passwd.has_value());
}

ImageSpec PlatformImage(const std::string& arch, const std::string& variant,
                        const std::string& marker) {
  ImageSpec spec;
  spec.config.architecture = arch;
  spec.config.variant = variant;
  spec.layers.push_back({.entries = {File("/" + marker, 0755)}});
  return spec;
}

std::vector<std::pair<std::string, ImageSpec>> TwoPlatforms() {
  return {{"linux/amd64", PlatformImage("amd64", "", "amd64-only")},
          {"linux/arm64/v8", PlatformImage("arm64", "v8", "arm64-only")}};
}

TEST(PlatformTest, EveryPlatformWithoutOption) {
  for (bool nested : {false, true}) {
    TempDir dir;
    auto written = WriteMultiPlatformOciTar(TwoPlatforms(), dir.File("multi.tar"),
                                            {.nested_index = nested, .with_attestation = true});
    ImageTarget target;
    std::string err;
    ASSERT_TRUE(Read(dir.File("multi.tar"), &target, &err)) << err;
    ASSERT_EQ(target.images.size(), 2u) << "attestation manifests are not images";
    EXPECT_EQ(target.images[0].platform, "linux/amd64");
    EXPECT_EQ(target.images[1].platform, "linux/arm64/v8");
    EXPECT_NE(target.images[0].Find("/amd64-only"), nullptr);
    EXPECT_NE(target.images[1].Find("/arm64-only"), nullptr);
    EXPECT_EQ(target.images[1].manifest_digest, written[1].manifest_digest);
    if (nested) {
      // The ref annotation of the nested index applies to its images.
      EXPECT_THAT(target.images[0].refs, ElementsAre("multi:latest"));
    }
  }
}

TEST(PlatformTest, OptionPicksOne) {
  TempDir dir;
  WriteMultiPlatformOciTar(TwoPlatforms(), dir.File("multi.tar"), {.nested_index = true});
  for (const char* wanted : {"linux/arm64", "linux/arm64/v8", "linux/aarch64"}) {
    ImageReadOptions options;
    options.platform = wanted;
    ImageTarget target;
    std::string err;
    ASSERT_TRUE(Read(dir.File("multi.tar"), &target, &err, options)) << wanted << ": " << err;
    ASSERT_EQ(target.images.size(), 1u) << wanted;
    EXPECT_EQ(target.images[0].platform, "linux/arm64/v8");
    EXPECT_NE(target.images[0].Find("/arm64-only"), nullptr);
    EXPECT_EQ(target.images[0].Find("/amd64-only"), nullptr);
  }
}

TEST(PlatformTest, NoMatchNamesAvailablePlatforms) {
  TempDir dir;
  WriteMultiPlatformOciTar(TwoPlatforms(), dir.File("multi.tar"));
  ImageReadOptions options;
  options.platform = "linux/s390x";
  EXPECT_EQ(ReadError(dir.File("multi.tar"), options),
            "no image for platform linux/s390x (available: linux/amd64 linux/arm64/v8)");
  options.platform = "linux";
  EXPECT_EQ(ReadError(dir.File("multi.tar"), options),
            "invalid platform \"linux\" (expected os/arch[/variant])");
}

TEST(PlatformTest, SingleImageHasNoPlatform) {
  TempDir dir;
  WriteDockerSaveTar(PlatformImage("arm64", "v8", "x"), dir.File("save.tar"));
  ImageReadOptions options;
  options.platform = "linux/amd64";
  EXPECT_EQ(ReadError(dir.File("save.tar"), options),
            "no image for platform linux/amd64 (available: linux/arm64/v8)");
  ImageTarget target;
  std::string err;
  ASSERT_TRUE(Read(dir.File("save.tar"), &target, &err)) << err;
  EXPECT_EQ(target.images.at(0).platform, "");
  EXPECT_EQ(target.images[0].config.variant, "v8");
}

TEST(LooksLikeImageTest, DetectsByContent) {
  TempDir dir;
  WriteOciTar(SampleImage(Compression::kGzip), dir.File("image.bin"));
  WriteOciDir(SampleImage(Compression::kGzip), dir.File("layout"));
  WriteFileBytes(dir.File("Dockerfile"), "FROM scratch\n");
  EXPECT_TRUE(LooksLikeImage(dir.File("image.bin")));
  EXPECT_TRUE(LooksLikeImage(dir.File("layout")));
  EXPECT_TRUE(LooksLikeImage("-"));
  EXPECT_FALSE(LooksLikeImage(dir.File("Dockerfile")));
  EXPECT_FALSE(LooksLikeImage(dir.path()));
  EXPECT_FALSE(LooksLikeImage(dir.File("missing")));
}

}  // namespace
}  // namespace imglint
