// SPDX-License-Identifier: Apache-2.0
// The `daemons` fixture itself (tests/infra/daemons.sh): both engines are up
// and isolated from the machine's own, carry the base image with the bind
// probe, and keep a file capability through docker build, save and load and
// podman load and save — what the source and runtime-truth tests stand on.
// And a daemon that did not start fails the tests that need it, with the
// reason the fixture recorded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "tests/support/daemon_env.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// cap_net_bind_service=ep as setcap writes it (VFS_CAP_REVISION_2).
std::string NetBindServiceEp() { return CapV2({"cap_net_bind_service"}, true); }

TEST(DaemonFixture, SocketsAreTheFixturesOwn) {
  const DaemonEnv& env = Daemons();
  ASSERT_EQ(env.error, "");
  for (Daemon daemon : {Daemon::kDocker, Daemon::kPodman}) {
    const DaemonInfo& info = env.Get(daemon);
    EXPECT_THAT(info.host, StartsWith("unix://" + env.state_dir + "/")) << DaemonName(daemon);
    EXPECT_THAT(info.SocketPath(), StartsWith(env.state_dir + "/"));
    EXPECT_LE(info.SocketPath().size(), 107u) << "unix socket path too long: " << info.host;
  }
  EXPECT_NE(env.docker.SocketPath(), "/var/run/docker.sock");
  EXPECT_NE(env.docker.SocketPath(), "/run/docker.sock");
  EXPECT_NE(env.podman.SocketPath(), "/run/podman/podman.sock");
  EXPECT_EQ(env.base_image, "imglint-test/base:1");
  std::cout << "daemon state: " << env.state_dir << "\nsandbox: " << env.sandbox << "\n";
}

