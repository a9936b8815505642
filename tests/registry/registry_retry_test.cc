// SPDX-License-Identifier: Apache-2.0
// Issue 12's "retries with backoff on 429/5xx honouring Retry-After", end to
// end through the real CLI: images are pushed to the plain registry and
// pulled through the `flaky` server in front of it
// (tests/infra/flaky_server.py), whose repository names script failures:
// "503-manifests-1/app" fails the first manifest GET with 503, and so on.
// The server logs every request with time.monotonic() stamps, so the tests
// see each attempt and the wait before it. Timing is asserted as a lower
// bound only.
//
// The CLI contract these tests assume (the client's defaults: 4 attempts,
// backoff 1 s doubling, Retry-After capped at 60 s):
// - 429 and 5xx answers are retried, after Retry-After when the answer has
//   one, else after the backoff; the lint then succeeds as if nothing
//   happened.
// - A registry that keeps failing: exit 2, the error names the status and
//   says "gave up after 4 attempts".
// - A manifest or config whose body breaks off is fetched again (nothing has
//   read it yet). A layer whose body breaks off mid-stream is not (the
//   decoder has consumed the bytes before the break): exit 2, the error names
//   the layer digest, how far it got, and that it was not retried.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class RegistryRetryTest : public ::testing::Test {
 protected:
  // LintableImage pushed to the plain registry as SCRIPT/retry-XXXX:1, so
  // that pulling it through the flaky server fails as SCRIPT says. Returns
  // the repository.
  std::string Push(const std::string& script) {
    repo_ = script + "/" + UniqueName("retry");
    tarball_ = dir_.File("image.tar");
    written_ = WriteOciTar(LintableImage(repo_), tarball_);
    PushImage("oci-archive:" + tarball_, plain_, repo_ + ":1");
    return repo_;
  }

  LintRun Lint() { return LintJson(dir_, {Ref()}); }
  std::string Ref() const { return flaky_.DockerRef(repo_ + ":1"); }

  // The flaky server's log entries for one path of the repository.
  std::vector<json> Requests(const std::string& path) const {
    return LogEntries(flaky_.request_log, "path", "/v2/" + repo_ + path);
  }
  std::vector<json> ManifestRequests() const { return Requests("/manifests/1"); }
  std::vector<json> BlobRequests(const std::string& digest) const {
    return Requests("/blobs/" + digest);
  }

  // The lint succeeded and found what the tarball has.
  void ExpectLintedLikeTheTarball(const LintRun& run) {
    ASSERT_TRUE(Linted(run, Ref()));
    LintRun file = LintJson(dir_, {tarball_});
    EXPECT_EQ(ComparableFindings(run.report, Ref()), ComparableFindings(file.report, tarball_));
    ExpectLintableImageRules(run.report, Ref());
  }

  TempDir dir_;
  const Registry& plain_ = GetRegistry("plain");
  const Registry& flaky_ = GetRegistry("flaky");
  std::string repo_;
  std::string tarball_;
  WrittenImage written_;
};

// Seconds between the starts of two logged requests.
double Gap(const json& first, const json& second) {
  return second["start"].get<double>() - first["start"].get<double>();
}

TEST_F(RegistryRetryTest, FlakyServerForwardsToThePlainRegistry) {
  EXPECT_EQ(flaky_.upstream, plain_.host);
  EXPECT_EQ(flaky_.storage, plain_.storage);
}

// Retry-After: 2 is longer than the first backoff (1 s): a client that
// ignored it would come back after 1 s, which the lower bound catches.
TEST_F(RegistryRetryTest, RateLimitedManifestIsFetchedAgainAfterRetryAfter) {
  Push("429-manifests-1");
  LintRun run = Lint();
  ExpectLintedLikeTheTarball(run);
  std::vector<json> requests = ManifestRequests();
  ASSERT_THAT(requests, SizeIs(2)) << json(requests).dump(1);
  EXPECT_EQ(requests[0]["status"], 429);
  EXPECT_EQ(requests[0]["fault"], "429");
  EXPECT_EQ(requests[1]["status"], 200);
  EXPECT_GE(Gap(requests[0], requests[1]), 1.9) << "Retry-After: 2 was not honoured";
}

