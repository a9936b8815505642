// SPDX-License-Identifier: Apache-2.0
// IL303 missing-port-sysctl on its own, on every input kind it covers:
// Kubernetes manifests and Compose files (the runtime defaults to
// Kubernetes and Docker), and container images and Dockerfiles only when
// --runtime names a runtime that does not set the sysctl. One finding per
// container, at its lowest port that cannot be bound; also a sysctl set
// under host networking, which is rejected. Each case pins the place and
// the message text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/image_builder.h"
#include "tests/support/rule_findings.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kRule[] = "IL303";
constexpr char kFails[] =
    " does not set net.ipv4.ip_unprivileged_port_start: binding will fail with permission denied";

std::vector<RuleFinding> LintImage(const std::string& user, std::vector<std::string> args) {
  ImageSpec spec;
  spec.config.user = user;
  spec.config.exposed_ports = {"8080/tcp", "443/tcp", "80/tcp"};
  spec.layers.push_back({.entries = {Dir("/app")}});
  TempDir dir;
  WriteOciTar(spec, dir.File("app.tar"));
  args.push_back("app.tar");
  return LintForRule(kRule, dir.path(), args);
}

std::vector<RuleFinding> LintFile(const std::string& name, const std::string& text,
                                  std::vector<std::string> args = {}) {
  return LintTextForRule(kRule, name, text, std::move(args));
}

// --- Container images ------------------------------------------------------

TEST(MissingPortSysctlImage, NonRootImageUnderPodman) {
  auto f = LintImage("1000", {"--runtime", "podman"});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar");
  EXPECT_EQ(f[0].severity, "error");
  // One finding, at the lowest low port.
  EXPECT_EQ(f[0].message, std::string("the image runs as non-root user \"1000\" and exposes port "
                                      "80/tcp, but Podman") +
                              kFails);
  EXPECT_THAT(f[0].recommendation,
              HasSubstr("podman run --sysctl net.ipv4.ip_unprivileged_port_start=0"));
}

// No runtime named: IL301 speaks for a bare image. A runtime that sets the
// sysctl: nothing fails. Root binds anyway: IL304's business.
TEST(MissingPortSysctlImage, NotReported) {
  EXPECT_THAT(LintImage("1000", {}), IsEmpty());
  EXPECT_THAT(LintImage("1000", {"--runtime", "docker"}), IsEmpty());
  EXPECT_THAT(LintImage("1000", {"--runtime", "containerd"}), IsEmpty());
  EXPECT_THAT(LintImage("root", {"--runtime", "podman"}), IsEmpty());
  EXPECT_THAT(LintImage("", {"--runtime", "podman"}), IsEmpty());
}

// The program the image starts, /usr/sbin/server, given cap_net_bind_service
// when `capable`; /usr/bin/app is a plain executable beside it.
ImageSpec ServerImage(bool capable, std::vector<std::string> entrypoint,
                      std::vector<std::string> cmd = {}) {
  ImageSpec spec;
  spec.refs = {"example.com/server:1"};
  spec.config.user = "1000";
  spec.config.exposed_ports = {"80/tcp"};
  spec.config.entrypoint = std::move(entrypoint);
  spec.config.cmd = std::move(cmd);
  EntrySpec server = File("/usr/sbin/server", 0755, "x");
  if (capable) server = server.WithCaps(CapV2({"cap_net_bind_service"}, true));
  spec.layers.push_back({.entries = {Dir("/usr"), Dir("/usr/bin"), Dir("/usr/sbin"),
                                     File("/usr/bin/app", 0755, "x"), server}});
  return spec;
}

// Writes `spec` as server.tar beside `files` (name, text) and lints them all.
std::vector<RuleFinding> LintWithImage(
    const ImageSpec& spec, const std::vector<std::pair<std::string, std::string>>& files,
    std::vector<std::string> args) {
  TempDir dir;
  WriteOciTar(spec, dir.File("server.tar"));
  for (const auto& [name, text] : files) {
    WriteFileBytes(dir.File(name), text);
    args.push_back(name);
  }
  args.push_back("server.tar");
  return LintForRule(kRule, dir.path(), args);
}

const std::vector<std::string> kPodman = {"--runtime", "podman"};

// The started program's own cap_net_bind_service binds the port whatever
// the sysctl (IL304 reports the capability instead), however the config
// names it: ENTRYPOINT by path, CMD through PATH, or `sh -c "exec …"`.
TEST(MissingPortSysctlImage, EntrypointWithTheBindCapability) {
  EXPECT_THAT(LintWithImage(ServerImage(true, {"/usr/sbin/server"}), {}, kPodman), IsEmpty());
  EXPECT_THAT(LintWithImage(ServerImage(true, {}, {"server", "-p", "80"}), {}, kPodman), IsEmpty());
  EXPECT_THAT(LintWithImage(ServerImage(true, {"/bin/sh", "-c", "exec server -p 80"}), {}, kPodman),
              IsEmpty());
}

