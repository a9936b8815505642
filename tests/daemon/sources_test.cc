// SPDX-License-Identifier: Apache-2.0
// Images read straight from the Docker and Podman daemons (issue 12), end to
// end through the real CLI against the fixture's dockerd 20.10 and Podman 4.3:
//   imglint docker-daemon:NAME:TAG   GET /images/{name}/get on DOCKER_HOST
//   imglint podman:NAME:TAG          the same on Podman's CONTAINER_HOST
//   imglint NAME:TAG                 not a path: Docker, then Podman, then
//                                    the registry; --image-src sets the order
//                                    and which are allowed (Trivy's flag).
// A daemon image gives the same findings as the same image saved to a
// tarball (`docker save`, `podman save --format docker-archive`), apart
// from location.path and fingerprint; JSON targets[].source (additive) and
// the text output say which daemon it came from. Errors are exit 2, name the
// image and the daemon, and leave the other targets reported.
//
// Every image is prepared with the daemons' own CLIs and checked before
// imglint runs (ASSERT), so until the client lands these tests fail at the
// imglint step, showing what imglint said.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/daemon_env.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// USER, EXPOSE 80, a setuid file (chmod u+s) and a file with a capability
// (ADD of a tar made with `tar --xattrs` from a setcap'd file).
constexpr char kAppDockerfile[] =
    "FROM imglint-test/base:1\n"
    "ADD capprobe.tar /\n"
    "RUN cp /bin/busybox /usr/local/bin/suidbox && chmod u+s /usr/local/bin/suidbox\n"
    "USER 1000\n"
    "EXPOSE 80\n"
    "ENTRYPOINT [\"/usr/local/bin/capprobe\", \"80\"]\n";

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A run of imglint and its JSON report (null when stdout is not JSON).
struct Report {
  CliResult run;
  json doc;

  std::string Explain() const {
    return "imglint exit " + std::to_string(run.exit_code) + "\nstderr:\n" + run.err +
           "\nstdout:\n" + run.out.substr(0, 4000);
  }
  const json& Target(size_t i) const {
    static const json kNull;
    return doc.is_object() && doc.contains("targets") && doc["targets"].is_array() &&
                   i < doc["targets"].size()
               ? doc["targets"][i]
               : kNull;
  }
  // targets[i].error as a string ("" when null or absent).
  std::string Error(size_t i) const {
    const json& t = Target(i);
    return t.is_object() && t.contains("error") && t["error"].is_string()
               ? t["error"].get<std::string>()
               : "";
  }
  std::string Source(size_t i) const {
    const json& t = Target(i);
    return t.is_object() && t.contains("source") && t["source"].is_string()
               ? t["source"].get<std::string>()
               : "";
  }
  std::vector<std::string> Rules() const {
    std::vector<std::string> rules;
    if (doc.is_object() && doc.contains("findings") && doc["findings"].is_array()) {
      for (const json& f : doc["findings"]) rules.push_back(f.value("rule", ""));
    }
    return rules;
  }
};

// Runs imglint against the fixture's daemons with `overrides` applied on
// top of ImglintDaemonEnv.
Report Lint(const TempDir& dir, std::vector<std::string> args, const EnvChanges& overrides = {},
            const std::string& format = "json") {
  EnvChanges env = ImglintDaemonEnv(dir.File("scratch"));
  for (const auto& [name, value] : overrides) env[name] = value;
  args.insert(args.begin(), {"--format", format, "--fail-on", "never"});
  Report report;
  report.run = RunImglintWithEnv(args, env);
  if (format == "json") report.doc = json::parse(report.run.out, nullptr, false);
  return report;
}