// 503 and 500 without Retry-After: the backoff (1 s) before each retry; a
// layer GET that failed before any byte arrived is retried like any request.
TEST_F(RegistryRetryTest, ServerErrorsOnManifestAndLayerAreRetriedWithBackoff) {
  Push("503-manifests-1.500-layers-1");
  LintRun run = Lint();
  ExpectLintedLikeTheTarball(run);
  std::vector<json> manifest = ManifestRequests();
  ASSERT_THAT(manifest, SizeIs(2)) << json(manifest).dump(1);
  EXPECT_EQ(manifest[0]["status"], 503);
  EXPECT_EQ(manifest[1]["status"], 200);
  EXPECT_GE(Gap(manifest[0], manifest[1]), 0.95) << "retried without backing off";
  std::vector<json> layer = BlobRequests(written_.layer_digests[0]);
  ASSERT_THAT(layer, SizeIs(2)) << json(layer).dump(1);
  EXPECT_EQ(layer[0]["status"], 500);
  EXPECT_EQ(layer[1]["status"], 200);
  EXPECT_GE(Gap(layer[0], layer[1]), 0.95) << "retried without backing off";
  // The config was not scripted to fail: one request.
  EXPECT_THAT(BlobRequests(written_.config_digest), SizeIs(1));
}

// Retry-After: 0 keeps this quick; the count of attempts is what matters.
TEST_F(RegistryRetryTest, RegistryThatAlwaysAnswers503GivesUpAfterFourAttempts) {
  Push("503now-manifests-always");
  LintRun run = Lint();
  std::string error = FailedWith(run, Ref());
  EXPECT_THAT(error, HasSubstr("503"));
  EXPECT_THAT(error, HasSubstr("gave up after 4 attempts"));
  EXPECT_THAT(error, HasSubstr(flaky_.host));
  EXPECT_THAT(run.result.err, HasSubstr("gave up after 4 attempts"));
  std::vector<json> requests = ManifestRequests();
  EXPECT_THAT(requests, SizeIs(4)) << json(requests).dump(1);
  for (const json& r : requests) EXPECT_EQ(r["status"], 503);
}

TEST_F(RegistryRetryTest, ManifestCutMidBodyIsFetchedAgain) {
  Push("cut-manifests-1");
  LintRun run = Lint();
  ExpectLintedLikeTheTarball(run);
  std::vector<json> requests = ManifestRequests();
  ASSERT_THAT(requests, SizeIs(2)) << json(requests).dump(1);
  EXPECT_EQ(requests[0]["cut"], true);
  EXPECT_EQ(requests[1]["status"], 200);
  EXPECT_EQ(requests[1].value("cut", false), false);
}

// The layer's connection breaks after half its bytes, every time: the
// decoder already consumed them, so the client reports instead of retrying.
TEST_F(RegistryRetryTest, LayerCutMidStreamNamesTheLayerAndIsNotRetried) {
  Push("cut-layers-always");
  LintRun run = Lint();
  std::string error = FailedWith(run, Ref());
  const std::string& layer = written_.layer_digests[0];
  EXPECT_THAT(error, HasSubstr(layer));
  EXPECT_THAT(error, HasSubstr(flaky_.host));
  EXPECT_THAT(error, HasSubstr("not retried"));
  std::vector<json> requests = BlobRequests(layer);
  ASSERT_THAT(requests, SizeIs(1)) << json(requests).dump(1);
  EXPECT_EQ(requests[0]["cut"], true);
  // "after N of M bytes": how far the layer got.
  const std::string progress = "after " + std::to_string(requests[0]["bytes"].get<long>()) + " of ";
  EXPECT_THAT(error, HasSubstr(progress));
}

}  // namespace
}  // namespace imglint::testing
