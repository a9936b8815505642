// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>

#include "analyzer/source/base64.h"
#include "tests/source/source_test_util.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

using testing::HasChildren;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteScript;
using testing::WriteText;

constexpr char kSecret[] = "s3cr3t-Pa55";

std::string Auth(const std::string& user, const std::string& password) {
  return EncodeBase64(user + ":" + password);
}

// {"auths": {key: {"auth": base64(user:password)}}} for each key.
std::string AuthsJson(const std::map<std::string, std::string>& key_to_user,
                      const std::string& extra = "") {
  std::string json = "{" + extra + (extra.empty() ? "" : ",") + "\"auths\": {";
  bool first = true;
  for (const auto& [key, user] : key_to_user) {
    json += std::string(first ? "" : ",") + "\"" + key + "\": {\"auth\": \"" +
            Auth(user, user + "-pw") + "\"}";
    first = false;
  }
  return json + "}}";
}

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_["HOME"] = dir_.File("home");
    env_["PATH"] = dir_.File("bin");
    std::filesystem::create_directories(dir_.File("home"));
    std::filesystem::create_directories(dir_.File("bin"));
  }
  void TearDown() override { EXPECT_FALSE(HasChildren()); }

  CredentialOptions Options() {
    CredentialOptions options;
    options.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    options.helper_timeout_seconds = 10;
    return options;
  }

  std::optional<Credential> Lookup(std::string_view domain, std::string_view repository,
                                   std::string* err, CredentialOptions options) {
    return CredentialStore(std::move(options)).Lookup(domain, repository, err);
  }
  std::optional<Credential> Lookup(std::string_view domain, std::string_view repository,
                                   std::string* err) {
    return Lookup(domain, repository, err, Options());
  }
  // The user name found for domain/repository, "" for none; fails on error.
  std::string UserFor(std::string_view domain, std::string_view repository = "o/app") {
    std::string err;
    const auto cred = Lookup(domain, repository, &err);
    EXPECT_EQ(err, "") << domain;
    return cred ? cred->username : "";
  }
  std::string ErrorFor(std::string_view domain, std::string_view repository = "o/app") {
    std::string err;
    const auto cred = Lookup(domain, repository, &err);
    EXPECT_FALSE(cred.has_value()) << domain;
    return err;
  }

  std::string DockerConfig() const { return dir_.File("home/.docker/config.json"); }
  std::string UserAuthJson() const { return dir_.File("home/.config/containers/auth.json"); }
  void Helper(const std::string& name, const std::string& body) {
    WriteScript(dir_.File("bin/docker-credential-" + name), body);
  }
  // A helper that records its stdin and answers user `user`.
  void AnsweringHelper(const std::string& name, const std::string& user) {
    Helper(name, "cat > " + dir_.File(name + ".stdin") +
                     "\necho '{\"ServerURL\":\"x\",\"Username\":\"" + user + "\",\"Secret\":\"" +
                     kSecret + "\"}'");
  }

  TempDir dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(CredentialsTest, NothingConfigured) {
  std::string err = "stale";
  EXPECT_FALSE(Lookup("docker.io", "library/nginx", &err).has_value());
  EXPECT_EQ(err, "");
  env_.clear();  // no HOME, no PATH: still just "none"
  EXPECT_FALSE(Lookup("quay.io", "o/app", &err).has_value());
  EXPECT_EQ(err, "");
  EXPECT_FALSE(Lookup("", "o/app", nullptr).has_value());  // err is optional
}

