// SPDX-License-Identifier: Apache-2.0
// Issue 12, --resolve-base: the base image behind a Dockerfile's FROM, read
// from the real registry, turns "runs as root unless the base image sets a
// user" into definite verdicts. Real third-party Dockerfiles from
// $IMGLINT_SHARED_DIR/corpus are linted with their external FROM pointed at
// the test registry, where an image of our making stands in for the base:
// one running as root, one as a numeric non-root user, one as a named user,
// and a Windows one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::filesystem::path CorpusDockerfiles() {
  const char* shared = std::getenv("IMGLINT_SHARED_DIR");
  return std::filesystem::path(shared != nullptr ? shared : "/work/shared") / "corpus" /
         "dockerfiles";
}

// A base image: `user`, `exposed` ports, `os`, and an /etc/passwd.
ImageSpec BaseSpec(const std::string& marker, const std::string& user,
                   std::vector<std::string> exposed, const std::string& os = "linux",
                   const std::string& passwd = "root:x:0:0:root:/root:/bin/sh\n") {
  ImageSpec spec;
  spec.config.user = user;
  spec.config.exposed_ports = std::move(exposed);
  spec.config.os = os;
  spec.config.history = {{.created_by = "imglint base test " + marker}};
  spec.layers.push_back({.entries = {Dir("/etc"), File("/etc/passwd", 0644, passwd),
                                     File("/etc/group", 0644, "root:x:0:\n"),
                                     File("/etc/imglint-marker", 0644, marker + "\n")}});
  return spec;
}

// Pushes `spec` to the plain registry as `repo_tag`; returns HOST/repo_tag.
std::string PushBase(const TempDir& dir, const ImageSpec& spec, const std::string& repo_tag) {
  const Registry& plain = GetRegistry("plain");
  const std::string tar = dir.File(UniqueName("base") + ".tar");
  WriteOciTar(spec, tar);
  PushImage("oci-archive:" + tar, plain, repo_tag);
  return plain.Ref(repo_tag);
}

// The corpus Dockerfile `relative` with its FROM `from` replaced by `to`,
// written into `dir`; skips when the corpus is absent.
std::string CorpusWithBase(const TempDir& dir, const std::string& relative, const std::string& from,
                           const std::string& to) {
  const std::filesystem::path source = CorpusDockerfiles() / relative;
  if (!std::filesystem::exists(source)) return "";
  std::string text = ReadFileBytes(source);
  const std::string needle = "FROM " + from;
  size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << relative << " has no " << needle;
  if (at == std::string::npos) return "";
  text.replace(at, needle.size(), "FROM " + to);
  const std::string out = dir.File(UniqueName("Dockerfile"));
  WriteFileBytes(out, text);
  return out;
}

std::vector<json> FindingsOf(const json& report, const std::string& rule) {
  std::vector<json> out;
  for (const json& f : report["findings"]) {
    if (f["rule"] == rule) out.push_back(f);
  }
  return out;
}

std::string Messages(const json& report, const std::string& rule) {
  std::string out;
  for (const json& f : FindingsOf(report, rule)) out += f["message"].get<std::string>() + "\n";
  return out;
}

LintRun LintDockerfile(const TempDir& dir, const std::string& dockerfile,
                       std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--fail-on", "never", "--image-src", "remote"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(dockerfile);
  LintRun run = LintJson(dir, args);
  EXPECT_EQ(run.result.exit_code, 0) << run.result.err;
  return run;
}

#define SKIP_WITHOUT_CORPUS(path)                                                  \
  if ((path).empty()) {                                                            \
    GTEST_SKIP() << "corpus not found under " << CorpusDockerfiles()               \
                 << " (set IMGLINT_SHARED_DIR): the corpus cases cannot run here"; \
  }

// docker-library/postgres 17 on alpine: no USER (the entrypoint drops to
// postgres with gosu), so the base's user decides — root here.
TEST(RegistryBaseTest, CorpusOnRootBaseIsDefinitelyRoot) {
  TempDir dir;
  const std::string base =
      PushBase(dir, BaseSpec("root", "", {}), UniqueName("base-root") + "/library/alpine:3.23");
  const std::string dockerfile = CorpusWithBase(
      dir, "docker-library__postgres/17__alpine3.23__Dockerfile", "alpine:3.23", base);
  SKIP_WITHOUT_CORPUS(dockerfile);

  LintRun unresolved = LintDockerfile(dir, dockerfile);
  EXPECT_THAT(Messages(unresolved.report, "IL101"),
              HasSubstr("runs as root unless the base image " + base + " sets a user"));

  LintRun resolved = LintDockerfile(dir, dockerfile, {"--resolve-base"});
  const std::string messages = Messages(resolved.report, "IL101");
  EXPECT_THAT(messages, HasSubstr("its base image " + base +
                                  " runs as root: its config sets no "
                                  "user"));
  EXPECT_THAT(messages, Not(HasSubstr("unless")));
  EXPECT_EQ(resolved.result.err, "");
}