// The capability helps only the program that has it: an entrypoint without
// it, or no entrypoint at all, still fails to bind.
TEST(MissingPortSysctlImage, CapabilityOnAFileTheImageDoesNotStart) {
  const std::string message = std::string(
                                  "the image runs as non-root user \"1000\" and exposes port "
                                  "80/tcp, but Podman") +
                              kFails;
  EXPECT_THAT(Located(LintWithImage(ServerImage(true, {"/usr/bin/app"}), {}, kPodman)),
              ElementsAre("server.tar " + message));
  EXPECT_THAT(Located(LintWithImage(ServerImage(true, {}), {}, kPodman)),
              ElementsAre("server.tar " + message));
  EXPECT_THAT(Located(LintWithImage(ServerImage(false, {"/usr/sbin/server"}), {}, kPodman)),
              ElementsAre("server.tar " + message));
}

// --- Dockerfiles -----------------------------------------------------------

constexpr char kNonRootLowPort[] = "FROM debian:12\nUSER 10001\nEXPOSE 8080 443 80\n";

TEST(MissingPortSysctlDockerfile, RuntimeThatDoesNotSetTheSysctl) {
  auto f = LintFile("Dockerfile", kNonRootLowPort, {"--runtime", "cri-o"});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:3");
  EXPECT_EQ(f[0].column, 17);  // the lowest port, 80
  EXPECT_EQ(f[0].message,
            std::string("USER 10001 is not root and EXPOSE 80 (80/tcp) is below 1024, but CRI-O") +
                kFails);
  EXPECT_THAT(f[0].related, ElementsAre("Dockerfile:2"));  // the USER
  EXPECT_THAT(f[0].recommendation,
              HasSubstr("set net.ipv4.ip_unprivileged_port_start=0 (or <= 80)"));
}

TEST(MissingPortSysctlDockerfile, NotReported) {
  // No runtime named, or one that sets it.
  EXPECT_THAT(LintFile("Dockerfile", kNonRootLowPort), IsEmpty());
  EXPECT_THAT(LintFile("Dockerfile", kNonRootLowPort, {"--runtime", "docker"}), IsEmpty());
  const std::vector<std::string> podman = {"--runtime", "podman"};
  // No USER: the base image decides, and it was not read.
  EXPECT_THAT(LintFile("Dockerfile", "FROM debian:12\nEXPOSE 80\n", podman), IsEmpty());
  // A USER whose variable has no value is not guessed.
  EXPECT_THAT(LintFile("Dockerfile", "FROM debian:12\nARG U\nUSER $U\nEXPOSE 80\n", podman),
              IsEmpty());
  // cap_net_bind_service set on the server binds the port (IL304's).
  EXPECT_THAT(LintFile("Dockerfile",
                       "FROM debian:12\nUSER 10001\n"
                       "RUN setcap cap_net_bind_service=+ep /srv\nEXPOSE 80\n",
                       podman),
              IsEmpty());
  // Only high ports.
  EXPECT_THAT(LintFile("Dockerfile", "FROM debian:12\nUSER 10001\nEXPOSE 8080\n", podman),
              IsEmpty());
}

// --- Kubernetes manifests --------------------------------------------------

