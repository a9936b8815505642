// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/credential_helper.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/source/source_test_util.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

using testing::HasChildren;
using testing::OpenFdCount;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteScript;

constexpr char kSecret[] = "s3cr3t-Pa55";

class CredentialHelperTest : public ::testing::Test {
 protected:
  void SetUp() override { fds_before_ = OpenFdCount(); }
  void TearDown() override {
    EXPECT_EQ(OpenFdCount(), fds_before_) << "descriptor leaked";
    EXPECT_FALSE(HasChildren()) << "helper not reaped";
  }

  // Installs docker-credential-NAME in bin/.
  void Helper(const std::string& name, const std::string& body) {
    WriteScript(dir_.File("bin/docker-credential-" + name), body);
  }

  bool Run(const std::string& name, std::optional<Credential>* out, std::string* err,
           std::chrono::milliseconds timeout = std::chrono::seconds(10),
           const std::string& url = "quay.io") {
    return RunCredentialHelper({name, url, "/nonexistent:" + dir_.File("bin"), timeout}, out, err);
  }

  TempDir dir_;
  int fds_before_ = 0;
};

TEST_F(CredentialHelperTest, ReturnsUsernameAndSecret) {
  Helper("pass", "printf '%s' \"$*\" > " + dir_.File("args") + "; cat > " + dir_.File("stdin") +
                     "\necho '{\"ServerURL\":\"quay.io\",\"Username\":\"bob\",\"Secret\":\"" +
                     kSecret + "\"}'");
  std::optional<Credential> cred;
  std::string err;
  ASSERT_TRUE(Run("pass", &cred, &err, std::chrono::seconds(10), "https://index.docker.io/v1/"))
      << err;
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->username, "bob");
  EXPECT_EQ(cred->password, kSecret);
  EXPECT_EQ(cred->identity_token, "");
  EXPECT_EQ(cred->origin, "credential helper docker-credential-pass");
  EXPECT_EQ(ReadFileBytes(dir_.File("args")), "get");
  EXPECT_EQ(ReadFileBytes(dir_.File("stdin")), "https://index.docker.io/v1/");  // no newline
}

TEST_F(CredentialHelperTest, TokenUsernameMeansIdentityToken) {
  Helper("t", "echo '{\"ServerURL\":\"quay.io\",\"Username\":\"<token>\",\"Secret\":\"tok\"}'");
  std::optional<Credential> cred;
  std::string err;
  ASSERT_TRUE(Run("t", &cred, &err)) << err;
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->username, "");
  EXPECT_EQ(cred->password, "");
  EXPECT_EQ(cred->identity_token, "tok");
}

TEST_F(CredentialHelperTest, NotFoundInKeychainIsNoCredential) {
  Helper("none", "echo 'credentials not found in native keychain'; exit 1");
  std::optional<Credential> cred = Credential{};
  std::string err;
  EXPECT_TRUE(Run("none", &cred, &err)) << err;
  EXPECT_FALSE(cred.has_value());
  // An empty answer is no credential either.
  Helper("empty", "echo '{\"ServerURL\":\"\",\"Username\":\"\",\"Secret\":\"\"}'");
  EXPECT_TRUE(Run("empty", &cred, &err)) << err;
  EXPECT_FALSE(cred.has_value());
  Helper("null", "echo '{\"Username\":null}'");
  EXPECT_TRUE(Run("null", &cred, &err)) << err;
  EXPECT_FALSE(cred.has_value());
}