// GoogleContainerTools/distroless examples/python3: no USER; a base running
// as uid 65532 makes it a non-root container, so IL101 goes away.
TEST(RegistryBaseTest, CorpusOnNumericNonRootBaseIsNotRoot) {
  TempDir dir;
  const std::string base = PushBase(dir, BaseSpec("numeric", "65532", {}),
                                    UniqueName("base-numeric") + "/distroless/python3:latest");
  const std::string dockerfile =
      CorpusWithBase(dir, "GoogleContainerTools__distroless/examples__python3__Dockerfile",
                     "gcr.io/distroless/python3", base);
  SKIP_WITHOUT_CORPUS(dockerfile);
  EXPECT_FALSE(FindingsOf(LintDockerfile(dir, dockerfile).report, "IL101").empty());
  LintRun resolved = LintDockerfile(dir, dockerfile, {"--resolve-base"});
  EXPECT_TRUE(FindingsOf(resolved.report, "IL101").empty()) << resolved.result.out;
}

// nextcloud's example on nextcloud:fpm: no USER; a base running as the named
// user www-data is non-root by name alone (config mode reads no passwd).
TEST(RegistryBaseTest, CorpusOnNamedUserBaseIsNotRoot) {
  TempDir dir;
  const std::string base = PushBase(
      dir,
      BaseSpec("named", "www-data", {"9000/tcp"}, "linux",
               "root:x:0:0:root:/root:/bin/sh\nwww-data:x:82:82::/var/www:/sbin/nologin\n"),
      UniqueName("base-named") + "/library/nextcloud:fpm");
  const std::string dockerfile =
      CorpusWithBase(dir, "nextcloud__docker/.examples__dockerfiles__cron__fpm__Dockerfile",
                     "nextcloud:fpm", base);
  SKIP_WITHOUT_CORPUS(dockerfile);
  EXPECT_FALSE(FindingsOf(LintDockerfile(dir, dockerfile).report, "IL101").empty());
  for (const char* mode : {"--resolve-base", "--resolve-base=full"}) {
    LintRun resolved = LintDockerfile(dir, dockerfile, {mode});
    EXPECT_TRUE(FindingsOf(resolved.report, "IL101").empty()) << mode << resolved.result.out;
  }
}

// docker-library/mongo on Windows Server Core: one IL002 note, no Linux
// rule — by name without resolution, by the config's os with it.
TEST(RegistryBaseTest, CorpusOnWindowsBaseGetsOneNoteAndNoLinuxRule) {
  TempDir dir;
  ImageSpec windows = BaseSpec("windows", "ContainerUser", {"80/tcp"}, "windows");
  const std::string base =
      PushBase(dir, windows, UniqueName("base-windows") + "/windows/servercore:ltsc2022");
  const std::string dockerfile = CorpusWithBase(
      dir, "docker-library__mongo/8.2__windows__windowsservercore-ltsc2022__Dockerfile",
      "mcr.microsoft.com/windows/servercore:ltsc2022", base);
  SKIP_WITHOUT_CORPUS(dockerfile);
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--resolve-base"}}) {
    LintRun run = LintDockerfile(dir, dockerfile, extra);
    ASSERT_EQ(run.report["findings"].size(), 1u) << run.result.out;
    const json& note = run.report["findings"][0];
    EXPECT_EQ(note["rule"], "IL002");
    EXPECT_EQ(note["severity"], "note");
    EXPECT_THAT(
        note["message"].get<std::string>(),
        HasSubstr(extra.empty() ? "recognised by its name" : "its config says os: windows"));
  }
}

// A Windows base no name gives away: only its config tells, and only with
// --resolve-base.
TEST(RegistryBaseTest, WindowsBaseKnownOnlyFromItsConfig) {
  TempDir dir;
  const std::string base = PushBase(dir, BaseSpec("win-config", "", {"80/tcp"}, "windows"),
                                    UniqueName("base-plain") + "/app-base:1");
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, "FROM " + base + "\nEXPOSE 80\n");
  LintRun unresolved = LintDockerfile(dir, dockerfile);
  EXPECT_FALSE(FindingsOf(unresolved.report, "IL101").empty());
  EXPECT_TRUE(FindingsOf(unresolved.report, "IL002").empty());
  LintRun resolved = LintDockerfile(dir, dockerfile, {"--resolve-base"});
  EXPECT_EQ(RuleIds(resolved.report, dockerfile), std::vector<std::string>{"IL002"})
      << resolved.result.out;
}