// The findings with location.path and fingerprint dropped (they name the
// input, not the image), sorted; also without layer_digest when asked.
json Comparable(const json& doc, bool keep_layer_digests = true) {
  std::vector<json> out;
  if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) {
    return json::array();
  }
  for (json f : doc["findings"]) {
    f.erase("fingerprint");
    if (f.contains("location") && f["location"].is_object()) {
      f["location"].erase("path");
      if (!keep_layer_digests) f["location"].erase("layer_digest");
    }
    if (f.contains("related") && f["related"].is_array()) {
      for (json& r : f["related"]) {
        if (r.is_object()) r.erase("path");
      }
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const json& a, const json& b) { return a.dump() < b.dump(); });
  return json(out);
}

// The tarball's report, checked to hold what the image is made of, so that
// comparing with it is not comparing two empty lists.
::testing::AssertionResult BaselineOf(const TempDir& dir, const std::string& tar,
                                      const std::vector<std::string>& must_have, Report* out) {
  *out = Lint(dir, {tar});
  if (out->run.exit_code != 0 || !out->doc.is_object()) {
    return ::testing::AssertionFailure() << "linting the tarball " << tar << ": " << out->Explain();
  }
  std::vector<std::string> rules = out->Rules();
  for (const std::string& rule : must_have) {
    if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
      return ::testing::AssertionFailure()
             << "the tarball's report lacks " << rule << ": " << out->Explain();
    }
  }
  return ::testing::AssertionSuccess();
}

// docker build of the app image; its `docker save` tarball in *tar, checked
// to carry the capability.
::testing::AssertionResult BuildApp(const TempDir& dir, const std::string& tag, std::string* tar) {
  if (Daemons().capprobe_tar.empty()) {
    return ::testing::AssertionFailure() << "no capprobe.tar: " << Daemons().capprobe_error;
  }
  if (auto built = DockerBuild(dir.File("ctx"), kAppDockerfile, tag); !built) return built;
  *tar = dir.File("docker-save.tar");
  if (auto saved = SaveImage(Daemon::kDocker, tag, *tar); !saved) return saved;
  if (LayerXattr(*tar, "/usr/local/bin/capprobe", "security.capability") !=
      CapV2({"cap_net_bind_service"}, true)) {
    return ::testing::AssertionFailure() << "the capability did not survive docker build/save";
  }
  return ::testing::AssertionSuccess();
}

// An image written by tests/support/image_builder: user 1000, port 80, a
// setuid file, a capability, and a setuid file a later layer deletes.
std::string WriteBuilderImage(const TempDir& dir, const std::string& ref) {
  ImageSpec spec;
  spec.config.user = "1000";
  spec.config.exposed_ports = {"80/tcp", "443/tcp"};
  spec.layers.push_back(
      {.entries = {Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/su", 04755, "su"),
                   File("/usr/bin/mount", 04755, "mount"),
                   File("/usr/bin/ping", 0755, "ping").WithCaps(CapV2({"cap_net_raw"}, true))}});
  spec.layers.push_back({.entries = {Whiteout("/usr/bin/mount")}});
  spec.refs = {ref};
  const std::string path = dir.File("builder.tar");
  WriteDockerSaveTar(spec, path);
  return path;
}

void ExpectSameFindings(const Report& from_daemon, const Report& from_tar) {
  EXPECT_EQ(Comparable(from_daemon.doc).dump(1), Comparable(from_tar.doc).dump(1))
      << "the daemon's image and its saved tarball give different findings";
}

// ---------------------------------------------------------------------------

TEST(DockerDaemonSource, SameFindingsAsTheSavedTarball) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  TempDir dir;
  std::string tar;
  ASSERT_TRUE(BuildApp(dir, "app-docker:1", &tar));
  Report baseline;
  ASSERT_TRUE(BaselineOf(dir, tar, {"IL201", "IL203", "IL301", "IL304"}, &baseline));

  Report r = Lint(dir, {"docker-daemon:app-docker:1"});
  ASSERT_EQ(r.run.exit_code, 0) << "imglint could not read docker-daemon:app-docker:1\n"
                                << r.Explain();
  ASSERT_TRUE(r.doc.is_object()) << r.Explain();
  EXPECT_EQ(r.Target(0).value("path", ""), "docker-daemon:app-docker:1");
  EXPECT_EQ(r.Target(0).value("kind", ""), "image");
  ExpectSameFindings(r, baseline);
  // targets[0].source names the daemon, e.g. "docker daemon unix:///…/docker.sock".
  EXPECT_THAT(Lower(r.Source(0)), HasSubstr("docker")) << r.Explain();
  EXPECT_THAT(r.Source(0), HasSubstr(Daemons().docker.SocketPath())) << r.Explain();
}