TEST_F(CredentialHelperTest, FailuresNameTheHelperAndQuoteOnlyAShortFirstLine) {
  std::optional<Credential> cred;
  std::string err;
  Helper("fail", std::string("echo 'gpg: decryption failed'; echo '") + kSecret + "'; exit 1");
  EXPECT_FALSE(Run("fail", &cred, &err));
  EXPECT_EQ(err,
            "credential helper docker-credential-fail: exited with status 1: gpg: decryption "
            "failed");

  Helper("stderr", std::string("echo '  ' ; printf '\\nboom\\n") + kSecret + "\\n' >&2; exit 4");
  EXPECT_FALSE(Run("stderr", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-stderr: exited with status 4: boom");

  Helper("long", "printf '%0300d\\n' 7 >&2; exit 2");
  EXPECT_FALSE(Run("long", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-long: exited with status 2: " +
                     std::string(100, '0') + "...");

  Helper("ansi", "printf 'bad\\033[31mred\\n' >&2; exit 2");
  EXPECT_FALSE(Run("ansi", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-ansi: exited with status 2: bad\\x1b[31mred");

  Helper("json", std::string("echo '{\"Username\":\"u\",\"Secret\":\"") + kSecret + "\"}'; exit 1");
  EXPECT_FALSE(Run("json", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-json: exited with status 1");

  Helper("silent", "exit 5");
  EXPECT_FALSE(Run("silent", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-silent: exited with status 5");

  Helper("signal", "kill -KILL $$");
  EXPECT_FALSE(Run("signal", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-signal: killed by signal 9");
}

TEST_F(CredentialHelperTest, BadAnswersAreErrorsWithoutTheAnswer) {
  std::optional<Credential> cred;
  std::string err;
  Helper("garbled", std::string("echo '{\"Username\":\"u\",\"Secret\":\"") + kSecret + "'");
  EXPECT_FALSE(Run("garbled", &cred, &err));
  EXPECT_EQ(err, "credential helper docker-credential-garbled: answer is not valid JSON");
  Helper("types", std::string("echo '{\"Username\":[\"u\"],\"Secret\":\"") + kSecret + "\"}'");
  EXPECT_FALSE(Run("types", &cred, &err));
  EXPECT_EQ(err,
            "credential helper docker-credential-types: answer is not {\"Username\": string, "
            "\"Secret\": string}");
  Helper("array", "echo '[]'");
  EXPECT_FALSE(Run("array", &cred, &err));
  Helper("huge", "yes");
  EXPECT_FALSE(Run("huge", &cred, &err));
  EXPECT_EQ(err,
            "credential helper docker-credential-huge: wrote more than 1048576 bytes (killed)");
}

TEST_F(CredentialHelperTest, HungHelperIsKilledAtTheTimeout) {
  Helper("slow", "sleep 30");
  std::optional<Credential> cred;
  std::string err;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Run("slow", &cred, &err, std::chrono::seconds(1)));
  // Killed after 1 s, not left to sleep its 30 s (wide margin: busy machines).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(err, "credential helper docker-credential-slow: no answer within 1 s (killed)");
  EXPECT_FALSE(Run("slow", &cred, &err, std::chrono::milliseconds(200)));
  EXPECT_EQ(err, "credential helper docker-credential-slow: no answer within 200 ms (killed)");
}

TEST_F(CredentialHelperTest, HelperMustBeAPlainNameFoundInPath) {
  std::optional<Credential> cred;
  std::string err;
  EXPECT_FALSE(Run("desktop", &cred, &err));
  EXPECT_EQ(err,
            "credential helper docker-credential-desktop: docker-credential-desktop not found "
            "in PATH");
  // A name with "/" would be run as a path: never.
  WriteScript(dir_.File("evil"), "touch " + dir_.File("ran") + "; echo '{}'");
  for (const std::string name : {"../evil", "/bin/true", "a/b", ""}) {
    EXPECT_FALSE(Run(name, &cred, &err)) << name;
    EXPECT_NE(err.find("is not a plain name"), std::string::npos) << err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.File("ran")));
  EXPECT_FALSE(Run("x\n", &cred, &err));
  EXPECT_EQ(err,
            "credential helper name \"x\\x0a\" is not a plain name (letters, digits, '.', "
            "'_', '-')");
  for (const char* ok : {"pass", "ecr-login", "desktop.exe", "secret_service", "osxkeychain"}) {
    EXPECT_TRUE(IsValidHelperName(ok)) << ok;
  }
  for (const char* bad : {"", ".", "..", "-x", ".x", "a b", "a;b", "a/b", "a\\b", "$(id)"}) {
    EXPECT_FALSE(IsValidHelperName(bad)) << bad;
  }
  EXPECT_FALSE(IsValidHelperName(std::string(65, 'a')));
}

}  // namespace
}  // namespace imglint