// The base's ExposedPorts are inherited (IL301 at the FROM), its user makes
// IL303 definite under a runtime without the sysctl, and with =full its
// /etc/passwd decides a USER name when no build step can add users.
TEST(RegistryBaseTest, BasePortsUserAndPasswdFeedTheDockerfileRules) {
  TempDir dir;
  const std::string base =
      PushBase(dir,
               BaseSpec("ports", "web", {"80/tcp", "8080/tcp"}, "linux",
                        "root:x:0:0:root:/root:/bin/sh\nweb:x:1000:1000::/srv:/bin/sh\n"
                        "toor:x:0:0::/root:/bin/sh\n"),
               UniqueName("base-ports") + "/web:1");
  const std::string inherits = dir.File("Dockerfile.inherits");
  WriteFileBytes(inherits, "FROM " + base + "\nCOPY app /srv/app\n");

  LintRun run = LintDockerfile(dir, inherits, {"--resolve-base", "--runtime", "podman"});
  const std::vector<json> ports = FindingsOf(run.report, "IL301");
  ASSERT_EQ(ports.size(), 1u) << run.result.out;
  EXPECT_THAT(ports[0]["message"].get<std::string>(),
              HasSubstr("port 80/tcp of the base image " + base));
  EXPECT_EQ(ports[0]["location"]["line"], 1);
  EXPECT_THAT(Messages(run.report, "IL303"), HasSubstr("the base image's user \"web\""));
  EXPECT_TRUE(FindingsOf(run.report, "IL101").empty());

  // A USER name the base lacks, with no RUN that could add it.
  const std::string ghost = dir.File("Dockerfile.ghost");
  WriteFileBytes(ghost, "FROM " + base + "\nUSER ghost\n");
  EXPECT_TRUE(FindingsOf(LintDockerfile(dir, ghost, {"--resolve-base"}).report, "IL102").empty());
  LintRun full = LintDockerfile(dir, ghost, {"--resolve-base=full"});
  EXPECT_THAT(Messages(full.report, "IL102"),
              HasSubstr("user \"ghost\" is not in /etc/passwd of the base image " + base));
  // With a RUN step the build may add the user: no verdict.
  const std::string adds = dir.File("Dockerfile.adds");
  WriteFileBytes(adds, "FROM " + base + "\nRUN adduser -D ghost\nUSER ghost\n");
  EXPECT_TRUE(
      FindingsOf(LintDockerfile(dir, adds, {"--resolve-base=full"}).report, "IL102").empty());
  // A name with uid 0 in the base's passwd is root (=full only).
  const std::string toor = dir.File("Dockerfile.toor");
  WriteFileBytes(toor, "FROM " + base + "\nUSER toor\n");
  EXPECT_TRUE(FindingsOf(LintDockerfile(dir, toor, {"--resolve-base"}).report, "IL101").empty());
  EXPECT_THAT(Messages(LintDockerfile(dir, toor, {"--resolve-base=full"}).report, "IL101"),
              HasSubstr("of the base image " + base));
}