TEST_F(CredentialsTest, FlagsAreScopedToTheirRegistry) {
  WriteText(DockerConfig(), AuthsJson({{"quay.io", "file-user"}, {"docker.io", "hub-file"}}));
  CredentialOptions options = Options();
  options.flag_domain = "docker.io";
  options.flag_username = "flag-user";
  options.flag_password = kSecret;
  std::string err;
  auto cred = Lookup("docker.io", "library/nginx", &err, options);
  ASSERT_TRUE(cred.has_value()) << err;
  EXPECT_EQ(cred->username, "flag-user");
  EXPECT_EQ(cred->password, kSecret);
  EXPECT_EQ(cred->origin, "--username");
  cred = Lookup("index.docker.io", "library/nginx", &err, options);  // same registry
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->origin, "--username");
  // Another registry never gets them; it gets its own stored credential.
  cred = Lookup("quay.io", "o/app", &err, options);
  ASSERT_TRUE(cred.has_value()) << err;
  EXPECT_EQ(cred->username, "file-user");
  EXPECT_NE(cred->password, kSecret);
  cred = Lookup("docker.io.evil.com", "o/app", &err, options);
  EXPECT_FALSE(cred.has_value());
  // Without a domain the flags apply nowhere.
  options.flag_domain = "";
  cred = Lookup("docker.io", "library/nginx", &err, options);
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->username, "hub-file");
}

TEST_F(CredentialsTest, AuthJsonFileOrder) {
  const std::string registry_auth_file = dir_.File("custom/auth.json");
  const std::string runtime = dir_.File("run/containers/auth.json");
  WriteText(registry_auth_file, AuthsJson({{"a.io", "from-env-file"}}));
  WriteText(runtime, AuthsJson({{"a.io", "from-runtime"}, {"b.io", "from-runtime"}}));
  WriteText(UserAuthJson(),
            AuthsJson({{"a.io", "from-home"}, {"b.io", "from-home"}, {"c.io", "from-home"}}));
  WriteText(
      DockerConfig(),
      AuthsJson({{"a.io", "docker"}, {"b.io", "docker"}, {"c.io", "docker"}, {"d.io", "docker"}}));
  env_["REGISTRY_AUTH_FILE"] = registry_auth_file;
  env_["XDG_RUNTIME_DIR"] = dir_.File("run");
  EXPECT_EQ(UserFor("a.io"), "from-env-file");
  EXPECT_EQ(UserFor("b.io"), "from-runtime");  // first file with an entry wins
  EXPECT_EQ(UserFor("c.io"), "from-home");
  EXPECT_EQ(UserFor("d.io"), "docker");
  EXPECT_EQ(UserFor("e.io"), "");
  std::string err;
  EXPECT_EQ(Lookup("a.io", "o/app", &err)->origin, "auth.json " + registry_auth_file);
  EXPECT_EQ(Lookup("b.io", "o/app", &err)->origin, "auth.json " + runtime);
  EXPECT_EQ(Lookup("c.io", "o/app", &err)->origin, "auth.json " + UserAuthJson());
  EXPECT_EQ(Lookup("d.io", "o/app", &err)->origin, "docker config " + DockerConfig());
  // A missing file anywhere in the chain is skipped.
  env_["REGISTRY_AUTH_FILE"] = dir_.File("nope/auth.json");
  EXPECT_EQ(UserFor("a.io"), "from-runtime");
  env_.erase("XDG_RUNTIME_DIR");
  EXPECT_EQ(UserFor("a.io"), "from-home");
  // XDG_CONFIG_HOME replaces ~/.config, as in containers/image.
  WriteText(dir_.File("xdg/containers/auth.json"), AuthsJson({{"a.io", "from-xdg-config"}}));
  env_["XDG_CONFIG_HOME"] = dir_.File("xdg");
  EXPECT_EQ(UserFor("a.io"), "from-xdg-config");
  EXPECT_EQ(UserFor("c.io"), "docker");
}

