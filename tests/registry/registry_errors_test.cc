// SPDX-License-Identifier: Apache-2.0
// Issue 12, end to end through the real CLI: every way a registry target can
// fail gives exit 2 and a clear error for that target, while a good tarball
// given beside it is still linted and reported.
//
// The CLI contract these tests assume ("chosen" where the issue is silent):
// - The error is targets[i].error in --format json (and "imglint: TARGET:
//   error" on stderr, as for files).
// - Unreachable registry (nothing listens): the error names HOST:PORT and
//   says the connection was refused / the registry is unreachable.
// - A tag that does not exist: the error names the tag and says the manifest
//   is unknown or not found. A repository that does not exist: the error
//   names the repository and says unknown or not found (distribution 2.8
//   answers a manifest GET in an unknown repository with MANIFEST_UNKNOWN,
//   not NAME_UNKNOWN, so either wording is accepted).
// - A blob whose bytes do not match its digest: the error names the digest
//   the manifest gave and says "digest mismatch" (as file mode's "blob D:
//   digest mismatch (got …)").
// - A layer whose bytes are longer or shorter than its descriptor's size:
//   the error names the layer digest and says "size" (chosen: checked
//   while streaming, so a registry sending more bytes than declared is cut
//   off; issue 13).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;

// A good tarball (its own image) beside each failing reference.
class RegistryErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    good_ = dir_.File("good.tar");
    WriteOciTar(LintableImage("good"), good_);
  }

  // Lints the good tarball and `ref`; returns `ref`'s error after checking
  // exit 2 and that the tarball was still linted.
  std::string ErrorBesideGoodTarball(const std::string& ref) {
    LintRun run = LintJson(dir_, {good_, ref});
    std::string error = FailedWith(run, ref);
    EXPECT_TRUE(Reported(run, good_)) << "the other target must still be reported";
    ExpectLintableImageRules(run.report, good_);
    EXPECT_THAT(run.result.err, HasSubstr(ref)) << "stderr names the failing target";
    return error;
  }

  // LintableImage(repo) pushed to the plain registry as REPO:1.
  WrittenImage PushToPlain(const std::string& repo, PushedImage* pushed = nullptr) {
    std::string tarball = dir_.File(repo + ".tar");
    WrittenImage w = WriteOciTar(LintableImage(repo), tarball);
    PushedImage p = PushImage("oci-archive:" + tarball, plain_, repo + ":1");
    if (pushed != nullptr) *pushed = p;
    return w;
  }

  TempDir dir_;
  std::string good_;
  const Registry& plain_ = GetRegistry("plain");
};

TEST_F(RegistryErrorTest, UnreachableRegistry) {
  std::string host = "127.0.0.1:" + std::to_string(ClosedPort());
  std::string error = ErrorBesideGoodTarball("docker://" + host + "/app:1");
  EXPECT_THAT(error, HasSubstr(host));
  EXPECT_TRUE(ContainsAny(error, {"refused", "unreachable", "connect"})) << error;
}

TEST_F(RegistryErrorTest, ManifestUnknown) {
  std::string repo = UniqueName("err-tag");
  PushToPlain(repo);
  std::string error = ErrorBesideGoodTarball(plain_.DockerRef(repo + ":no-such-tag"));
  EXPECT_THAT(error, HasSubstr("no-such-tag"));
  EXPECT_TRUE(ContainsAny(error, {"manifest unknown", "unknown manifest", "not found"})) << error;
}

TEST_F(RegistryErrorTest, RepositoryUnknown) {
  std::string repo = UniqueName("err-never-pushed");
  std::string error = ErrorBesideGoodTarball(plain_.DockerRef(repo + ":1"));
  EXPECT_THAT(error, HasSubstr(repo));
  EXPECT_TRUE(ContainsAny(error, {"unknown", "not found"})) << error;
}

TEST_F(RegistryErrorTest, DigestUnknown) {
  std::string repo = UniqueName("err-digest-unknown");
  PushToPlain(repo);
  std::string digest = DigestOf("no such manifest");
  std::string error = ErrorBesideGoodTarball(plain_.DockerRef(repo + "@" + digest));
  EXPECT_THAT(error, HasSubstr(digest));
  EXPECT_TRUE(ContainsAny(error, {"unknown", "not found"})) << error;
}

// The layer file in the registry's storage gets one byte of the gzip header's
// MTIME flipped: still valid gzip with the same tar inside, so the only thing
// wrong is the digest.
TEST_F(RegistryErrorTest, BlobDigestMismatch) {
  std::string repo = UniqueName("err-corrupt");
  WrittenImage w = PushToPlain(repo);
  std::string file = plain_.BlobFile(w.layer_digests[0]);
  std::string bytes = ReadFileBytes(file);
  ASSERT_EQ(bytes.substr(0, 2), "\x1f\x8b");
  bytes[4] ^= 0x01;
  WriteFileBytes(file, bytes);
  std::string error = ErrorBesideGoodTarball(plain_.DockerRef(repo + ":1"));
  EXPECT_THAT(error, HasSubstr(w.layer_digests[0]));
  EXPECT_THAT(error, HasSubstr("digest mismatch"));
}

// A hand-written OCI manifest (PUT with curl) naming the pushed config and
// layer, with the layer's size off by `delta`.
std::string PushWrongSizeManifest(const Registry& registry, const std::string& repo,
                                  const PushedImage& pushed, std::int64_t delta) {
  json m = json::parse(pushed.manifest);
  std::int64_t size = m["layers"][0]["size"];
  m["layers"][0]["size"] = size + delta;
  std::string tag = delta > 0 ? "too-big" : "too-small";
  EXPECT_EQ(
      PutManifest(registry, repo, tag, "application/vnd.oci.image.manifest.v1+json", m.dump()),
      201);
  return tag;
}

TEST_F(RegistryErrorTest, LayerLongerThanItsDescriptor) {
  std::string repo = UniqueName("err-size-short");
  PushedImage pushed;
  WrittenImage w = PushToPlain(repo, &pushed);
  std::string tag = PushWrongSizeManifest(plain_, repo, pushed, -1);
  std::string error = ErrorBesideGoodTarball(plain_.DockerRef(repo + ":" + tag));
  EXPECT_THAT(error, HasSubstr(w.layer_digests[0]));
  EXPECT_THAT(error, HasSubstr("size"));
}

TEST_F(RegistryErrorTest, LayerShorterThanItsDescriptor) {
  std::string repo = UniqueName("err-size-long");
  PushedImage pushed;
  WrittenImage w = PushToPlain(repo, &pushed);
  std::string tag = PushWrongSizeManifest(plain_, repo, pushed, +100);
  std::string error = ErrorBesideGoodTarball(plain_.DockerRef(repo + ":" + tag));
  EXPECT_THAT(error, HasSubstr(w.layer_digests[0]));
  EXPECT_THAT(error, HasSubstr("size"));
}

}  // namespace
}  // namespace imglint::testing