TEST(DockerDaemonSource, TextOutputSaysWhereTheImageCameFrom) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  TempDir dir;
  std::string tar;
  ASSERT_TRUE(BuildApp(dir, "app-docker-text:1", &tar));
  Report r = Lint(dir, {"docker-daemon:app-docker-text:1"}, {}, "text");
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  EXPECT_THAT(r.run.out, HasSubstr("/usr/local/bin/suidbox")) << r.Explain();
  EXPECT_THAT(Lower(r.run.out), HasSubstr("docker")) << r.Explain();
  EXPECT_THAT(r.run.out, HasSubstr(Daemons().docker.SocketPath())) << r.Explain();
}

// `docker load` of an image_builder tarball (gzip layers, a whiteout), then
// the daemon's copy against `docker save` of it.
TEST(DockerDaemonSource, LoadedImageBuilderImage) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  TempDir dir;
  ASSERT_TRUE(LoadImage(Daemon::kDocker, WriteBuilderImage(dir, "builder-docker:1")));
  const std::string tar = dir.File("docker-save.tar");
  ASSERT_TRUE(SaveImage(Daemon::kDocker, "builder-docker:1", tar));
  Report baseline;
  ASSERT_TRUE(BaselineOf(dir, tar, {"IL201", "IL203", "IL301"}, &baseline));
  // The round trip through Docker kept what imglint sees (apart from layer
  // digests: Docker stores layers uncompressed).
  Report original = Lint(dir, {dir.File("builder.tar")});
  ASSERT_EQ(Comparable(original.doc, false).dump(1), Comparable(baseline.doc, false).dump(1));

  Report r = Lint(dir, {"docker-daemon:builder-docker:1"});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  ExpectSameFindings(r, baseline);
}

// --resolve-base reads a FROM image from the daemon that has it: a base
// built with USER 1000 and EXPOSE 80 makes the Dockerfile on it non-root
// (no IL101) and gives it the base's port (IL301 at the FROM).
TEST(BaseFromDaemon, DockerBuiltBaseDecidesTheDockerfileVerdicts) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  TempDir dir;
  ASSERT_TRUE(DockerBuild(dir.File("base-ctx"), "FROM imglint-test/base:1\nUSER 1000\nEXPOSE 80\n",
                          "base-nonroot-docker:1"));
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, "FROM base-nonroot-docker:1\nCOPY app /app\n");
  Report unresolved = Lint(dir, {"--image-src", "docker", dockerfile});
  EXPECT_THAT(unresolved.Rules(), ::testing::Contains("IL101")) << unresolved.Explain();
  Report r = Lint(dir, {"--resolve-base", "--image-src", "docker", dockerfile});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  EXPECT_EQ(r.Rules(), std::vector<std::string>{"IL301"}) << r.Explain();
  EXPECT_THAT(r.doc["findings"][0].value("message", ""),
              HasSubstr("port 80/tcp of the base image base-nonroot-docker:1"));
}

// (rule, image_path) of the setuid and setgid findings of a report.
std::set<std::pair<std::string, std::string>> SpecialBitFiles(const Report& r) {
  std::set<std::pair<std::string, std::string>> out;
  for (const json& f : r.doc.value("findings", json::array())) {
    const std::string rule = f.value("rule", "");
    if (rule == "IL201" || rule == "IL202") {
      out.emplace(rule, f["location"].value("image_path", ""));
    }
  }
  return out;
}