TEST_F(CredentialsTest, AuthJsonMostSpecificNamespaceWins) {
  WriteText(UserAuthJson(), AuthsJson({{"quay.io", "registry"},
                                       {"quay.io/org", "namespace"},
                                       {"quay.io/org/repo", "repo"},
                                       {"quay.io/org/deep/", "deep"},
                                       {"https://quay.io", "url"},
                                       {"docker.io/library/nginx", "hub-nginx"},
                                       {"docker.io", "hub"}}));
  EXPECT_EQ(UserFor("quay.io", "org/repo"), "repo");
  EXPECT_EQ(UserFor("quay.io", "org/repo/sub"), "repo");
  EXPECT_EQ(UserFor("quay.io", "org/other"), "namespace");
  EXPECT_EQ(UserFor("quay.io", "org/deep/x"), "deep");
  EXPECT_EQ(UserFor("quay.io", "org"), "namespace");
  EXPECT_EQ(UserFor("quay.io", "organisation/x"), "registry");  // not a prefix match
  EXPECT_EQ(UserFor("quay.io", "org-x/repo"), "registry");
  EXPECT_EQ(UserFor("quay.io", "other/x"), "registry");  // plain key before the URL key
  EXPECT_EQ(UserFor("docker.io", "library/nginx"), "hub-nginx");
  EXPECT_EQ(UserFor("registry-1.docker.io", "library/nginx"), "hub-nginx");
  EXPECT_EQ(UserFor("docker.io", "library/redis"), "hub");
}

TEST_F(CredentialsTest, AuthJsonLegacyUrlKeys) {
  WriteText(UserAuthJson(), AuthsJson({{"https://index.docker.io/v1/", "hub"},
                                       {"http://localhost:5000", "local"},
                                       {"https://quay.io/org", "url-path-ignored"}}));
  EXPECT_EQ(UserFor("docker.io", "library/nginx"), "hub");
  EXPECT_EQ(UserFor("localhost:5000"), "local");
  EXPECT_EQ(UserFor("localhost"), "");
  EXPECT_EQ(UserFor("quay.io", "other/x"), "url-path-ignored");
}

// Credentials go to exactly the host[:port] they were stored for: no suffix,
// prefix or port-less matches, in either file format.
TEST_F(CredentialsTest, HostMatchingIsExact) {
  for (const std::string file : {"auth.json", "config.json"}) {
    SCOPED_TRACE(file);
    std::filesystem::remove_all(dir_.File("home"));
    WriteText(file == "auth.json" ? UserAuthJson() : DockerConfig(),
              AuthsJson({{"evil.com", "evil"},
                         {"https://registry.example.com:5000/v1/", "example"},
                         {"10.0.0.1:5000", "ip"},
                         {"[::1]:5000", "v6"}}));
    EXPECT_EQ(UserFor("evil.com"), "evil");
    EXPECT_EQ(UserFor("EVIL.com"), "evil");  // host names are case-insensitive
    EXPECT_EQ(UserFor("evil.com.attacker"), "");
    EXPECT_EQ(UserFor("evil.co"), "");
    EXPECT_EQ(UserFor("vil.com"), "");
    EXPECT_EQ(UserFor("xevil.com"), "");
    EXPECT_EQ(UserFor("evil.com:443"), "");
    EXPECT_EQ(UserFor("registry.example.com:5000"), "example");
    EXPECT_EQ(UserFor("registry.example.com"), "");
    EXPECT_EQ(UserFor("registry.example.com:50000"), "");
    EXPECT_EQ(UserFor("example.com:5000"), "");
    EXPECT_EQ(UserFor("10.0.0.1:5000"), "ip");
    EXPECT_EQ(UserFor("10.0.0.1"), "");
    EXPECT_EQ(UserFor("10.0.0.10:5000"), "");
    EXPECT_EQ(UserFor("[::1]:5000"), "v6");
    EXPECT_EQ(UserFor("docker.io"), "");
  }
}

