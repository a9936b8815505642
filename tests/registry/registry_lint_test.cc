// SPDX-License-Identifier: Apache-2.0
// Issue 12, end to end through the real CLI: `imglint docker://HOST/REPO:TAG`
// against a real registry (Debian's docker-registry, pushed to with skopeo)
// gives the same findings as the same image saved to a tarball.
//
// The CLI contract these tests assume (choices where the issue is silent are
// marked "chosen", following what a Trivy or Docker user would expect):
// - `docker://HOST/REPO:TAG` and `docker://HOST/REPO@sha256:…` are image
//   targets. In --format json, targets[i].path is the target exactly as
//   typed, kind is "image", error is null, and the additive field
//   targets[i].source is a string naming the registry: it contains HOST
//   (e.g. "registry 127.0.0.1:5000").
// - Findings are those of the same image read from a file; location.path is
//   the target as typed (as for files), fingerprint may differ (it is derived
//   from the path), and location.layer_digest is the layer's digest as the
//   manifest names it (so the compressed blob's, as for OCI tarballs).
// - OCI and Docker v2s2 manifests, gzip and zstd layers are read alike.
// - Multi-platform: --platform os/arch[/variant] picks that image of the
//   index. Without --platform a registry reference lints only the host's
//   platform (chosen: docker pull and trivy image do this; a multi-platform
//   tarball still lints every platform, as today). A platform not in the
//   index: exit 2, the error names the platform asked for and lists the
//   available ones as os/arch.
// - Exit codes as for files: 0 or 1 from --fail-on, 2 when a target cannot
//   be read (other targets are still reported).
// - The text output names where the image came from: it says "registry"
//   and HOST besides the target (e.g. "docker://HOST/app:1 (image from
//   registry HOST)"); the repository names used here never contain
//   "registry", so the word must come from imglint.
// - Loopback registries (127.0.0.0/8) may speak plain HTTP without any flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// The OCI tarball of LintableImage(marker) and its push to `registry`.
struct Pushed {
  std::string tarball;
  WrittenImage written;
  PushedImage pushed;
};

Pushed PushLintable(const TempDir& dir, const Registry& registry, const std::string& repo,
                    const PushOptions& options = {}, Compression compression = Compression::kGzip) {
  Pushed p;
  p.tarball = dir.File("image.tar");
  p.written = WriteOciTar(LintableImage(repo, "amd64", compression), p.tarball);
  p.pushed = PushImage("oci-archive:" + p.tarball, registry, repo + ":1", options);
  return p;
}

std::string HostArch() {
  utsname u{};
  ::uname(&u);
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  return "";
}

TEST(RegistryLintTest, OciGzipSameFindingsAsTarball) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-oci");
  Pushed p = PushLintable(dir, plain, repo, {.format = PushFormat::kOci});
  ExpectSameFindings(dir, {.tarball = p.tarball, .reference = plain.DockerRef(repo + ":1")});
}

TEST(RegistryLintTest, JsonTargetNamesTheRegistrySource) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-source");
  PushLintable(dir, plain, repo);
  std::string ref = plain.DockerRef(repo + ":1");
  LintRun run = LintJson(dir, {ref});
  ASSERT_TRUE(Linted(run, ref));
  json target = TargetOf(run.report, ref);
  EXPECT_EQ(target["path"], ref);
  EXPECT_EQ(target["kind"], "image");
  ASSERT_TRUE(target.contains("source") && target["source"].is_string()) << target.dump();
  EXPECT_THAT(target["source"].get<std::string>(), HasSubstr(plain.host));
  for (const json& f : run.report["findings"]) EXPECT_EQ(f["location"]["path"], ref);
}

TEST(RegistryLintTest, TextOutputNamesTheRegistry) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-text");
  PushLintable(dir, plain, repo);
  std::string ref = plain.DockerRef(repo + ":1");
  CliResult r = RunImglintWithEnv({"--format", "text", "--color", "never", ref}, IsolatedEnv(dir));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // IL101 is an error
  // The target itself contains HOST; the source must be said as well.
  EXPECT_THAT(r.out, HasSubstr(plain.host));
  EXPECT_THAT(Lower(r.out), HasSubstr("registry"));
  EXPECT_THAT(r.out, HasSubstr("/usr/bin/su-amd64"));
}

TEST(RegistryLintTest, PinnedByDigest) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-digest");
  Pushed p = PushLintable(dir, plain, repo);
  ExpectSameFindings(
      dir, {.tarball = p.tarball, .reference = plain.DockerRef(repo + "@" + p.pushed.digest)});
}

TEST(RegistryLintTest, V2s2ManifestSameFindings) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-v2s2");
  Pushed p = PushLintable(dir, plain, repo, {.format = PushFormat::kV2s2});
  ASSERT_EQ(json::parse(p.pushed.manifest)["mediaType"],
            "application/vnd.docker.distribution.manifest.v2+json");
  ExpectSameFindings(dir, {.tarball = p.tarball, .reference = plain.DockerRef(repo + ":1")});
}

// docker save's tarball (uncompressed layer.tar) against what skopeo made of
// it in the registry (v2s2, gzip): the layer digests differ by compression.
TEST(RegistryLintTest, V2s2FromDockerSaveSameFindings) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-docker-save");
  std::string tarball = dir.File("docker-save.tar");
  WriteDockerSaveTar(LintableImage(repo, "amd64", Compression::kNone), tarball);
  PushImage("docker-archive:" + tarball, plain, repo + ":1", {.format = PushFormat::kV2s2});
  ExpectSameFindings(dir, {.tarball = tarball,
                           .reference = plain.DockerRef(repo + ":1"),
                           .compare = {.ignore_layer_digests = true}});
}

