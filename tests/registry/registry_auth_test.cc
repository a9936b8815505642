// SPDX-License-Identifier: Apache-2.0
// Issue 12, end to end through the real CLI: TLS, credentials and tokens
// against real registries (tests/infra/registry.sh), and redirects to blob
// storage on another host.
//
// The CLI contract these tests assume ("chosen" marks choices where the
// issue is silent, following what Docker, Podman and Trivy users expect):
// - TLS is verified (system CAs). `--registry-ca FILE` adds a PEM CA for
//   registry connections. Without it a registry with a private CA fails:
//   exit 2, the error says certificate, TLS or SSL.
// - `--insecure-registry HOST:PORT` (repeatable) lets that registry use TLS
//   without verification (or plain HTTP). Loopback may use plain HTTP anyway.
// - Credentials, each for its own registry domain "127.0.0.1:PORT":
//   $DOCKER_CONFIG/config.json `auths` ("auth": base64 user:password),
//   `credHelpers` (docker-credential-NAME on PATH, protocol of
//   docker-credential-helpers: `get`, server on stdin), Podman's auth.json
//   via $REGISTRY_AUTH_FILE, and `--username U --password-stdin` (chosen:
//   the flags apply to the registry of the docker:// targets; the password
//   is stdin up to a trailing newline, as `docker login --password-stdin`).
// - No credentials where the registry wants them: exit 2, and the error
//   says "authentication required", has the status "401" and names
//   HOST. A wrong password: exit 2, the error has "401" and names HOST.
// - Token auth (Bearer challenge): anonymous when there are no credentials,
//   Basic credentials sent to the realm when there are; chosen: imglint asks
//   for pull only (scope repository:REPO:pull, never push). Refused: exit 2
//   with "401" or "403" in the error.
// - Secrets are never printed (stdout, stderr, JSON) nor written (the cache
//   under $XDG_CACHE_HOME).
// - A blob redirect (307) to another host is followed without the
//   Authorization header (the blob host answers 403 to any).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// LintableImage(repo) pushed to `registry` as REPO:1; returns the tarball.
std::string PushLintable(const TempDir& dir, const Registry& registry, const std::string& repo,
                         WrittenImage* written = nullptr) {
  std::string tarball = dir.File("image.tar");
  WrittenImage w = WriteOciTar(LintableImage(repo), tarball);
  if (written != nullptr) *written = w;
  PushImage("oci-archive:" + tarball, registry, repo + ":1");
  return tarball;
}

// The secret shows up nowhere a user or a log could see it.
void ExpectSecretHidden(const TempDir& dir, const LintRun& run, const std::string& secret) {
  EXPECT_THAT(run.result.out, Not(HasSubstr(secret)));
  EXPECT_THAT(run.result.err, Not(HasSubstr(secret)));
  EXPECT_THAT(run.report.dump(), Not(HasSubstr(secret)));
  EXPECT_THAT(FilesContaining(dir.File("cache"), secret), IsEmpty());
  EXPECT_THAT(FilesContaining(dir.File("cache"), Base64("imglint-user:" + secret)), IsEmpty());
}

// {"auths": {HOST: {"auth": base64(user:password)}}}, Docker's and Podman's format.
std::string AuthsJson(const Registry& registry, const std::string& password) {
  json doc = {{"auths", {{registry.host, {{"auth", Base64(registry.username + ":" + password)}}}}}};
  return doc.dump();
}

// $DOCKER_CONFIG/config.json (IsolatedEnv points DOCKER_CONFIG at dir/docker).
void WriteDockerConfig(const TempDir& dir, const std::string& config_json) {
  std::filesystem::create_directories(dir.File("docker"));
  WriteFileBytes(dir.File("docker/config.json"), config_json);
}

// --- TLS -------------------------------------------------------------------

TEST(RegistryTlsTest, RegistryCaVerifiesTheServer) {
  TempDir dir;
  const Registry& tls = GetRegistry("tls");
  std::string repo = UniqueName("tls-ca");
  std::string tarball = PushLintable(dir, tls, repo);
  ExpectSameFindings(dir, {.tarball = tarball,
                           .reference = tls.DockerRef(repo + ":1"),
                           .registry_args = {"--registry-ca", tls.ca}});
}

TEST(RegistryTlsTest, UnknownCaIsATlsError) {
  TempDir dir;
  const Registry& tls = GetRegistry("tls");
  std::string repo = UniqueName("tls-noca");
  std::string tarball = PushLintable(dir, tls, repo);
  std::string ref = tls.DockerRef(repo + ":1");
  LintRun run = LintJson(dir, {tarball, ref});
  std::string error = FailedWith(run, ref);
  EXPECT_TRUE(ContainsAny(error, {"certificate", "tls", "ssl"})) << error;
  EXPECT_TRUE(Reported(run, tarball)) << "the other target is still reported";
  ExpectLintableImageRules(run.report, tarball);
}