TEST_F(CredentialsTest, DockerConfigKeyForms) {
  for (const std::string key : {"quay.io", "https://quay.io", "http://quay.io",
                                "https://quay.io/v1/", "HTTPS://Quay.IO/", "quay.io/org"}) {
    WriteText(DockerConfig(), AuthsJson({{key, "u"}}));
    EXPECT_EQ(UserFor("quay.io", "any/repo"), "u") << key;
  }
  for (const std::string key : {"https://index.docker.io/v1/", "docker.io", "index.docker.io",
                                "registry-1.docker.io", "https://registry-1.docker.io/v2/"}) {
    WriteText(DockerConfig(), AuthsJson({{key, "hub"}}));
    EXPECT_EQ(UserFor("docker.io", "library/nginx"), "hub") << key;
    EXPECT_EQ(UserFor("index.docker.io", "library/nginx"), "hub") << key;
    EXPECT_EQ(UserFor("quay.io"), "") << key;
  }
  // The key docker login writes wins over others naming the same registry.
  WriteText(DockerConfig(), AuthsJson({{"docker.io", "second"},
                                       {"https://index.docker.io/v1/", "first"},
                                       {"http://docker.io", "third"}}));
  EXPECT_EQ(UserFor("docker.io", "library/nginx"), "first");
  WriteText(DockerConfig(), AuthsJson({{"https://quay.io", "second"}, {"quay.io", "first"}}));
  EXPECT_EQ(UserFor("quay.io"), "first");
}

TEST_F(CredentialsTest, DockerConfigPathFromEnvironment) {
  WriteText(DockerConfig(), AuthsJson({{"quay.io", "home"}}));
  WriteText(dir_.File("dc/config.json"), AuthsJson({{"quay.io", "docker-config-env"}}));
  EXPECT_EQ(UserFor("quay.io"), "home");
  env_["DOCKER_CONFIG"] = dir_.File("dc");
  EXPECT_EQ(UserFor("quay.io"), "docker-config-env");
}

TEST_F(CredentialsTest, EntryFields) {
  WriteText(DockerConfig(), R"({"auths": {
    "plain.io": {"username": "pu", "password": "pp"},
    "token.io": {"username": "tu", "identitytoken": "refresh"},
    "bearer.io": {"registrytoken": "bearer"},
    "both.io": {"auth": ")" + Auth("au", "ap") +
                                R"(", "username": "ignored", "password": "x"},
    "colon.io": {"auth": ")" + Auth("cu", "p:w:d") +
                                R"("},
    "nul.io": {"auth": ")" + Auth("nu", std::string("np\0\0", 4)) +
                                R"("},
    "emptypw.io": {"auth": ")" + Auth("eu", "") +
                                R"("},
    "empty.io": {},
    "emailonly.io": {"email": 5, "auth": ""},
    "nulls.io": {"auth": null, "username": "nl", "password": null}
  }})");
  std::string err;
  auto c = Lookup("plain.io", "o/app", &err);
  ASSERT_TRUE(c.has_value()) << err;
  EXPECT_EQ(c->username, "pu");
  EXPECT_EQ(c->password, "pp");
  c = Lookup("token.io", "o/app", &err);
  ASSERT_TRUE(c.has_value()) << err;
  EXPECT_EQ(c->username, "tu");
  EXPECT_EQ(c->identity_token, "refresh");
  c = Lookup("bearer.io", "o/app", &err);
  ASSERT_TRUE(c.has_value()) << err;
  EXPECT_EQ(c->registry_token, "bearer");
  EXPECT_EQ(c->username, "");
  c = Lookup("both.io", "o/app", &err);
  ASSERT_TRUE(c.has_value()) << err;
  EXPECT_EQ(c->username, "au");
  EXPECT_EQ(c->password, "ap");
  c = Lookup("colon.io", "o/app", &err);
  EXPECT_EQ(c->password, "p:w:d");  // split at the first ':'
  c = Lookup("nul.io", "o/app", &err);
  EXPECT_EQ(c->password, "np");
  c = Lookup("emptypw.io", "o/app", &err);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->password, "");
  EXPECT_FALSE(Lookup("empty.io", "o/app", &err).has_value());
  EXPECT_EQ(err, "");
  EXPECT_FALSE(Lookup("emailonly.io", "o/app", &err).has_value());
  EXPECT_EQ(err, "");
  c = Lookup("nulls.io", "o/app", &err);
  ASSERT_TRUE(c.has_value()) << err;
  EXPECT_EQ(c->username, "nl");
}

TEST_F(CredentialsTest, EmptyAuthJsonEntryFallsThroughToDocker) {
  WriteText(UserAuthJson(), R"({"auths": {"quay.io": {}}})");
  WriteText(DockerConfig(), AuthsJson({{"quay.io", "docker"}}));
  EXPECT_EQ(UserFor("quay.io"), "docker");
}