// --resolve-base=full predicts the special-bit files of the image the
// Dockerfile builds: docker build it and compare with the image's findings.
TEST(BaseFromDaemon, FullResolutionAgreesWithTheBuiltImage) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  TempDir dir;
  ASSERT_TRUE(DockerBuild(dir.File("base-ctx"),
                          "FROM imglint-test/base:1\n"
                          "RUN cp /bin/busybox /bin/su2 && cp /bin/busybox /bin/mnt2 && "
                          "cp /bin/busybox /bin/wall2 && chmod 4755 /bin/su2 /bin/mnt2 && "
                          "chmod 2755 /bin/wall2\n",
                          "base-setuid-docker:1"));
  const std::string app = "FROM base-setuid-docker:1\nRUN chmod u-s /bin/mnt2\nUSER 1000\n";
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, app);
  Report predicted = Lint(dir, {"--resolve-base=full", "--image-src", "docker", dockerfile});
  ASSERT_EQ(predicted.run.exit_code, 0) << predicted.Explain();

  ASSERT_TRUE(DockerBuild(dir.File("app-ctx"), app, "app-on-setuid-base:1"));
  const std::string tar = dir.File("app.tar");
  ASSERT_TRUE(SaveImage(Daemon::kDocker, "app-on-setuid-base:1", tar));
  Report built = Lint(dir, {tar});
  ASSERT_EQ(built.run.exit_code, 0) << built.Explain();

  const std::set<std::pair<std::string, std::string>> expected = {{"IL201", "/bin/su2"},
                                                                  {"IL202", "/bin/wall2"}};
  EXPECT_EQ(SpecialBitFiles(built), expected) << built.Explain();
  EXPECT_EQ(SpecialBitFiles(predicted), expected) << predicted.Explain();
}

TEST(BaseFromDaemon, PodmanBaseWithoutUserIsDefinitelyRoot) {
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  const std::string dockerfile = dir.File("Dockerfile");
  WriteFileBytes(dockerfile, "FROM " + Daemons().base_image + "\nCOPY app /app\n");
  Report r = Lint(dir, {"--resolve-base", "--image-src", "podman", dockerfile});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  ASSERT_EQ(r.Rules(), std::vector<std::string>{"IL101"}) << r.Explain();
  EXPECT_THAT(r.doc["findings"][0].value("message", ""),
              HasSubstr("runs as root: its config sets no user"));
  EXPECT_EQ(r.run.err, "") << r.Explain();
}

TEST(PodmanSource, SameFindingsAsPodmanSave) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  std::string docker_tar;
  ASSERT_TRUE(BuildApp(dir, "app-podman:1", &docker_tar));
  ASSERT_TRUE(LoadImage(Daemon::kPodman, docker_tar));  // Podman names it localhost/app-podman:1
  const std::string tar = dir.File("podman-save.tar");
  ASSERT_TRUE(SaveImage(Daemon::kPodman, "app-podman:1", tar));
  Report baseline;
  ASSERT_TRUE(BaselineOf(dir, tar, {"IL201", "IL203", "IL301", "IL304"}, &baseline));

  Report r = Lint(dir, {"podman:app-podman:1"});
  ASSERT_EQ(r.run.exit_code, 0) << "imglint could not read podman:app-podman:1\n" << r.Explain();
  EXPECT_EQ(r.Target(0).value("path", ""), "podman:app-podman:1");
  ExpectSameFindings(r, baseline);
  EXPECT_THAT(Lower(r.Source(0)), HasSubstr("podman")) << r.Explain();
  EXPECT_THAT(r.Source(0), HasSubstr(Daemons().podman.SocketPath())) << r.Explain();
}

TEST(PodmanSource, LoadedImageBuilderImage) {
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  ASSERT_TRUE(LoadImage(Daemon::kPodman, WriteBuilderImage(dir, "builder-podman:1")));
  const std::string tar = dir.File("podman-save.tar");
  ASSERT_TRUE(SaveImage(Daemon::kPodman, "builder-podman:1", tar));
  Report baseline;
  ASSERT_TRUE(BaselineOf(dir, tar, {"IL201", "IL203", "IL301"}, &baseline));

  Report r = Lint(dir, {"podman:builder-podman:1"});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  ExpectSameFindings(r, baseline);
}