constexpr char kPodHead[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n";
constexpr char kContainer[] =
    "  containers:\n  - name: web\n    image: x\n    ports:\n"
    "    - containerPort: 443\n    - containerPort: 80\n    - containerPort: 8080\n";

// Non-root by runAsUser and no sysctl: certain that the pod does not set
// it, conditional what the node's runtime does. One finding per container.
TEST(MissingPortSysctlKubernetes, NonRootPodWithoutTheSysctl) {
  auto f = LintFile(
      "pod.yaml", std::string(kPodHead) + "  securityContext:\n    runAsUser: 1000\n" + kContainer);
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:13");  // containerPort 80, the lowest
  EXPECT_EQ(f[0].message,
            "container web runs as non-root (runAsUser: 1000 in the pod securityContext) and "
            "listens on containerPort 80 (and 1 more below 1024), but the pod does not set "
            "net.ipv4.ip_unprivileged_port_start and Kubernetes leaves it to the node's runtime: "
            "the bind fails with permission denied on nodes whose runtime leaves it at 1024 "
            "(CRI-O, containerd 1.x); containerd >= 2.0 (CRI) sets it to 0");
  EXPECT_THAT(f[0].recommendation,
              HasSubstr("set net.ipv4.ip_unprivileged_port_start=0 (or <= 80); add to the pod's "
                        "securityContext (line 6)"));
}

TEST(MissingPortSysctlKubernetes, NotReported) {
  const std::string non_root = std::string(kPodHead) + "  securityContext:\n    runAsUser: 1000\n";
  // The sysctl at or below the port.
  EXPECT_THAT(LintFile("pod.yaml", std::string(kPodHead) +
                                       "  securityContext:\n    runAsUser: 1000\n    sysctls:\n"
                                       "    - name: net.ipv4.ip_unprivileged_port_start\n"
                                       "      value: \"0\"\n" +
                                       kContainer),
              IsEmpty());
  // A node runtime that sets it.
  EXPECT_THAT(LintFile("pod.yaml", non_root + kContainer, {"--runtime", "containerd"}), IsEmpty());
  // Who runs is unknown (no runAsUser, no linted image): not guessed.
  EXPECT_THAT(LintFile("pod.yaml", std::string(kPodHead) + kContainer), IsEmpty());
  // Root binds anyway.
  EXPECT_THAT(LintFile("pod.yaml", std::string(kPodHead) +
                                       "  securityContext:\n    runAsUser: 0\n" + kContainer),
              IsEmpty());
}

constexpr char kServerPod[] =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
    "  securityContext:\n    runAsUser: 1000\n"
    "  containers:\n  - name: web\n    image: example.com/server:1\n"
    "    ports:\n    - containerPort: 80\n";  // 12
constexpr char kNoNewPrivs[] = "    securityContext:\n      allowPrivilegeEscalation: false\n";

// A container that runs an image whose entrypoint has cap_net_bind_service
// binds the port, unless allowPrivilegeEscalation: false (no_new_privs)
// makes the file capability inert.
TEST(MissingPortSysctlKubernetes, EntrypointWithTheBindCapability) {
  EXPECT_THAT(
      LintWithImage(ServerImage(true, {"/usr/sbin/server"}), {{"pod.yaml", kServerPod}}, {}),
      IsEmpty());
  const std::string message =
      "container web runs as non-root (runAsUser: 1000 in the pod securityContext) and listens "
      "on containerPort 80, but the pod does not set net.ipv4.ip_unprivileged_port_start and "
      "Kubernetes leaves it to the node's runtime: the bind fails with permission denied on "
      "nodes whose runtime leaves it at 1024 (CRI-O, containerd 1.x); containerd >= 2.0 (CRI) "
      "sets it to 0";
  EXPECT_THAT(Located(LintWithImage(ServerImage(true, {"/usr/sbin/server"}),
                                    {{"pod.yaml", std::string(kServerPod) + kNoNewPrivs}}, {})),
              ElementsAre("pod.yaml:12 " + message));
  EXPECT_THAT(Located(LintWithImage(ServerImage(false, {"/usr/sbin/server"}),
                                    {{"pod.yaml", kServerPod}}, {})),
              ElementsAre("pod.yaml:12 " + message));
}

// hostNetwork: the sysctl cannot be set there (the pod is not admitted),
// and without it the host's own setting decides the bind.
TEST(MissingPortSysctlKubernetes, HostNetworkRejectsTheSysctl) {
  auto f = LintFile("pod.yaml", std::string(kPodHead) +
                                    "  hostNetwork: true\n"                         // 6
                                    "  securityContext:\n    runAsNonRoot: true\n"  // 7-8
                                    "    sysctls:\n"                                // 9
                                    "    - name: net.ipv4.ip_unprivileged_port_start\n"
                                    "      value: \"0\"\n"  // 11
                                    "  containers:\n  - name: web\n    image: x\n"
                                    "    ports:\n    - containerPort: 80\n");  // 16
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:11");
  EXPECT_EQ(f[0].message,
            "net.ipv4.ip_unprivileged_port_start cannot be set with hostNetwork: true: Kubernetes "
            "rejects net.* sysctls in the node's network namespace, so the pod is not admitted");
  EXPECT_THAT(f[0].related, ElementsAre("pod.yaml:6"));
  EXPECT_EQ(At(f[1]), "pod.yaml:16");
  EXPECT_EQ(f[1].message,
            "container web runs as non-root (runAsNonRoot: true) and listens on containerPort 80, "
            "but hostNetwork: true uses the host's own net.ipv4.ip_unprivileged_port_start "
            "(Kubernetes rejects net.* sysctls there): the bind fails with permission denied "
            "unless the host sets it to 80 or lower");
}

// --- Compose files ---------------------------------------------------------

constexpr char kCompose[] =
    "services:\n"
    "  web:\n    image: x\n    user: \"1000\"\n    ports:\n"
    "      - \"8443:443\"\n      - \"80:80\"\n"                                // 6-7
    "  root:\n    image: x\n    user: root\n    ports: [\"80:80\"]\n"          // 8-11
    "  set:\n    image: x\n    user: \"1000\"\n    sysctls:\n"                 // 12-15
    "      net.ipv4.ip_unprivileged_port_start: 0\n    ports: [\"80:80\"]\n"   // 16-17
    "  privileged:\n    image: x\n    user: \"1000\"\n    privileged: true\n"  // 18-21
    "    ports: [\"80:80\"]\n"                                                 // 22
    "  unknown:\n    image: x\n    ports: [\"80:80\"]\n";                      // 23-25

// Docker, the default for Compose, sets the sysctl.
TEST(MissingPortSysctlCompose, DockerSetsTheSysctl) {
  EXPECT_THAT(LintFile("compose.yaml", kCompose), IsEmpty());
}

// Under Podman only the non-root service without the sysctl fails: not
// root, not the one that sets it, not privileged, not an unknown user.
TEST(MissingPortSysctlCompose, PodmanOnlyTheServiceThatFails) {
  auto f = LintFile("compose.yaml", kCompose, {"--runtime", "podman"});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "compose.yaml:7");
  EXPECT_EQ(f[0].message,
            "service web runs as non-root (user: 1000) and listens on container port 80/tcp "
            "(\"80:80\") (and 1 more below 1024), but service web does not set "
            "net.ipv4.ip_unprivileged_port_start and Podman does not set it by default: the bind "
            "fails with permission denied (Docker Engine >= 20.10, containerd >= 2.0 (CRI) and "
            "nerdctl >= 2.2.1 set it by default)");
  EXPECT_THAT(f[0].recommendation, HasSubstr("add to service web (line 3)"));
}