TEST_F(CredentialsTest, BrokenEntriesForTheRegistryAreErrors) {
  const std::string bad_base64 = std::string(kSecret) + "!!";
  WriteText(DockerConfig(), R"({"auths": {
    "b64.io": {"auth": ")" + bad_base64 +
                                R"("},
    "nocolon.io": {"auth": ")" + EncodeBase64(kSecret) +
                                R"("},
    "nouser.io": {"auth": ")" + EncodeBase64(std::string(":") + kSecret) +
                                R"("},
    "notobj.io": ")" + std::string(kSecret) +
                                R"(",
    "authnum.io": {"auth": 5},
    "pwarray.io": {"username": "u", "password": [")" +
                                kSecret + R"("]},
    "ok.io": {"auth": ")" + Auth("ok", "pw") +
                                R"("}
  }})");
  const std::string where = "docker config " + DockerConfig() + ": auths entry ";
  EXPECT_EQ(ErrorFor("b64.io"), where + "\"b64.io\": \"auth\" is not valid base64");
  EXPECT_EQ(ErrorFor("nocolon.io"),
            where + "\"nocolon.io\": \"auth\" does not decode to user:password");
  EXPECT_EQ(ErrorFor("nouser.io"),
            where + "\"nouser.io\": \"auth\" does not decode to user:password");
  EXPECT_EQ(ErrorFor("notobj.io"), where + "\"notobj.io\" is not an object");
  EXPECT_EQ(ErrorFor("authnum.io"), where + "\"authnum.io\": \"auth\" is not a string");
  EXPECT_EQ(ErrorFor("pwarray.io"), where + "\"pwarray.io\": \"password\" is not a string");
  // Other registries' broken entries do not matter.
  EXPECT_EQ(UserFor("ok.io"), "ok");
  EXPECT_EQ(UserFor("other.io"), "");
}

TEST_F(CredentialsTest, WrongTypesElsewhereAreIgnored) {
  WriteText(UserAuthJson(), R"({"auths": ["quay.io"], "credHelpers": 5})");
  WriteText(DockerConfig(), R"({"auths": {"quay.io": {"auth": ")" + Auth("docker", "pw") +
                                R"("}, "other.io": 7}, "credHelpers": {"other.io": 3},
                                "HttpHeaders": "x"})");
  EXPECT_EQ(UserFor("quay.io"), "docker");
  WriteText(DockerConfig(), "[]");
  EXPECT_EQ(UserFor("quay.io"), "");
  WriteText(DockerConfig(), R"({"auths": "quay.io", "credHelpers": []})");
  EXPECT_EQ(UserFor("quay.io"), "");
}

TEST_F(CredentialsTest, BrokenFilesAreErrorsNamingTheFile) {
  WriteText(UserAuthJson(),
            "{\"auths\": {\"quay.io\": {\"auth\": \"" + Auth("u", kSecret) + "\"}}\n,,}");
  WriteText(DockerConfig(), AuthsJson({{"quay.io", "docker"}}));
  // The broken auth.json is an error even though Docker's file has an entry.
  EXPECT_EQ(ErrorFor("quay.io"),
            "auth.json " + UserAuthJson() + ": not valid JSON at line 2, column 2");
  std::filesystem::remove(UserAuthJson());
  WriteText(DockerConfig(),
            "{\"auths\": {\"quay.io\": {\"password\": \"" + std::string(kSecret) + " }}}");
  EXPECT_EQ(ErrorFor("quay.io"),
            "docker config " + DockerConfig() + ": not valid JSON at line 1, column 52");
  WriteText(DockerConfig(), std::string(5 << 20, ' '));
  EXPECT_EQ(ErrorFor("quay.io"), "docker config " + DockerConfig() + ": larger than 4194304 bytes");
  std::filesystem::remove(DockerConfig());
  std::filesystem::create_directories(DockerConfig());
  EXPECT_EQ(ErrorFor("quay.io"), "docker config " + DockerConfig() + ": not a regular file");
}