TEST(DaemonFixture, DockerIsUpWithItsOwnStorage) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  CliResult r =
      RunDaemonCli(Daemon::kDocker, {"info", "--format", "{{.ServerVersion}} {{.DockerRootDir}}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Trim(r.out), StartsWith("20.10."));
  EXPECT_THAT(Trim(r.out), HasSubstr(" " + Daemons().state_dir + "/"));
  r = RunDaemonCli(Daemon::kDocker,
                   {"image", "inspect", "--format", "{{.Id}}", "imglint-test/base:1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(DaemonFixture, PodmanIsUpWithItsOwnStorage) {
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  CliResult r = RunDaemonCli(Daemon::kPodman,
                             {"info", "--format", "{{.Version.Version}} {{.Store.GraphRoot}}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Trim(r.out), StartsWith("4.3."));
  EXPECT_THAT(Trim(r.out), HasSubstr(" " + Daemons().state_dir + "/"));
  r = RunDaemonCli(Daemon::kPodman, {"image", "exists", "imglint-test/base:1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The probe is what the runtime-truth tests read the kernel with: as root it
// binds port 80 in both engines, and it says so on stdout only.
TEST(DaemonFixture, BindProbeRunsInBothEngines) {
  for (Daemon daemon : {Daemon::kDocker, Daemon::kPodman}) {
    ASSERT_TRUE(DaemonReady(daemon));
    CliResult r = RunDaemonCli(daemon, {"run", "--rm", "imglint-test/base:1", "probe", "80"});
    EXPECT_EQ(r.exit_code, 0) << DaemonName(daemon) << ": " << r.err;
    EXPECT_EQ(r.out, "bound\n") << DaemonName(daemon);
    EXPECT_THAT(r.err, HasSubstr("uid=0 ")) << DaemonName(daemon);
  }
}

// A file capability must reach the image and the running container: ADD of
// a tar made with `tar --xattrs` from a setcap'd file keeps
// security.capability in the layer, docker save writes it, and podman load
// and save keep it.
TEST(DaemonFixture, FileCapabilitySurvivesBuildSaveAndLoad) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  ASSERT_NE(Daemons().capprobe_tar, "") << Daemons().capprobe_error;
  TempDir dir;
  const std::string tag = "imglint-fixture/capprobe:1";
  ASSERT_TRUE(DockerBuild(dir.File("ctx"),
                          "FROM imglint-test/base:1\n"
                          "ADD capprobe.tar /\n"
                          "USER 1000\n"
                          "ENTRYPOINT [\"/usr/local/bin/capprobe\", \"80\"]\n",
                          tag));
  const std::string docker_tar = dir.File("docker.tar");
  ASSERT_TRUE(SaveImage(Daemon::kDocker, tag, docker_tar));
  EXPECT_EQ(LayerXattr(docker_tar, "/usr/local/bin/capprobe", "security.capability"),
            NetBindServiceEp());
  // Not a capability everywhere: the plain probe has none.
  EXPECT_EQ(LayerXattr(docker_tar, "/usr/local/bin/probe", "security.capability"), std::nullopt);

  ASSERT_TRUE(LoadImage(Daemon::kPodman, docker_tar));
  const std::string podman_tar = dir.File("podman.tar");
  ASSERT_TRUE(SaveImage(Daemon::kPodman, tag, podman_tar));
  EXPECT_EQ(LayerXattr(podman_tar, "/usr/local/bin/capprobe", "security.capability"),
            NetBindServiceEp());
}

// An image written by tests/support/image_builder (gzip layers, pax xattrs)
// loads into both engines and comes back out with its setuid bit and
// capability.
TEST(DaemonFixture, ImageBuilderImagesLoadIntoBothEngines) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  ImageSpec spec;
  spec.config.user = "1000";
  spec.config.exposed_ports = {"80/tcp"};
  spec.layers.push_back(
      {.entries = {Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/su", 04755, "su"),
                   File("/usr/bin/ping", 0755, "ping").WithCaps(NetBindServiceEp())}});
  spec.refs = {"imglint-fixture/builder:1"};
  const std::string written = dir.File("written.tar");
  WriteDockerSaveTar(spec, written);
  for (Daemon daemon : {Daemon::kDocker, Daemon::kPodman}) {
    ASSERT_TRUE(LoadImage(daemon, written));
    const std::string saved = dir.File(std::string(DaemonName(daemon)) + ".tar");
    ASSERT_TRUE(SaveImage(daemon, "imglint-fixture/builder:1", saved));
    EXPECT_EQ(LayerXattr(saved, "/usr/bin/ping", "security.capability"), NetBindServiceEp())
        << DaemonName(daemon);
  }
}

// Loud, never silent: a daemon the fixture could not start fails each test
// that needs it with the fixture's reason; a missing fixture says so.
TEST(DaemonFixture, ADaemonThatDidNotStartFailsWithTheRecordedReason) {
  TempDir dir;
  // Podman "up": something listens on its socket.
  const std::string socket_path = dir.File("podman.sock");
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  WriteFileBytes(dir.File("daemons.json"), R"({
    "docker": {"host": "unix:///x/docker.sock", "ok": false,
               "error": "dockerd exited during start-up; its log ends:\nfailed to mount overlay"},
    "podman": {"host": "unix://)" + socket_path +
                                               R"(", "ok": true, "error": ""}})");
  DaemonEnv env = LoadDaemonEnv(dir.path());
  ASSERT_EQ(env.error, "");
  ::testing::AssertionResult docker = DaemonReadyIn(env, Daemon::kDocker);
  EXPECT_FALSE(docker);
  EXPECT_THAT(docker.message(), HasSubstr("could not start docker"));
  EXPECT_THAT(docker.message(), HasSubstr("failed to mount overlay"));
  EXPECT_TRUE(DaemonReadyIn(env, Daemon::kPodman));
  // Up at the start, gone since: named as such.
  close(listener);
  unlink(socket_path.c_str());
  ::testing::AssertionResult gone = DaemonReadyIn(env, Daemon::kPodman);
  EXPECT_FALSE(gone);
  EXPECT_THAT(gone.message(), HasSubstr("does not answer now"));

  ::testing::AssertionResult none =
      DaemonReadyIn(LoadDaemonEnv(dir.File("nothing")), Daemon::kPodman);
  EXPECT_FALSE(none);
  EXPECT_THAT(none.message(), HasSubstr("fixture"));
  EXPECT_THAT(DaemonReadyIn(LoadDaemonEnv(""), Daemon::kDocker).message(),
              HasSubstr("IMGLINT_DAEMON_STATE is not set"));
}

}  // namespace
}  // namespace imglint::testing