// cap_add: NET_BIND_SERVICE helps only where it becomes ambient (Podman).
TEST(MissingPortSysctlCompose, AddedCapability) {
  const std::string text =
      "services:\n  web:\n    image: x\n    user: \"1000\"\n"
      "    cap_add: [NET_BIND_SERVICE]\n    ports:\n      - \"80:80\"\n";
  EXPECT_THAT(LintFile("compose.yaml", text, {"--runtime", "podman"}), IsEmpty());
  auto f = LintFile("compose.yaml", text, {"--runtime", "unknown"});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "compose.yaml:7");
  EXPECT_EQ(f[0].message,
            "service web runs as non-root (user: 1000) and listens on container port 80/tcp "
            "(\"80:80\"), but service web does not set net.ipv4.ip_unprivileged_port_start and an "
            "unknown runtime does not set it by default: the bind fails with permission denied "
            "(Docker Engine >= 20.10, containerd >= 2.0 (CRI) and nerdctl >= 2.2.1 set it by "
            "default) (cap_add: NET_BIND_SERVICE does not help: an unknown runtime gives a "
            "non-root user no ambient capabilities)");
}

// A service that runs an image whose entrypoint has cap_net_bind_service
// binds the port whatever the sysctl.
TEST(MissingPortSysctlCompose, EntrypointWithTheBindCapability) {
  const std::string compose =
      "services:\n  web:\n    image: example.com/server:1\n    user: \"1000\"\n"
      "    ports: [\"80:80\"]\n";
  EXPECT_THAT(
      LintWithImage(ServerImage(true, {"/usr/sbin/server"}), {{"compose.yaml", compose}}, kPodman),
      IsEmpty());
  EXPECT_THAT(
      Located(LintWithImage(ServerImage(false, {"/usr/sbin/server"}), {{"compose.yaml", compose}},
                            kPodman)),
      ElementsAre("compose.yaml:5 service web runs as non-root (user: 1000) and listens "
                  "on container port 80/tcp (\"80:80\"), but service web does not set "
                  "net.ipv4.ip_unprivileged_port_start and Podman does not set it by "
                  "default: the bind fails with permission denied (Docker Engine >= "
                  "20.10, containerd >= 2.0 (CRI) and nerdctl >= 2.2.1 set it by default)"));
}

// network_mode: host: the sysctl is rejected (even under Docker), and the
// host's own setting decides the bind.
TEST(MissingPortSysctlCompose, HostNetworkRejectsTheSysctl) {
  auto f = LintFile("compose.yaml",
                    "services:\n  web:\n    image: x\n    user: \"1000\"\n"
                    "    network_mode: host\n    sysctls:\n"
                    "      - net.ipv4.ip_unprivileged_port_start=0\n    ports: [\"80:80\"]\n");
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "compose.yaml:7");
  EXPECT_EQ(f[0].message,
            "net.ipv4.ip_unprivileged_port_start cannot be set with network_mode: host: Docker "
            "rejects net.* sysctls in the host's network namespace, so the container does not "
            "start");
  EXPECT_THAT(f[0].related, ElementsAre("compose.yaml:5"));
  EXPECT_EQ(At(f[1]), "compose.yaml:8");
  EXPECT_THAT(f[1].message, HasSubstr("but network_mode: host uses the host's own "
                                      "net.ipv4.ip_unprivileged_port_start"));
}

}  // namespace
}  // namespace imglint::testing
