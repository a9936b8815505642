// SPDX-License-Identifier: Apache-2.0
// How command-line targets name their image source, without any server.
#include "analyzer/source/image_source.h"

#include <gtest/gtest.h>

#include "analyzer/source/base_image.h"
#include "analyzer/source/daemon_client.h"

namespace imglint {
namespace {

using Transport = ImageTargetSpec::Transport;

ImageTargetSpec Parse(const std::string& target) {
  ImageTargetSpec spec;
  std::string err;
  EXPECT_TRUE(ParseImageTarget(target, &spec, &err)) << target << ": " << err;
  return spec;
}

TEST(ImageTarget, TransportsInContainersTransportsSpelling) {
  ImageTargetSpec registry = Parse("docker://127.0.0.1:5000/app:1");
  EXPECT_EQ(registry.transport, Transport::kRegistry);
  EXPECT_EQ(registry.ref.domain, "127.0.0.1:5000");
  EXPECT_EQ(registry.ref.repository, "app");
  EXPECT_EQ(registry.ref.tag, "1");

  ImageTargetSpec daemon = Parse("docker-daemon:app:1");
  EXPECT_EQ(daemon.transport, Transport::kDockerDaemon);
  EXPECT_EQ(daemon.name, "app:1");  // daemons get the name as typed
  EXPECT_EQ(daemon.ref.Name(), "docker.io/library/app");

  EXPECT_EQ(Parse("podman:localhost/app:1").transport, Transport::kPodman);
  EXPECT_EQ(Parse("podman:localhost/app:1").ref.domain, "localhost");

  ImageTargetSpec archive = Parse("oci-archive:/tmp/app.tar:1.0");
  EXPECT_EQ(archive.transport, Transport::kArchive);
  EXPECT_EQ(archive.path, "/tmp/app.tar");
  EXPECT_EQ(archive.selector, "1.0");
  EXPECT_EQ(Parse("oci:layout").selector, "");
  EXPECT_EQ(Parse("docker-archive:save.tar:app:1").selector, "app:1");
}

TEST(ImageTarget, BareReferencesNormaliseAsDocker) {
  ImageTargetSpec spec = Parse("nginx");
  EXPECT_EQ(spec.transport, Transport::kBareReference);
  EXPECT_EQ(spec.ref.String(), "docker.io/library/nginx:latest");
}

TEST(ImageTarget, RejectsWhatIsNeitherTransportNorReference) {
  ImageTargetSpec spec;
  std::string err;
  EXPECT_FALSE(ParseImageTarget("Not A Ref", &spec, &err));
  EXPECT_FALSE(err.empty());
  EXPECT_FALSE(ParseImageTarget("oci-archive:", &spec, &err));
  EXPECT_NE(err.find("missing path"), std::string::npos) << err;
  EXPECT_FALSE(ParseImageTarget("docker://UPPER/Case", &spec, &err));
}

TEST(ImageTarget, TransportsAreRecognisedBeforePaths) {
  EXPECT_TRUE(HasImageTransport("docker://x"));
  EXPECT_TRUE(HasImageTransport("oci:dir"));
  EXPECT_FALSE(HasImageTransport("docker/app"));
  EXPECT_FALSE(HasImageTransport("image.tar"));
}

TEST(ImageSourceList, TrivyNamesInAnyOrderWithoutRepeats) {
  std::vector<ImageSourceKind> order;
  std::string err;
  ASSERT_TRUE(ParseImageSourceList("remote,docker", &order, &err)) << err;
  EXPECT_EQ(order,
            (std::vector<ImageSourceKind>{ImageSourceKind::kRemote, ImageSourceKind::kDocker}));
  EXPECT_FALSE(ParseImageSourceList("docker,docker", &order, &err));
  EXPECT_NE(err.find("twice"), std::string::npos);
  EXPECT_FALSE(ParseImageSourceList("containerd", &order, &err));
  EXPECT_NE(err.find("docker, podman, remote"), std::string::npos) << err;
  EXPECT_FALSE(ParseImageSourceList("", &order, &err));
}

TEST(DaemonAddress, UnixTcpAndRefusals) {
  DaemonEndpoint e;
  std::string err;
  ASSERT_TRUE(ParseDaemonAddress(DaemonKind::kDocker, "unix:///run/d.sock", &e, &err));
  EXPECT_EQ(e.socket, "/run/d.sock");
  EXPECT_EQ(e.Describe(), "docker daemon unix:///run/d.sock");
  ASSERT_TRUE(ParseDaemonAddress(DaemonKind::kPodman, "tcp://127.0.0.1:2375", &e, &err));
  EXPECT_EQ(e.socket, "");
  EXPECT_EQ(e.base_url, "http://127.0.0.1:2375");
  EXPECT_FALSE(ParseDaemonAddress(DaemonKind::kDocker, "ssh://me@host", &e, &err));
  EXPECT_NE(err.find("not supported"), std::string::npos);
}

TEST(DaemonAddress, PodmanCandidatesRootfulThenRootless) {
  std::string err;
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "XDG_RUNTIME_DIR") return std::string("/run/user/1000");
    return std::nullopt;
  };
  std::vector<DaemonEndpoint> podman = DaemonEndpoints(DaemonKind::kPodman, env, &err);
  ASSERT_EQ(podman.size(), 2u);
  EXPECT_EQ(podman[0].socket, "/run/podman/podman.sock");
  EXPECT_EQ(podman[1].socket, "/run/user/1000/podman/podman.sock");
  auto docker_host = [](const std::string& name) -> std::optional<std::string> {
    if (name == "DOCKER_HOST") return std::string("unix:///tmp/d.sock");
    return std::nullopt;
  };
  std::vector<DaemonEndpoint> docker = DaemonEndpoints(DaemonKind::kDocker, docker_host, &err);
  ASSERT_EQ(docker.size(), 1u);
  EXPECT_EQ(docker[0].socket, "/tmp/d.sock");
}

TEST(WindowsBase, WellKnownNamesOnly) {
  auto windows = [](const std::string& text) {
    ImageRef ref;
    std::string err;
    EXPECT_TRUE(ParseImageRef(text, &ref, &err)) << err;
    return IsWellKnownWindowsImage(ref);
  };
  EXPECT_TRUE(windows("mcr.microsoft.com/windows/servercore:ltsc2022"));
  EXPECT_TRUE(windows("mcr.microsoft.com/windows/nanoserver:1809"));
  EXPECT_TRUE(windows("mcr.microsoft.com/dotnet/framework/sdk:4.8"));
  EXPECT_TRUE(windows("mcr.microsoft.com/powershell:lts-nanoserver-1809"));
  EXPECT_TRUE(windows("golang:1.22-windowsservercore-ltsc2022"));
  EXPECT_FALSE(windows("mcr.microsoft.com/dotnet/aspnet:8.0"));
  EXPECT_FALSE(windows("golang:1.22-alpine"));
  EXPECT_FALSE(windows("windows/app:1"));  // docker.io/windows/app: a Linux image
}

TEST(BaseResolution, Names) {
  BaseResolution mode;
  std::string err;
  ASSERT_TRUE(ParseBaseResolution("", &mode, &err));
  EXPECT_EQ(mode, BaseResolution::kConfig);
  ASSERT_TRUE(ParseBaseResolution("full", &mode, &err));
  EXPECT_EQ(mode, BaseResolution::kFull);
  EXPECT_FALSE(ParseBaseResolution("layers", &mode, &err));
}

}  // namespace
}  // namespace imglint