TEST(RegistryLintTest, ZstdLayersSameFindings) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-zstd");
  Pushed p = PushLintable(dir, plain, repo,
                          {.format = PushFormat::kOci, .compression = PushCompression::kZstd},
                          Compression::kZstd);
  ASSERT_EQ(json::parse(p.pushed.manifest)["layers"][0]["mediaType"],
            "application/vnd.oci.image.layer.v1.tar+zstd");
  ExpectSameFindings(dir, {.tarball = p.tarball, .reference = plain.DockerRef(repo + ":1")});
}

// gzip in the tarball, zstd in the registry (skopeo recompressed it).
TEST(RegistryLintTest, RecompressedToZstdSameFindings) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  std::string repo = UniqueName("lint-rezstd");
  Pushed p = PushLintable(dir, plain, repo,
                          {.format = PushFormat::kOci, .compression = PushCompression::kZstd});
  ASSERT_EQ(json::parse(p.pushed.manifest)["layers"][0]["mediaType"],
            "application/vnd.oci.image.layer.v1.tar+zstd");
  ExpectSameFindings(dir, {.tarball = p.tarball,
                           .reference = plain.DockerRef(repo + ":1"),
                           .compare = {.ignore_layer_digests = true}});
}

// A two-platform index; each platform has a setuid file of its own name, so
// the findings say which image was read.
struct MultiPlatform {
  std::string tarball;
  std::vector<WrittenImage> written;
  std::string reference;
};

MultiPlatform PushMultiPlatform(const TempDir& dir, const std::string& repo) {
  MultiPlatform m;
  m.tarball = dir.File("multi.tar");
  m.written = WriteMultiPlatformOciTar({{"linux/amd64", LintableImage(repo, "amd64")},
                                        {"linux/arm64", LintableImage(repo, "arm64")}},
                                       m.tarball, {.nested_index = true});
  PushImage("oci-archive:" + m.tarball, GetRegistry("plain"), repo + ":1", {.all = true});
  m.reference = GetRegistry("plain").DockerRef(repo + ":1");
  return m;
}

TEST(RegistryLintTest, MultiPlatformIndexWithPlatformArm64) {
  TempDir dir;
  std::string repo = UniqueName("lint-multi");
  MultiPlatform m = PushMultiPlatform(dir, repo);
  ExpectSameFindings(dir, {.tarball = m.tarball,
                           .reference = m.reference,
                           .common_args = {"--platform", "linux/arm64"}});
  LintRun run = LintJson(dir, {"--platform", "linux/arm64", m.reference});
  EXPECT_THAT(ImagePaths(run.report, m.reference), Contains("/usr/bin/su-arm64"));
  EXPECT_THAT(ImagePaths(run.report, m.reference), Not(Contains("/usr/bin/su-amd64")));
}

TEST(RegistryLintTest, MultiPlatformIndexWithoutPlatformPicksTheHost) {
  std::string arch = HostArch();
  if (arch.empty()) GTEST_SKIP() << "the test image has amd64 and arm64 only";
  std::string other = arch == "amd64" ? "arm64" : "amd64";
  TempDir dir;
  std::string repo = UniqueName("lint-multi-host");
  MultiPlatform m = PushMultiPlatform(dir, repo);
  LintRun run = LintJson(dir, {m.reference});
  ASSERT_TRUE(Linted(run, m.reference));
  EXPECT_THAT(ImagePaths(run.report, m.reference), Contains("/usr/bin/su-" + arch));
  EXPECT_THAT(ImagePaths(run.report, m.reference), Not(Contains("/usr/bin/su-" + other)));
  // The same as the file's image for linux/<host arch>.
  LintRun file = LintJson(dir, {"--platform", "linux/" + arch, m.tarball});
  ASSERT_TRUE(Linted(file, m.tarball));
  EXPECT_EQ(ComparableFindings(run.report, m.reference),
            ComparableFindings(file.report, m.tarball));
}

TEST(RegistryLintTest, PlatformNotInTheIndex) {
  TempDir dir;
  std::string repo = UniqueName("lint-multi-missing");
  MultiPlatform m = PushMultiPlatform(dir, repo);
  LintRun run = LintJson(dir, {"--platform", "linux/s390x", m.reference});
  std::string error = FailedWith(run, m.reference);
  EXPECT_THAT(error, HasSubstr("linux/s390x"));
  EXPECT_THAT(error, HasSubstr("linux/amd64"));
  EXPECT_THAT(error, HasSubstr("linux/arm64"));
}

// One platform's manifest pinned by digest: no index on the way, no --platform needed.
TEST(RegistryLintTest, MultiPlatformPinnedByDigest) {
  TempDir dir;
  std::string repo = UniqueName("lint-multi-digest");
  MultiPlatform m = PushMultiPlatform(dir, repo);
  std::string arm = GetRegistry("plain").DockerRef(repo + "@" + m.written[1].manifest_digest);
  LintRun run = LintJson(dir, {arm});
  ASSERT_TRUE(Linted(run, arm));
  EXPECT_THAT(ImagePaths(run.report, arm), Contains("/usr/bin/su-arm64"));
}

}  // namespace
}  // namespace imglint::testing