// ---------------------------------------------------------------------------
// A bare NAME:TAG: Docker, then Podman, then the registry.

TEST(BareReference, ComesFromPodmanWhenDockerIsNotThere) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  std::string docker_tar;
  ASSERT_TRUE(BuildApp(dir, "app-bare:1", &docker_tar));
  ASSERT_TRUE(LoadImage(Daemon::kPodman, docker_tar));
  const std::string tar = dir.File("podman-save.tar");
  ASSERT_TRUE(SaveImage(Daemon::kPodman, "app-bare:1", tar));
  Report baseline;
  ASSERT_TRUE(BaselineOf(dir, tar, {"IL201", "IL203"}, &baseline));

  // No Docker at all: DOCKER_HOST names a socket that does not exist.
  const EnvChanges no_docker = {{"DOCKER_HOST", "unix://" + dir.File("no-docker.sock")}};
  Report r = Lint(dir, {"app-bare:1"}, no_docker);
  ASSERT_EQ(r.run.exit_code, 0) << "a bare app-bare:1 should come from Podman\n" << r.Explain();
  EXPECT_EQ(r.Target(0).value("path", ""), "app-bare:1");
  ExpectSameFindings(r, baseline);
  EXPECT_THAT(Lower(r.Source(0)), HasSubstr("podman")) << r.Explain();
  EXPECT_THAT(r.Source(0), HasSubstr(Daemons().podman.SocketPath())) << r.Explain();
}

TEST(BareReference, DockerFirstUnlessImageSrcSaysOtherwise) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  std::string docker_tar;
  ASSERT_TRUE(BuildApp(dir, "app-both:1", &docker_tar));
  ASSERT_TRUE(LoadImage(Daemon::kPodman, docker_tar));

  Report r = Lint(dir, {"app-both:1"});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  EXPECT_THAT(r.Source(0), HasSubstr(Daemons().docker.SocketPath())) << r.Explain();

  r = Lint(dir, {"--image-src", "podman,docker", "app-both:1"});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  EXPECT_THAT(r.Source(0), HasSubstr(Daemons().podman.SocketPath())) << r.Explain();

  r = Lint(dir, {"--image-src", "podman", "app-both:1"});
  ASSERT_EQ(r.run.exit_code, 0) << r.Explain();
  EXPECT_THAT(r.Source(0), HasSubstr(Daemons().podman.SocketPath())) << r.Explain();
}

// --image-src also says which sources are allowed: Podman has the image,
// but only Docker may be asked.
TEST(BareReference, ImageSrcLeavesOutTheOtherSources) {
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  ASSERT_TRUE(LoadImage(Daemon::kPodman, WriteBuilderImage(dir, "elsewhere-only:1")));
  Report r = Lint(dir, {"--image-src", "docker", "elsewhere-only:1"});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr("elsewhere-only:1")) << r.Explain();
  EXPECT_THAT(Lower(r.Error(0)), HasSubstr("docker")) << r.Explain();
  EXPECT_THAT(Lower(r.Error(0)), ::testing::Not(HasSubstr("podman"))) << r.Explain();
}

TEST(BareReference, UnknownImageSrcIsAUsageError) {
  TempDir dir;
  Report r = Lint(dir, {"--image-src", "docker,bogus", "app:1"});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(r.run.err, HasSubstr("bogus")) << r.Explain();
}

// An explicit transport never falls back to another source.
TEST(BareReference, ExplicitDockerDaemonDoesNotAskPodman) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  ASSERT_TRUE(LoadImage(Daemon::kPodman, WriteBuilderImage(dir, "podman-has-it:1")));
  Report r = Lint(dir, {"docker-daemon:podman-has-it:1"});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr("podman-has-it:1")) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr(Daemons().docker.SocketPath())) << r.Explain();
}

