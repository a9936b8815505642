// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl on its own, on every input kind it
// covers: container images (root or a cap_net_bind_service file, with a low
// exposed port), Dockerfiles (root final stage or a setcap step, with a low
// EXPOSE), Kubernetes manifests and Compose files (capabilities.add /
// cap_add, root, privileged mode, and a file capability made inert by
// allowPrivilegeEscalation: false). Each case pins the place and the
// message text.
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

constexpr char kRule[] = "IL304";

ImageSpec ServerImage(const std::string& user, const std::string& port, bool bind_capability) {
  ImageSpec spec;
  spec.refs = {"example.com/server:1"};
  spec.config.user = user;
  spec.config.exposed_ports = {port};
  EntrySpec server = File("/usr/sbin/server", 0755, "x");
  if (bind_capability) server = server.WithCaps(CapV2({"cap_net_bind_service"}, true));
  spec.layers.push_back({.entries = {Dir("/usr"), Dir("/usr/sbin"), server}});
  return spec;
}

// `spec` started through its config: ENTRYPOINT, else CMD.
ImageSpec Started(ImageSpec spec, std::vector<std::string> entrypoint,
                  std::vector<std::string> cmd = {}) {
  spec.config.entrypoint = std::move(entrypoint);
  spec.config.cmd = std::move(cmd);
  return spec;
}

