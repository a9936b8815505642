// SPDX-License-Identifier: Apache-2.0
// Issue 12, end to end through the real CLI: the manifest and config cache
// under $XDG_CACHE_HOME/imglint, and --offline.
//
// The CLI contract these tests assume ("chosen" where the issue is silent):
// - An online run of docker://HOST/REPO:TAG caches the manifest (the tag's
//   resolution too) and the config under $XDG_CACHE_HOME/imglint, never the
//   layers.
// - `--offline` uses only the cache and local sources, and never the
//   network. With nothing cached: exit 2, the error says the image is "not
//   cached". With the manifest and config cached but not the layers (which a
//   lint needs): exit 2, the error says the layer is "not cached" and names
//   the layer's digest (chosen: proof that the manifest and config came from
//   the cache).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(RegistryCacheTest, OfflineWithAnEmptyCache) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("cache-empty");
  WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  PushImage("oci-archive:" + dir.File("image.tar"), plain, repo + ":1");
  std::string ref = plain.DockerRef(repo + ":1");
  LintRun run = LintJson(dir, {"--offline", dir.File("image.tar"), ref});
  std::string error = FailedWith(run, ref);
  EXPECT_THAT(Lower(error), HasSubstr("not cached"));
  EXPECT_TRUE(Reported(run, dir.File("image.tar"))) << "local targets work offline";
}

TEST(RegistryCacheTest, OfflineAfterAnOnlineRunHasManifestAndConfigButNoLayers) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("cache-warm");
  std::string tarball = dir.File("image.tar");
  WrittenImage w = WriteOciTar(LintableImage(repo), tarball);
  PushImage("oci-archive:" + tarball, plain, repo + ":1");
  std::string ref = plain.DockerRef(repo + ":1");

  LintRun online = LintJson(dir, {ref});
  ASSERT_TRUE(Linted(online, ref));
  ASSERT_TRUE(std::filesystem::is_directory(dir.File("cache/imglint")))
      << "nothing cached under $XDG_CACHE_HOME/imglint";
  std::string layer = ReadFileBytes(plain.BlobFile(w.layer_digests[0]));
  EXPECT_THAT(FilesContaining(dir.File("cache"), layer), IsEmpty()) << "layers are not cached";

  // The repository disappears from the registry: an offline run that still
  // gets past the manifest and config took them from the cache.
  std::filesystem::remove_all(plain.storage + "/docker/registry/v2/repositories/" + repo);
  LintRun offline = LintJson(dir, {"--offline", ref});
  std::string error = FailedWith(offline, ref);
  EXPECT_THAT(Lower(error), HasSubstr("not cached"));
  EXPECT_THAT(error, HasSubstr(w.layer_digests[0]));
}

}  // namespace
}  // namespace imglint::testing