TEST(RegistryTlsTest, InsecureRegistrySkipsVerification) {
  TempDir dir;
  const Registry& tls = GetRegistry("tls");
  std::string repo = UniqueName("tls-insecure");
  std::string tarball = PushLintable(dir, tls, repo);
  ExpectSameFindings(dir, {.tarball = tarball,
                           .reference = tls.DockerRef(repo + ":1"),
                           .registry_args = {"--insecure-registry", tls.host}});
}

// --- Basic auth (HTTPS + htpasswd) ------------------------------------------

class RegistryBasicAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = UniqueName("basic");
    tarball_ = PushLintable(dir_, basic_, repo_);
    ref_ = basic_.DockerRef(repo_ + ":1");
  }

  // Lints ref_ with the CA and `args`/`env`, expects the tarball's findings
  // and no trace of the password.
  void ExpectLintsWith(const std::vector<std::string>& args, const EnvChanges& env,
                       const std::string& stdin_data = "") {
    std::vector<std::string> full = {"--registry-ca", basic_.ca};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back(ref_);
    LintRun run = LintJson(dir_, full, env, stdin_data);
    ASSERT_TRUE(Linted(run, ref_));
    LintRun file = LintJson(dir_, {tarball_});
    EXPECT_EQ(ComparableFindings(run.report, ref_), ComparableFindings(file.report, tarball_));
    ExpectSecretHidden(dir_, run, basic_.password);
  }

  TempDir dir_;
  const Registry& basic_ = GetRegistry("basic");
  std::string repo_, tarball_, ref_;
};

TEST_F(RegistryBasicAuthTest, DockerConfigAuths) {
  WriteDockerConfig(dir_, AuthsJson(basic_, basic_.password));
  ExpectLintsWith({}, {});
}

TEST_F(RegistryBasicAuthTest, PodmanAuthJsonFromRegistryAuthFile) {
  WriteFileBytes(dir_.File("auth.json"), AuthsJson(basic_, basic_.password));
  ExpectLintsWith({}, {{"REGISTRY_AUTH_FILE", dir_.File("auth.json")}});
}

TEST_F(RegistryBasicAuthTest, CredentialHelper) {
  std::filesystem::create_directories(dir_.File("bin"));
  std::string helper = dir_.File("bin/docker-credential-imglinttest");
  std::string log = dir_.File("helper.log");
  // The docker-credential-helpers protocol: `get`, the server on stdin, JSON out.
  WriteFileBytes(helper,
                 "#!/bin/sh\n"
                 "set -eu\n"
                 "[ \"${1:-}\" = get ] || { echo \"unsupported: ${1:-}\" >&2; exit 1; }\n"
                 "read -r server || true\n"
                 "printf '%s\\n' \"$server\" >>'" +
                     log +
                     "'\n"
                     "case \"$server\" in\n"
                     "  " +
                     basic_.host + "|https://" + basic_.host +
                     ")\n"
                     "    printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}\\n' "
                     "\"$server\" '" +
                     basic_.username + "' '" + basic_.password +
                     "' ;;\n"
                     "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
                     "esac\n");
  ::chmod(helper.c_str(), 0755);
  WriteDockerConfig(dir_, json({{"credHelpers", {{basic_.host, "imglinttest"}}}}).dump());
  const char* path = std::getenv("PATH");
  ExpectLintsWith({}, {{"PATH", dir_.File("bin") + ":" + (path ? path : "/usr/bin:/bin")}});
  ASSERT_TRUE(std::filesystem::exists(log)) << "the credential helper never ran";
  EXPECT_THAT(ReadFileBytes(log), HasSubstr(basic_.host)) << "the helper was asked for the host";
}

TEST_F(RegistryBasicAuthTest, UsernameAndPasswordStdin) {
  ExpectLintsWith({"--username", basic_.username, "--password-stdin"}, {}, basic_.password + "\n");
}

TEST_F(RegistryBasicAuthTest, NoCredentialsIsAuthenticationRequired) {
  LintRun run = LintJson(dir_, {"--registry-ca", basic_.ca, tarball_, ref_});
  std::string error = FailedWith(run, ref_);
  EXPECT_TRUE(ContainsAny(error, {"authentication required"})) << error;
  EXPECT_THAT(error, HasSubstr("401"));
  EXPECT_THAT(error, HasSubstr(basic_.host));
  EXPECT_TRUE(Reported(run, tarball_)) << "the other target is still reported";
  ExpectLintableImageRules(run.report, tarball_);
}

TEST_F(RegistryBasicAuthTest, WrongPassword) {
  std::string wrong = basic_.password + "-wrong";
  WriteDockerConfig(dir_, AuthsJson(basic_, wrong));
  LintRun run = LintJson(dir_, {"--registry-ca", basic_.ca, ref_});
  std::string error = FailedWith(run, ref_);
  EXPECT_THAT(error, HasSubstr("401"));
  EXPECT_THAT(error, HasSubstr(basic_.host));
  ExpectSecretHidden(dir_, run, wrong);
}

// --- Token auth -------------------------------------------------------------