// With =full the final image's setuid, setgid and capability files that come
// from the base are reported at the FROM — those the build leaves alone.
TEST(RegistryBaseTest, FullResolutionReportsPrivilegedFilesTheBuildKeeps) {
  TempDir dir;
  ImageSpec spec = BaseSpec("privileged", "", {});
  spec.layers.push_back(
      {.entries = {Dir("/bin"), Dir("/usr"), Dir("/usr/bin"), Dir("/usr/sbin"),
                   File("/bin/su", 04755, "su"), File("/usr/bin/passwd", 04755, "passwd"),
                   File("/usr/bin/wall", 02755, "wall").WithOwner(0, 5),
                   File("/usr/bin/ping", 0755, "ping").WithCaps(CapV2({"cap_net_raw"}, true)),
                   File("/usr/sbin/httpd", 0755, "httpd")
                       .WithCaps(CapV2({"cap_net_bind_service"}, true))}});
  const std::string base = PushBase(dir, spec, UniqueName("base-privileged") + "/debian:12");

  const std::string keeps = dir.File("Dockerfile.keeps");
  WriteFileBytes(keeps, "# app\nFROM " + base +
                            "\nRUN chmod u-s /bin/su && setcap -r /usr/sbin/httpd\nUSER 1000\n");
  LintRun config = LintDockerfile(dir, keeps, {"--resolve-base"});
  EXPECT_TRUE(FindingsOf(config.report, "IL201").empty()) << "config mode reads no files";

  LintRun full = LintDockerfile(dir, keeps, {"--resolve-base=full"});
  const std::vector<json> setuid = FindingsOf(full.report, "IL201");
  ASSERT_EQ(setuid.size(), 1u) << full.result.out;
  EXPECT_EQ(setuid[0]["message"],
            "/usr/bin/passwd is setuid root (mode 4755) in the base image " + base);
  EXPECT_EQ(setuid[0]["location"]["path"], keeps);
  EXPECT_EQ(setuid[0]["location"]["line"], 2);
  EXPECT_EQ(setuid[0]["location"]["image_path"], "/usr/bin/passwd");
  EXPECT_THAT(setuid[0]["location"]["layer_digest"].get<std::string>(), HasSubstr("sha256:"));
  EXPECT_THAT(Messages(full.report, "IL202"),
              HasSubstr("/usr/bin/wall is setgid gid 5 (mode 2755) in the base image"));
  const std::string caps = Messages(full.report, "IL203");
  EXPECT_THAT(caps, HasSubstr("/usr/bin/ping has file capabilities cap_net_raw=ep in the base"));
  EXPECT_THAT(caps, Not(HasSubstr("httpd")));

  // A build that clears every special bit and capability is blamed for none.
  const std::string clears = dir.File("Dockerfile.clears");
  WriteFileBytes(clears, "FROM " + base +
                             "\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + && \\\n"
                             "    find / -xdev -type f -exec setcap -r {} \\; || true\n");
  LintRun cleared = LintDockerfile(dir, clears, {"--resolve-base=full"});
  EXPECT_EQ(Messages(cleared.report, "IL201") + Messages(cleared.report, "IL202") +
                Messages(cleared.report, "IL203"),
            "");
  // The allow-list of the configuration applies to inherited files too.
  const std::string config_file = dir.File("allow.yaml");
  WriteFileBytes(config_file, "allow:\n  IL201: [/usr/bin/passwd]\n");
  EXPECT_EQ(
      Messages(LintDockerfile(dir, keeps, {"--resolve-base=full", "--config", config_file}).report,
               "IL201"),
      "");
}

// A chain of stages names the external base at its root, resolved or not;
// a base that cannot be read leaves the Dockerfile linted, with the reason
// in the message and on stderr, exit code unchanged.
TEST(RegistryBaseTest, ChainRootIsNamedAndUnreadableBaseIsExplained) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  const std::string missing = plain.Ref(UniqueName("no-such-base") + ":1");
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, "FROM " + missing + " AS base\nRUN true\nFROM base\n");
  LintRun run = LintDockerfile(dir, dockerfile, {"--resolve-base"});
  const std::string messages = Messages(run.report, "IL101");
  EXPECT_THAT(messages, HasSubstr("unless the base image " + missing + " sets a user"));
  EXPECT_THAT(messages, HasSubstr("--resolve-base could not read it"));
  EXPECT_THAT(run.result.err, HasSubstr("--resolve-base"));
  EXPECT_THAT(run.result.err, HasSubstr(missing));
}

// Resolution goes through the metadata cache: a second run with --offline
// reads the base without the registry.
TEST(RegistryBaseTest, OfflineReadsTheCachedBase) {
  TempDir dir;
  const std::string base =
      PushBase(dir, BaseSpec("offline", "", {}), UniqueName("base-offline") + "/root:1");
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, "FROM " + base + "\n");
  EXPECT_THAT(Messages(LintDockerfile(dir, dockerfile, {"--resolve-base"}).report, "IL101"),
              HasSubstr("its config sets no user"));
  EXPECT_THAT(
      Messages(LintDockerfile(dir, dockerfile, {"--resolve-base", "--offline"}).report, "IL101"),
      HasSubstr("its config sets no user"));
}

// `resolve-base:` in the configuration file does what the flag does, and the
// flag wins over it.
TEST(RegistryBaseTest, ConfigFileTurnsResolutionOn) {
  TempDir dir;
  const std::string base =
      PushBase(dir, BaseSpec("config", "", {}), UniqueName("base-config") + "/root:1");
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, "FROM " + base + "\n");
  const std::string config = dir.File("imglint.yaml");
  WriteFileBytes(config, "resolve-base: config\n");
  EXPECT_THAT(Messages(LintDockerfile(dir, dockerfile, {"--config", config}).report, "IL101"),
              HasSubstr("its config sets no user"));
  EXPECT_THAT(
      Messages(LintDockerfile(dir, dockerfile, {"--config", config, "--resolve-base=off"}).report,
               "IL101"),
      HasSubstr("unless the base image"));
}

}  // namespace
}  // namespace imglint::testing