TEST_F(CredentialsTest, CredentialHelpersPerRegistryAndDefaultStore) {
  AnsweringHelper("quayhelper", "from-quay-helper");
  AnsweringHelper("store", "from-store");
  WriteText(DockerConfig(), R"({
    "credsStore": "store",
    "credHelpers": {"quay.io": "quayhelper", "https://ghcr.io": "quayhelper", "empty.io": ""},
    "auths": {"quay.io": {"auth": ")" +
                                Auth("from-auths", "pw") +
                                R"("}, "https://index.docker.io/v1/": {}}
  })");
  std::string err;
  auto cred = Lookup("quay.io", "o/app", &err);
  ASSERT_TRUE(cred.has_value()) << err;
  EXPECT_EQ(cred->username, "from-quay-helper");
  EXPECT_EQ(cred->password, kSecret);
  EXPECT_EQ(cred->origin, "credential helper docker-credential-quayhelper");
  EXPECT_EQ(ReadFileBytes(dir_.File("quayhelper.stdin")), "quay.io");
  EXPECT_EQ(UserFor("ghcr.io"), "from-quay-helper");
  EXPECT_EQ(ReadFileBytes(dir_.File("quayhelper.stdin")), "ghcr.io");
  // Everything else goes to the default store; Docker Hub under its legacy URL.
  cred = Lookup("docker.io", "library/nginx", &err);
  ASSERT_TRUE(cred.has_value()) << err;
  EXPECT_EQ(cred->origin, "credential helper docker-credential-store");
  EXPECT_EQ(ReadFileBytes(dir_.File("store.stdin")), "https://index.docker.io/v1/");
  EXPECT_EQ(UserFor("localhost:5000"), "from-store");
  EXPECT_EQ(ReadFileBytes(dir_.File("store.stdin")), "localhost:5000");
  EXPECT_EQ(UserFor("empty.io"), "from-store");  // an empty helper name defers to credsStore
}

TEST_F(CredentialsTest, HelperAnswerIsFinal) {
  Helper("store", "echo 'credentials not found in native keychain'; exit 1");
  WriteText(DockerConfig(), R"({"credsStore": "store", "auths": {"quay.io": {"auth": ")" +
                                Auth("stale", "pw") + R"("}}})");
  std::string err;
  EXPECT_FALSE(Lookup("quay.io", "o/app", &err).has_value());
  EXPECT_EQ(err, "");
}

TEST_F(CredentialsTest, HelperErrorsNameHelperAndConfig) {
  const std::string config = "docker config " + DockerConfig();
  WriteText(DockerConfig(), R"({"credsStore": "desktop"})");
  EXPECT_EQ(ErrorFor("quay.io"),
            "credential helper docker-credential-desktop: docker-credential-desktop not found in "
            "PATH (credsStore in " +
                config + ")");
  WriteText(DockerConfig(), R"({"credHelpers": {"quay.io": "../../bin/sh"}})");
  EXPECT_EQ(ErrorFor("quay.io"),
            "credential helper name \"../../bin/sh\" is not a plain name (letters, digits, '.', "
            "'_', '-') (credHelpers in " +
                config + ")");
  WriteText(DockerConfig(), R"({"credHelpers": {"quay.io": 1}})");
  EXPECT_EQ(ErrorFor("quay.io"), config + ": credHelpers entry \"quay.io\" is not a string");
  WriteText(DockerConfig(), R"({"credsStore": {"x": 1}})");
  EXPECT_EQ(ErrorFor("quay.io"), config + ": credsStore is not a string");
  Helper("broken", "echo 'pass: store is locked' >&2; exit 1");
  WriteText(DockerConfig(), R"({"credsStore": "broken"})");
  EXPECT_EQ(ErrorFor("quay.io"),
            "credential helper docker-credential-broken: exited with status 1: pass: store is "
            "locked (credsStore in " +
                config + ")");
}