// Token log entries (token_server.py) whose scope names `repo`.
std::vector<json> TokenRequestsFor(const Registry& token, const std::string& repo) {
  std::vector<json> out;
  for (const std::string& line : ReadLogLines(token.token_log)) {
    json e = ParseLogLine(line);
    if (!e.is_object()) continue;
    if (e["query"].value("scope", json::array()).dump().find("repository:" + repo + ":") !=
        std::string::npos) {
      out.push_back(e);
    }
  }
  return out;
}

TEST(RegistryTokenTest, AnonymousPullOfPublicRepository) {
  TempDir dir;
  const Registry& token = GetRegistry("token");
  std::string repo = "public/" + UniqueName("token-anon");
  std::string tarball = PushLintable(dir, token, repo);
  std::size_t before = TokenRequestsFor(token, repo).size();  // the push's
  ExpectSameFindings(dir, {.tarball = tarball, .reference = token.DockerRef(repo + ":1")});
  std::vector<json> requests = TokenRequestsFor(token, repo);
  ASSERT_GT(requests.size(), before) << "imglint never asked the realm for a token";
  for (std::size_t i = before; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i]["authorization"], false) << requests[i].dump();
    EXPECT_EQ(requests[i]["query"]["service"][0], "imglint-registry") << requests[i].dump();
    EXPECT_THAT(requests[i]["query"]["scope"].dump(), Not(HasSubstr("push")));
  }
}

TEST(RegistryTokenTest, PrivateRepositoryWithCredentials) {
  TempDir dir;
  const Registry& token = GetRegistry("token");
  std::string repo = "private/" + UniqueName("token-private");
  std::string tarball = PushLintable(dir, token, repo);
  WriteDockerConfig(dir, AuthsJson(token, token.password));
  std::size_t before = TokenRequestsFor(token, repo).size();
  std::string ref = token.DockerRef(repo + ":1");
  LintRun run = LintJson(dir, {ref});
  ASSERT_TRUE(Linted(run, ref));
  LintRun file = LintJson(dir, {tarball});
  EXPECT_EQ(ComparableFindings(run.report, ref), ComparableFindings(file.report, tarball));
  ExpectSecretHidden(dir, run, token.password);
  std::vector<json> requests = TokenRequestsFor(token, repo);
  bool credential_sent = false;
  for (std::size_t i = before; i < requests.size(); ++i) {
    if (requests[i]["authorization"] == true && requests[i]["user"] == token.username &&
        requests[i]["status"] == 200) {
      credential_sent = true;
    }
    EXPECT_THAT(requests[i]["query"]["scope"].dump(), Not(HasSubstr("push")));
  }
  EXPECT_TRUE(credential_sent) << "the realm never got the credential";
}

TEST(RegistryTokenTest, PrivateRepositoryWithoutCredentials) {
  TempDir dir;
  const Registry& token = GetRegistry("token");
  std::string repo = "private/" + UniqueName("token-denied");
  std::string tarball = PushLintable(dir, token, repo);
  std::string ref = token.DockerRef(repo + ":1");
  LintRun run = LintJson(dir, {tarball, ref});
  std::string error = FailedWith(run, ref);
  EXPECT_TRUE(ContainsAny(error, {"401", "403"})) << error;
  EXPECT_THAT(error, HasSubstr(token.host));
  EXPECT_TRUE(Reported(run, tarball));
}

// --- Redirects to blob storage ----------------------------------------------

TEST(RegistryRedirectTest, BlobsFromTheSecondHostWithoutAuthorization) {
  TempDir dir;
  const Registry& redirect = GetRegistry("redirect");
  std::string repo = UniqueName("redirect");
  WrittenImage w;
  std::string tarball = PushLintable(dir, redirect, repo, &w);
  WriteDockerConfig(dir, AuthsJson(redirect, redirect.password));
  std::string layer_path = redirect.BlobStoragePath(w.layer_digests[0]);
  std::string config_path = redirect.BlobStoragePath(w.config_digest);
  auto blob_requests = [&] {
    std::vector<json> out;
    for (const std::string& line : ReadLogLines(redirect.blob_log)) {
      json e = ParseLogLine(line);
      if (!e.is_object()) continue;
      if (e["path"] == layer_path || e["path"] == config_path) out.push_back(e);
    }
    return out;
  };
  std::size_t before = blob_requests().size();

  std::string ref = redirect.DockerRef(repo + ":1");
  LintRun run = LintJson(dir, {ref});
  ASSERT_TRUE(Linted(run, ref));
  LintRun file = LintJson(dir, {tarball});
  EXPECT_EQ(ComparableFindings(run.report, ref), ComparableFindings(file.report, tarball));
  ExpectSecretHidden(dir, run, redirect.password);

  std::vector<json> requests = blob_requests();
  bool layer_served = false;
  for (std::size_t i = before; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i]["authorization"], false)
        << "Authorization forwarded to " << redirect.blob_host << ": " << requests[i].dump();
    if (requests[i]["path"] == layer_path && requests[i]["status"] == 200) layer_served = true;
  }
  EXPECT_TRUE(layer_served) << "the layer did not come from " << redirect.blob_host;
}

}  // namespace
}  // namespace imglint::testing
