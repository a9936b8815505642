// SPDX-License-Identifier: Apache-2.0
// The final merged filesystem: whiteouts, opaque directories, replacement,
// hard links, symlinks and /etc/passwd resolution, read from real OCI
// tarballs written by the test image builder.
#include "analyzer/image/merged_fs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/image/image_test_util.h"

namespace imglint {
namespace {

using namespace imglint::testing;  // NOLINT: builder vocabulary

// Writes `layers` as an OCI tarball and returns the single image read back.
Image ReadLayers(std::vector<LayerSpec> layers) {
  ImageSpec spec;
  spec.layers = std::move(layers);
  TempDir dir;
  WriteOciTar(spec, dir.File("oci.tar"));
  ImageTarget target;
  std::string err;
  EXPECT_TRUE(ReadImage(dir.File("oci.tar"), {}, &target, &err)) << err;
  if (target.images.size() != 1) return {};
  return std::move(target.images[0]);
}

std::vector<std::string> Paths(const Image& image) {
  std::vector<std::string> paths;
  for (const auto& f : image.files) paths.push_back(f.path);
  return paths;
}

TEST(WhiteoutTest, RemovesFile) {
  Image image = ReadLayers(
      {{.entries = {Dir("/usr/sbin"), File("/usr/sbin/old", 04755), File("/usr/sbin/keep", 0755)}},
       {.entries = {Whiteout("/usr/sbin/old")}}});
  EXPECT_THAT(Paths(image), ::testing::ElementsAre("/usr/sbin", "/usr/sbin/keep"));
}

TEST(WhiteoutTest, RemovesDirectorySubtree) {
  Image image = ReadLayers({{.entries = {Dir("/opt/tool"), Dir("/opt/tool/bin"),
                                         File("/opt/tool/bin/su", 04755), File("/opt/toolbox")}},
                            {.entries = {Whiteout("/opt/tool")}}});
  // "/opt/toolbox" shares the prefix but is not inside the directory.
  EXPECT_THAT(Paths(image), ::testing::ElementsAre("/opt/toolbox"));
}

TEST(WhiteoutTest, OpaqueHidesLowerKeepsSameLayer) {
  Image image =
      ReadLayers({{.entries = {Dir("/var/lib"), File("/var/lib/lower", 04755), Dir("/var/lib/sub"),
                               File("/var/lib/sub/deep"), File("/var/libx")}},
                  // The marker comes after the new entries on purpose: order in the tar
                  // must not matter.
                  {.entries = {Dir("/var/lib"), File("/var/lib/upper"), Opaque("/var/lib")}}});
  EXPECT_THAT(Paths(image), ::testing::ElementsAre("/var/lib", "/var/lib/upper", "/var/libx"));
  EXPECT_EQ(image.Find("/var/lib/upper")->layer, 1);
}

TEST(WhiteoutTest, WhiteoutThenRecreateInLaterLayer) {
  Image image = ReadLayers({{.entries = {File("/etc/app.conf", 0600)}},
                            {.entries = {Whiteout("/etc/app.conf")}},
                            {.entries = {File("/etc/app.conf", 0644)}}});
  ASSERT_NE(image.Find("/etc/app.conf"), nullptr);
  EXPECT_EQ(image.Find("/etc/app.conf")->mode, 0644u);
  EXPECT_EQ(image.Find("/etc/app.conf")->layer, 2);
}

TEST(ReplaceTest, ChmodInLaterLayerWins) {
  Image image = ReadLayers(
      {{.entries = {File("/usr/bin/su", 04755)}}, {.entries = {File("/usr/bin/su", 0755)}}});
  ASSERT_NE(image.Find("/usr/bin/su"), nullptr);
  EXPECT_EQ(image.Find("/usr/bin/su")->mode, 0755u);
  EXPECT_EQ(image.Find("/usr/bin/su")->layer, 1);
  EXPECT_EQ(image.LayerDigest(*image.Find("/usr/bin/su")), image.layers[1].digest);
}

TEST(ReplaceTest, FileReplacingDirectoryDropsSubtree) {
  Image image = ReadLayers(
      {{.entries = {Dir("/data"), File("/data/suid", 04755)}}, {.entries = {File("/data", 0644)}}});
  EXPECT_THAT(Paths(image), ::testing::ElementsAre("/data"));
  EXPECT_EQ(image.Find("/data")->type, FileType::kRegular);
}

TEST(ReplaceTest, DirectoryReplacingFile) {
  Image image = ReadLayers(
      {{.entries = {File("/data", 04755)}}, {.entries = {Dir("/data", 0700), File("/data/x")}}});
  EXPECT_EQ(image.Find("/data")->type, FileType::kDirectory);
  EXPECT_EQ(image.Find("/data")->mode, 0700u);
  EXPECT_NE(image.Find("/data/x"), nullptr);
}

TEST(HardlinkTest, SharesTargetModeAndCaps) {
  Image image =
      ReadLayers({{.entries = {File("/bin/su", 04755).WithOwner(0, 0),
                               File("/bin/ping", 0755).WithCaps(CapV2({"cap_net_raw"}, true))}},
                  {.entries = {Hardlink("/bin/su2", "/bin/su"), Hardlink("/bin/ping2", "/bin/ping"),
                               Hardlink("/bin/su3", "/bin/su2")}}});
  const FileEntry* su2 = image.Find("/bin/su2");
  ASSERT_NE(su2, nullptr);
  EXPECT_EQ(su2->type, FileType::kHardlink);
  EXPECT_EQ(su2->link_target, "/bin/su");
  EXPECT_EQ(su2->mode, 04755u);
  EXPECT_EQ(su2->layer, 1);
  EXPECT_EQ(image.Find("/bin/ping2")->capabilities, "cap_net_raw=ep");
  EXPECT_EQ(image.Find("/bin/su3")->mode, 04755u);  // link to a link
}

TEST(HardlinkTest, MissingOrSelfTargetDoesNotCrash) {
  Image image = ReadLayers(
      {{.entries = {Hardlink("/bin/ghost", "/bin/nowhere"), Hardlink("/bin/self", "/bin/self")}}});
  ASSERT_NE(image.Find("/bin/ghost"), nullptr);
  EXPECT_EQ(image.Find("/bin/ghost")->type, FileType::kHardlink);
  EXPECT_EQ(image.Find("/bin/ghost")->link_target, "/bin/nowhere");
  EXPECT_NE(image.Find("/bin/self"), nullptr);
}

TEST(PathTest, HostileNamesStayInsideRoot) {
  Image image = ReadLayers({{.entries = {File("/../../etc/evil", 04755), File("/a/./b//c")}}});
  EXPECT_NE(image.Find("/etc/evil"), nullptr);
  EXPECT_NE(image.Find("/a/b/c"), nullptr);
}

constexpr const char* kPasswd = "root:x:0:0::/root:/bin/sh\nweb:x:33:33::/var/www:/bin/false\n";

TEST(PasswdTest, ThroughRelativeSymlink) {
  Image image = ReadLayers({{.entries = {Dir("/opt"), File("/opt/passwd", 0644, kPasswd),
                                         Dir("/etc"), Symlink("/etc/passwd", "../opt/passwd")}}});
  ASSERT_TRUE(image.passwd.has_value());
  EXPECT_EQ(*image.passwd, kPasswd);
  EXPECT_EQ(image.Find("/etc/passwd")->type, FileType::kSymlink);  // kept as a link
}

TEST(PasswdTest, ThroughAbsoluteSymlinkedDirectory) {
  // /etc -> /srv/etc; the absolute target is relative to the image root.
  Image image = ReadLayers(
      {{.entries = {Dir("/srv/etc"), File("/srv/etc/passwd", 0644, kPasswd),
                    File("/srv/etc/group", 0644, "root:x:0:\n"), Symlink("/etc", "/srv/etc")}}});
  ASSERT_TRUE(image.passwd.has_value());
  EXPECT_EQ(*image.passwd, kPasswd);
  EXPECT_EQ(image.group, "root:x:0:\n");
}

TEST(PasswdTest, DotDotNeverLeavesTheImage) {
  Image image = ReadLayers({{.entries = {File("/passwd", 0644, kPasswd), Dir("/etc"),
                                         Symlink("/etc/passwd", "../../../../passwd")}}});
  EXPECT_EQ(image.passwd, kPasswd);
}

TEST(PasswdTest, SymlinkLoopEndsWithoutPasswd) {
  Image image = ReadLayers({{.entries = {Dir("/etc"), Symlink("/etc/passwd", "/etc/passwd2"),
                                         Symlink("/etc/passwd2", "passwd")}}});
  EXPECT_FALSE(image.passwd.has_value());
  EXPECT_EQ(image.Find("/etc/passwd")->type, FileType::kSymlink);
}

TEST(PasswdTest, LaterLayerVersionWinsAndWhiteoutRemoves) {
  Image replaced = ReadLayers({{.entries = {File("/etc/passwd", 0644, "old:x:0:0::/:\n")}},
                               {.entries = {File("/etc/passwd", 0644, kPasswd)}}});
  EXPECT_EQ(replaced.passwd, kPasswd);
  Image removed = ReadLayers(
      {{.entries = {File("/etc/passwd", 0644, kPasswd)}}, {.entries = {Whiteout("/etc/passwd")}}});
  EXPECT_FALSE(removed.passwd.has_value());
}

TEST(PasswdTest, HardlinkedPasswd) {
  Image image = ReadLayers(
      {{.entries = {File("/etc/passwd.real", 0644, kPasswd), File("/x/passwd", 0644, kPasswd),
                    Hardlink("/etc/passwd", "/x/passwd")}}});
  EXPECT_EQ(image.passwd, kPasswd);
}

// MergedFs directly, with hand-made layer contents.
TEST(MergedFsTest, ResolvePathLoopAndRoot) {
  MergedFs fs;
  LayerContents layer;
  layer.entries.push_back({.path = "/a", .type = FileType::kSymlink, .link_target = "b"});
  layer.entries.push_back({.path = "/b", .type = FileType::kSymlink, .link_target = "/a"});
  layer.entries.push_back({.path = "/up", .type = FileType::kSymlink, .link_target = "../../.."});
  fs.ApplyLayer(0, layer);
  EXPECT_EQ(fs.ResolvePath("/a/x"), std::nullopt);
  EXPECT_EQ(fs.ResolvePath("/up/etc/passwd"), "/etc/passwd");
  EXPECT_EQ(fs.ResolvePath("/"), "/");
  EXPECT_EQ(fs.ResolvePath("/none/../etc"), "/etc");
}

}  // namespace
}  // namespace imglint