// ---------------------------------------------------------------------------
// Errors: exit 2, the image and the daemon named, the other targets reported.

class SourceErrors : public ::testing::Test {
 protected:
  // A readable second target whose findings must still be reported.
  void SetUp() override {
    ImageSpec spec;
    spec.config.user = "1000";
    spec.layers.push_back({.entries = {Dir("/bin"), File("/bin/passwd", 04755, "x")}});
    good_ = dir_.File("good.tar");
    WriteOciTar(spec, good_);
  }

  void ExpectGoodTargetReported(const Report& r, size_t index) {
    EXPECT_EQ(r.Target(index).value("path", ""), good_) << r.Explain();
    EXPECT_TRUE(r.Target(index).contains("error") && r.Target(index)["error"].is_null())
        << r.Explain();
    std::vector<std::string> rules = r.Rules();
    EXPECT_NE(std::find(rules.begin(), rules.end(), "IL201"), rules.end()) << r.Explain();
  }

  TempDir dir_;
  std::string good_;
};

TEST_F(SourceErrors, ImageNotInTheDockerDaemon) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  Report r = Lint(dir_, {"docker-daemon:imglint-absent:1", good_});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr("imglint-absent:1")) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr(Daemons().docker.SocketPath())) << r.Explain();
  ExpectGoodTargetReported(r, 1);
}

TEST_F(SourceErrors, ImageNotInPodman) {
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  Report r = Lint(dir_, {"podman:imglint-absent:1", good_});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr("imglint-absent:1")) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr(Daemons().podman.SocketPath())) << r.Explain();
  ExpectGoodTargetReported(r, 1);
}

TEST_F(SourceErrors, DockerDaemonNotReachable) {
  Report r = Lint(dir_, {"docker-daemon:app:1", good_},
                  {{"DOCKER_HOST", "unix:///nonexistent/docker.sock"}});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(Lower(r.Error(0)), HasSubstr("connect")) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr("/nonexistent/docker.sock")) << r.Explain();
  ExpectGoodTargetReported(r, 1);
  // And in the text output, on stderr, for people.
  r = Lint(dir_, {"docker-daemon:app:1", good_},
           {{"DOCKER_HOST", "unix:///nonexistent/docker.sock"}}, "text");
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(r.run.err, HasSubstr("/nonexistent/docker.sock")) << r.Explain();
  EXPECT_THAT(r.run.out, HasSubstr("/bin/passwd")) << r.Explain();
}

TEST_F(SourceErrors, PodmanNotReachable) {
  Report r =
      Lint(dir_, {"podman:app:1", good_}, {{"CONTAINER_HOST", "unix:///nonexistent/podman.sock"}});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  EXPECT_THAT(Lower(r.Error(0)), HasSubstr("connect")) << r.Explain();
  EXPECT_THAT(r.Error(0), HasSubstr("/nonexistent/podman.sock")) << r.Explain();
  ExpectGoodTargetReported(r, 1);
}

// No source has it: the error lists what each one said. The reference names
// a registry on a closed loopback port, so the last try fails at once and
// nothing leaves the machine.
TEST_F(SourceErrors, NoSourceHasTheBareReference) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  const std::string ref = "127.0.0.1:1/imglint-absent:1";
  Report r = Lint(dir_, {ref, good_});
  EXPECT_EQ(r.run.exit_code, 2) << r.Explain();
  const std::string error = Lower(r.Error(0));
  EXPECT_THAT(error, HasSubstr("imglint-absent")) << r.Explain();
  EXPECT_THAT(error, HasSubstr("docker")) << r.Explain();
  EXPECT_THAT(error, HasSubstr("podman")) << r.Explain();
  EXPECT_THAT(error, HasSubstr("127.0.0.1:1")) << "the registry's answer is missing\n"
                                               << r.Explain();
  ExpectGoodTargetReported(r, 1);
}

}  // namespace
}  // namespace imglint::testing