TEST_F(CredentialsTest, HelperTimeoutFromOptions) {
  Helper("slow", "sleep 30");
  WriteText(DockerConfig(), R"({"credsStore": "slow"})");
  CredentialOptions options = Options();
  options.helper_timeout_seconds = 1;
  std::string err;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Lookup("quay.io", "o/app", &err, options).has_value());
  // Killed after 1 s, not left to sleep its 30 s (wide margin: busy machines).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(err,
            "credential helper docker-credential-slow: no answer within 1 s (killed) "
            "(credsStore in docker config " +
                DockerConfig() + ")");
}

TEST_F(CredentialsTest, HelperSearchUsesPathFromOptions) {
  AnsweringHelper("store", "u");
  WriteText(DockerConfig(), R"({"credsStore": "store"})");
  EXPECT_EQ(UserFor("quay.io"), "u");
  // A relative PATH entry is never searched (it would be the current directory).
  env_["PATH"] = std::filesystem::relative(dir_.File("bin"), std::filesystem::current_path());
  EXPECT_NE(ErrorFor("quay.io").find("not found in PATH"), std::string::npos);
  env_["PATH"] = "/nonexistent:" + dir_.File("bin");
  EXPECT_EQ(UserFor("quay.io"), "u");
}

// One secret planted in every broken or working setup: it must never show
// in an error or an origin.
TEST_F(CredentialsTest, SecretNeverInErrorsOrOrigins) {
  const std::string secret = kSecret;
  const std::string b64 = Auth("user", secret);
  const std::vector<std::string> configs = {
      R"({"auths": {"quay.io": {"auth": ")" + secret + R"("}}})",
      R"({"auths": {"quay.io": {"auth": ")" + EncodeBase64(secret) + R"("}}})",
      R"({"auths": {"quay.io": {"auth": ")" + b64 + R"(" x}}})",
      R"({"auths": {"quay.io": {"password": ")" + secret + R"(", "username": 1}}})",
      R"({"auths": {"quay.io": {"identitytoken": [")" + secret + R"("]}}})",
      R"({"auths": {"quay.io": ")" + secret + R"("}})",
      "{\"auths\": {\"quay.io\": {\"auth\": \"" + b64 + "\"}}}\n" + secret,
      R"({"auths": {"quay.io": {"auth": ")" + b64 + R"("}}})",
      R"({"auths": {"quay.io": {"username": "u", "password": ")" + secret + R"("}}})",
      R"({"credsStore": "leaky"})",
      R"({"credsStore": "garbled"})",
      R"({"credsStore": "good"})",
      R"({"credsStore": "token"})",
  };
  // Only a failing helper's first line is quoted; secrets after it are not.
  Helper("leaky", "echo 'failed' >&2; echo '" + secret + "' >&2; echo 'locked'; echo '" + secret +
                      "'; exit 1");
  Helper("garbled", "echo '{\"Username\": \"u\", \"Secret\": \"" + secret + "\"'");
  AnsweringHelper("good", "u");
  AnsweringHelper("token", "<token>");
  int errors = 0;
  int found = 0;
  for (const std::string& config : configs) {
    for (const std::string& file : {DockerConfig(), UserAuthJson()}) {
      std::filesystem::remove_all(dir_.File("home"));
      WriteText(file, config);
      std::string err;
      const auto cred = Lookup("quay.io", "o/app", &err);
      EXPECT_EQ(err.find(secret), std::string::npos) << err;
      EXPECT_EQ(err.find(b64), std::string::npos) << err;
      EXPECT_EQ(err.find(EncodeBase64(secret)), std::string::npos) << err;
      errors += err.empty() ? 0 : 1;
      if (cred) {
        ++found;
        EXPECT_EQ(cred->origin.find(secret), std::string::npos) << cred->origin;
        EXPECT_TRUE(cred->password == secret || cred->identity_token == secret);
      }
    }
  }
  EXPECT_EQ(errors, 16);  // every broken setup reported, none silently empty
  EXPECT_EQ(found, 6);
}

}  // namespace
}  // namespace imglint