std::vector<RuleFinding> LintImage(const ImageSpec& spec, std::vector<std::string> args = {}) {
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

TEST(PortPrivilegeImage, RootWithALowPort) {
  auto f = LintImage(ServerImage("", "443/tcp", false));
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar");
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_EQ(f[0].message,
            "the image exposes port 443/tcp and runs as root (no user is set, so it runs as root)");
  EXPECT_THAT(f[0].recommendation,
              HasSubstr("run as a non-root user and set net.ipv4.ip_unprivileged_port_start=0"));
}

TEST(PortPrivilegeImage, BindCapabilityFileWithALowPort) {
  auto f = LintImage(ServerImage("1000", "80/tcp", true));
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /usr/sbin/server");
  EXPECT_EQ(f[0].message,
            "the image exposes port 80/tcp and /usr/sbin/server has cap_net_bind_service=ep to "
            "bind it");
  EXPECT_THAT(f[0].recommendation, HasSubstr("RUN setcap -r /usr/sbin/server"));
}

// The program the image starts holds the capability: reported at it under
// any runtime, since IL303 leaves such an image to this rule; however the
// config names the program (ENTRYPOINT by path, CMD through PATH).
TEST(PortPrivilegeImage, EntrypointWithTheBindCapability) {
  const std::string finding =
      "app.tar /usr/sbin/server the image exposes port 80/tcp and /usr/sbin/server has "
      "cap_net_bind_service=ep to bind it";
  const ImageSpec server = ServerImage("1000", "80/tcp", true);
  EXPECT_THAT(Located(LintImage(Started(server, {"/usr/sbin/server"}), {"--runtime", "podman"})),
              ElementsAre(finding));
  EXPECT_THAT(Located(LintImage(Started(server, {}, {"server"}))), ElementsAre(finding));
  // Only a high port: the capability is not needed for it.
  EXPECT_THAT(LintImage(Started(ServerImage("1000", "8080/tcp", true), {"/usr/sbin/server"}),
                        {"--runtime", "podman"}),
              IsEmpty());
}

// The privilege is only "for the port" when a port below 1024 is exposed.
TEST(PortPrivilegeImage, NoLowPortOrNoPrivilege) {
  EXPECT_THAT(LintImage(ServerImage("", "8443/tcp", false)), IsEmpty());
  EXPECT_THAT(LintImage(ServerImage("1000", "8080/tcp", true)), IsEmpty());
  EXPECT_THAT(LintImage(ServerImage("1000", "443/tcp", false)), IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

// Root: reported at the USER (or the final FROM without one), the lowest
// EXPOSE as related location.
TEST(PortPrivilegeDockerfile, RootFinalStageWithALowPort) {
  auto root = LintFile("Dockerfile", "FROM debian:12\nUSER root\nEXPOSE 8080 80\n");
  EXPECT_THAT(Located(root), ElementsAre("Dockerfile:2 the final stage exposes port 80/tcp and "
                                         "runs as root (USER root)"));
  ASSERT_EQ(root.size(), 1u);
  EXPECT_THAT(root[0].related, ElementsAre("Dockerfile:3"));
  auto no_user = LintFile("Dockerfile", "FROM debian:12\nEXPOSE 8080 443\n");
  EXPECT_THAT(Located(no_user), ElementsAre("Dockerfile:1 the final stage exposes port 443/tcp "
                                            "and runs as root (no USER)"));
}

// setcap cap_net_bind_service: reported at the step; other capabilities
// are IL203's only.
TEST(PortPrivilegeDockerfile, SetcapNetBindService) {
  auto f = LintFile("Dockerfile",
                    "FROM debian:12\n"
                    "RUN setcap cap_net_bind_service=+ep /srv && setcap cap_net_raw+ep /p\n"
                    "USER 10001\nEXPOSE 80\n");
  EXPECT_THAT(Located(f), ElementsAre("Dockerfile:2 setcap cap_net_bind_service=+ep /srv grants "
                                      "cap_net_bind_service to bind port 80/tcp"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].column, 12);
  EXPECT_THAT(f[0].related, ElementsAre("Dockerfile:4"));
  EXPECT_THAT(f[0].recommendation, ::testing::EndsWith("; then drop the setcap step"));
}

TEST(PortPrivilegeDockerfile, NoLowPortOrNoPrivilege) {
  EXPECT_THAT(LintFile("Dockerfile", "FROM debian:12\nUSER root\nEXPOSE 8080\n"), IsEmpty());
  EXPECT_THAT(LintFile("Dockerfile",
                       "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /srv\nUSER 10001\n"
                       "EXPOSE 8080\n"),
              IsEmpty());
  EXPECT_THAT(LintFile("Dockerfile", "FROM debian:12\nUSER 10001\nEXPOSE 80\n"), IsEmpty());
}

// --- Kubernetes manifests --------------------------------------------------

constexpr char kPodHead[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n";

// Each grant is reported at the setting that grants it.
TEST(PortPrivilegeKubernetes, EachGrantAtItsSetting) {
  auto f = LintFile("pod.yaml", std::string(kPodHead) +
                                    "  containers:\n"
                                    "  - name: nonroot\n    image: x\n    securityContext:\n"
                                    "      runAsUser: 1000\n      capabilities:\n"
                                    "        add: [\"NET_BIND_SERVICE\"]\n"  // 12
                                    "    ports:\n    - containerPort: 80\n"  // 14
                                    "  - name: root\n    image: x\n    securityContext:\n"
                                    "      runAsUser: 0\n"                       // 18
                                    "      capabilities:\n        add: [ALL]\n"  // 20
                                    "    ports:\n    - containerPort: 443\n"     // 22
                                    "  - name: priv\n    image: x\n    securityContext:\n"
                                    "      privileged: true\n"                 // 26
                                    "    ports:\n    - containerPort: 80\n");  // 28
  EXPECT_THAT(
      Located(f),
      ElementsAre(
          "pod.yaml:12 capabilities.add: NET_BIND_SERVICE grants NET_BIND_SERVICE to container "
          "nonroot for containerPort 80, but Kubernetes grants a non-root container no ambient "
          "capabilities: it still cannot bind the port",
          "pod.yaml:18 container root runs as root (runAsUser: 0) and listens on containerPort 443",
          "pod.yaml:20 capabilities.add: ALL grants every capability, NET_BIND_SERVICE included, "
          "to container root for containerPort 443",
          "pod.yaml:26 privileged: true gives container priv every capability and device for "
          "containerPort 80"));
  ASSERT_EQ(f.size(), 4u);
  EXPECT_THAT(f[0].related, ElementsAre("pod.yaml:14"));
  EXPECT_THAT(f[0].recommendation,
              HasSubstr("drop the capability; set net.ipv4.ip_unprivileged_port_start=0 instead"));
}

// Capability names are normalised (CAP_ prefix); only high ports: nothing.
TEST(PortPrivilegeKubernetes, NormalisedNamesAndHighPorts) {
  auto f = LintFile("pod.yaml", std::string(kPodHead) +
                                    "  containers:\n  - name: web\n    image: x\n"
                                    "    securityContext:\n      capabilities:\n"
                                    "        add: [CAP_NET_BIND_SERVICE]\n"  // 11
                                    "    ports:\n    - containerPort: 80\n");
  EXPECT_THAT(Located(f), ElementsAre("pod.yaml:11 capabilities.add: CAP_NET_BIND_SERVICE grants "
                                      "NET_BIND_SERVICE to container web for containerPort 80"));
  EXPECT_THAT(LintFile("pod.yaml", std::string(kPodHead) +
                                       "  containers:\n  - name: web\n    image: x\n"
                                       "    securityContext:\n      runAsUser: 0\n"
                                       "      capabilities:\n        add: [NET_BIND_SERVICE]\n"
                                       "    ports:\n    - containerPort: 8080\n"),
              IsEmpty());
  // Another capability is not a port privilege.
  EXPECT_THAT(
      LintFile("pod.yaml", std::string(kPodHead) + "  containers:\n  - name: web\n    image: x\n"
                                                   "    securityContext:\n      capabilities:\n"
                                                   "        add: [NET_RAW]\n"
                                                   "    ports:\n    - containerPort: 80\n"),
      IsEmpty());
}

// allowPrivilegeEscalation: false (no_new_privs) makes the image's
// cap_net_bind_service file capability inert: reported at that setting.
TEST(PortPrivilegeKubernetes, NoNewPrivsMakesTheFileCapabilityInert) {
  TempDir dir;
  WriteOciTar(ServerImage("1000", "80/tcp", true), dir.File("server.tar"));
  WriteFileBytes(dir.File("pod.yaml"), std::string(kPodHead) +
                                           "  containers:\n  - name: web\n"
                                           "    image: example.com/server:1\n"
                                           "    securityContext:\n"
                                           "      allowPrivilegeEscalation: false\n");  // 10
  std::vector<RuleFinding> f;
  for (RuleFinding& finding : LintForRule(kRule, dir.path(), {"pod.yaml", "server.tar"})) {
    if (finding.path == "pod.yaml") f.push_back(finding);
  }
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:10");
  EXPECT_THAT(f[0].message, ::testing::StartsWith("allowPrivilegeEscalation: false makes the "
                                                  "cap_net_bind_service file capability of "));
  EXPECT_THAT(f[0].message, HasSubstr("/usr/sbin/server inert (no_new_privs): container web "
                                      "cannot bind "));
}

// Without allowPrivilegeEscalation: false the entrypoint's file capability
// works: the pod grants nothing (the image's finding names the file).
TEST(PortPrivilegeKubernetes, EntrypointCapabilityWithoutNoNewPrivs) {
  TempDir dir;
  WriteOciTar(Started(ServerImage("1000", "80/tcp", true), {"/usr/sbin/server"}),
              dir.File("server.tar"));
  const std::string pod = std::string(kPodHead) +
                          "  containers:\n  - name: web\n"
                          "    image: example.com/server:1\n";
  WriteFileBytes(dir.File("pod.yaml"), pod);
  EXPECT_THAT(Located(LintForRule(kRule, dir.path(), {"pod.yaml", "server.tar"})),
              ElementsAre("server.tar /usr/sbin/server the image exposes port 80/tcp and "
                          "/usr/sbin/server has cap_net_bind_service=ep to bind it"));
  WriteFileBytes(dir.File("pod.yaml"),
                 pod + "    securityContext:\n      allowPrivilegeEscalation: false\n");  // 10
  auto f = LintForRule(kRule, dir.path(), {"pod.yaml", "server.tar"});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:10");
  EXPECT_THAT(f[0].message, HasSubstr("file capability of /usr/sbin/server inert"));
}

// --- Compose files ---------------------------------------------------------

constexpr char kCompose[] =
    "services:\n"
    "  nonroot:\n    image: x\n    user: \"1000\"\n"
    "    cap_add: [NET_BIND_SERVICE]\n    ports: [\"80:80\"]\n"              // 5-6
    "  root:\n    image: x\n    user: root\n    ports: [\"80:80\"]\n"        // 7-10
    "  priv:\n    image: x\n    privileged: true\n    ports: [\"80:80\"]\n"  // 11-14
    "  high:\n    image: x\n    user: root\n    cap_add: [ALL]\n"
    "    ports: [\"8080:8080\"]\n";

// Under Docker (the default) the sysctl is already set: every grant is
// reported as unneeded, and the added capability as useless for non-root.
TEST(PortPrivilegeCompose, UnderDocker) {
  const std::string low = " for container port 80/tcp (\"80:80\")";
  const std::string already =
      ", which Docker Engine >= 20.10 already allows without it (it sets "
      "net.ipv4.ip_unprivileged_port_start=0)";
  auto f = LintFile("compose.yaml", kCompose);
  EXPECT_THAT(Located(f),
              ElementsAre("compose.yaml:5 cap_add: NET_BIND_SERVICE grants NET_BIND_SERVICE to "
                          "service nonroot" +
                              low +
                              ", but Docker Engine >= 20.10 gives a non-root user no ambient "
                              "capabilities: it does not help",
                          "compose.yaml:9 service root runs as root (user: root) and listens on "
                          "container port 80/tcp (\"80:80\")" +
                              already,
                          "compose.yaml:13 privileged: true gives service priv every capability "
                          "and device" +
                              low + already));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_THAT(f[1].related, ElementsAre("compose.yaml:10"));
  EXPECT_THAT(f[1].recommendation,
              HasSubstr("Docker Engine >= 20.10 sets net.ipv4.ip_unprivileged_port_start=0"));
}

// Under Podman (no sysctl by default, ambient capabilities for non-root)
// the grants are plain.
TEST(PortPrivilegeCompose, UnderPodman) {
  auto f = LintFile("compose.yaml", kCompose, {"--runtime", "podman"});
  EXPECT_THAT(Located(f),
              ElementsAre("compose.yaml:5 cap_add: NET_BIND_SERVICE grants NET_BIND_SERVICE to "
                          "service nonroot for container port 80/tcp (\"80:80\")",
                          "compose.yaml:9 service root runs as root (user: root) and listens on "
                          "container port 80/tcp (\"80:80\")",
                          "compose.yaml:13 privileged: true gives service priv every capability "
                          "and device for container port 80/tcp (\"80:80\")"));
  ASSERT_FALSE(f.empty());
  EXPECT_THAT(f[0].recommendation,
              HasSubstr("drop the capability; set net.ipv4.ip_unprivileged_port_start=0 instead"));
}

}  // namespace
}  // namespace imglint::testing
