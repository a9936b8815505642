// SPDX-License-Identifier: Apache-2.0
// IL301 privileged-port on its own, on every input kind it covers:
// container images (ExposedPorts), Dockerfiles (EXPOSE of the final stage),
// Kubernetes manifests (containerPort) and Compose files (ports: and
// expose:). Images and Dockerfiles are reported whatever the runtime;
// manifests only where a non-root process could not bind the port. Each
// case pins the place and the message text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/image_builder.h"
#include "tests/support/rule_findings.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kRule[] = "IL301";

// The tail of every image and Dockerfile message: the runtimes that set the
// sysctl, in one sentence.
constexpr char kWhereBindable[] =
    " (Docker Engine >= 20.10, containerd >= 2.0 (CRI) and nerdctl >= 2.2.1 set it to 0)";

std::string Bindable(int port) {
  return ": a non-root process can bind it only where net.ipv4.ip_unprivileged_port_start <= " +
         std::to_string(port) + kWhereBindable;
}

std::vector<RuleFinding> LintImage(std::vector<std::string> ports) {
  ImageSpec spec;
  spec.config.user = "1000";
  spec.config.exposed_ports = std::move(ports);
  spec.layers.push_back({.entries = {Dir("/app")}});
  TempDir dir;
  WriteOciTar(spec, dir.File("app.tar"));
  return LintForRule(kRule, dir.path(), {"app.tar"});
}

std::vector<RuleFinding> LintFile(const std::string& name, const std::string& text,
                                  std::vector<std::string> args = {}) {
  return LintTextForRule(kRule, name, text, std::move(args));
}

// --- Container images ------------------------------------------------------

// Every protocol counts, and a range counts when any port in it is low.
TEST(PrivilegedPortImage, LowPortsAndRanges) {
  auto f = LintImage({"80/tcp", "53/sctp", "1000-1100/udp", "8080/tcp"});
  EXPECT_THAT(Located(f),
              ::testing::UnorderedElementsAre(
                  "app.tar the image exposes port 80/tcp, below 1024" + Bindable(80),
                  "app.tar the image exposes port 53/sctp, below 1024" + Bindable(53),
                  "app.tar the image exposes port 1000-1100/udp, below 1024" + Bindable(1000)));
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_THAT(f[0].recommendation, HasSubstr("listen on a port >= 1024 and map it"));
}

TEST(PrivilegedPortImage, PortsFrom1024AreNotReported) {
  EXPECT_THAT(LintImage({"1024/tcp", "8443/tcp", "1024-2000/udp"}), IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

TEST(PrivilegedPortDockerfile, EachLowExposeEntry) {
  auto f = LintFile("Dockerfile",
                    "FROM debian:12\nUSER 10001\nEXPOSE 80 443/udp 8080 1000-1100/tcp 1024\n");
  EXPECT_THAT(
      Located(f),
      ElementsAre("Dockerfile:3 EXPOSE 80 is below 1024" + Bindable(80),
                  "Dockerfile:3 EXPOSE 443/udp is below 1024" + Bindable(443),
                  "Dockerfile:3 EXPOSE 1000-1100/tcp includes ports below 1024" + Bindable(1000)));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].column, 8);  // each entry at its own column
  EXPECT_EQ(f[1].column, 11);
  EXPECT_EQ(f[2].column, 24);
}

// Variables expand with ARG/ENV and --build-arg; an entry that cannot be
// expanded is IL302's, not guessed here.
TEST(PrivilegedPortDockerfile, VariablesExpand) {
  const std::string text = "FROM debian:12\nARG PORT\nUSER 10001\nEXPOSE ${PORT}\n";
  EXPECT_THAT(LintFile("Dockerfile", text), IsEmpty());
  EXPECT_THAT(Located(LintFile("Dockerfile", text, {"--build-arg", "PORT=80"})),
              ElementsAre("Dockerfile:4 EXPOSE ${PORT} (80/tcp) is below 1024" + Bindable(80)));
  EXPECT_THAT(LintFile("Dockerfile", text, {"--build-arg", "PORT=8080"}), IsEmpty());
}

// Only the final stage's EXPOSE (its own and its parent stages') counts.
TEST(PrivilegedPortDockerfile, OnlyTheFinalStage) {
  EXPECT_THAT(LintFile("Dockerfile",
                       "FROM debian:12 AS build\nEXPOSE 80\nFROM debian:12\nUSER 10001\n"
                       "EXPOSE 8080\n"),
              IsEmpty());
  auto f = LintFile("Dockerfile",
                    "FROM debian:12 AS base\nEXPOSE 80\nFROM base\nUSER 10001\nEXPOSE 8080\n");
  EXPECT_THAT(Located(f), ElementsAre("Dockerfile:2 EXPOSE 80 is below 1024" + Bindable(80)));
}

// --- Kubernetes manifests --------------------------------------------------

constexpr char kPodHead[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n";
constexpr char kLowPorts[] =
    "  containers:\n  - name: web\n    image: x\n    ports:\n"
    "    - containerPort: 80\n    - containerPort: 8080\n"
    "    - containerPort: 443\n      protocol: UDP\n";

// Kubernetes leaves the sysctl to the node's runtime: every low port of a
// pod that does not set it is reported, at its containerPort.
TEST(PrivilegedPortKubernetes, PodWithoutTheSysctl) {
  auto f = LintFile("pod.yaml", std::string(kPodHead) + kLowPorts);
  const std::string why =
      " is below 1024: the pod does not set net.ipv4.ip_unprivileged_port_start and Kubernetes "
      "leaves it to the node's runtime";
  EXPECT_THAT(Located(f), ElementsAre("pod.yaml:10 containerPort 80" + why,
                                      "pod.yaml:12 containerPort 443/udp" + why));
  ASSERT_FALSE(f.empty());
  EXPECT_THAT(f[0].recommendation, HasSubstr("a Service can still expose port 80"));
}

// The pod's sysctl counts per port: 100 is too high for port 80, but lets a
// non-root process bind 443.
TEST(PrivilegedPortKubernetes, SysctlTooHighForSomePorts) {
  auto f = LintFile("pod.yaml", std::string(kPodHead) +
                                    "  securityContext:\n    sysctls:\n"
                                    "    - name: net.ipv4.ip_unprivileged_port_start\n"
                                    "      value: \"100\"\n" +
                                    kLowPorts);
  EXPECT_THAT(Located(f), ElementsAre("pod.yaml:14 containerPort 80 is below 1024: the pod sets "
                                      "net.ipv4.ip_unprivileged_port_start to 100, above 80"));
}

// Under host networking the host's setting applies: always reported.
TEST(PrivilegedPortKubernetes, HostNetwork) {
  auto f = LintFile("pod.yaml", std::string(kPodHead) +
                                    "  hostNetwork: true\n  containers:\n  - name: web\n"
                                    "    image: x\n    ports:\n    - containerPort: 80\n");
  EXPECT_THAT(Located(f), ElementsAre("pod.yaml:11 containerPort 80 is below 1024: hostNetwork: "
                                      "true uses the host's own "
                                      "net.ipv4.ip_unprivileged_port_start (Kubernetes rejects "
                                      "net.* sysctls there)"));
}

// The pod's sysctl at or below the port, or a runtime that sets it, lets a
// non-root process bind the port: nothing to report.
TEST(PrivilegedPortKubernetes, BindableWhereItRuns) {
  EXPECT_THAT(LintFile("pod.yaml", std::string(kPodHead) +
                                       "  securityContext:\n    sysctls:\n"
                                       "    - name: net.ipv4.ip_unprivileged_port_start\n"
                                       "      value: \"0\"\n" +
                                       kLowPorts),
              IsEmpty());
  EXPECT_THAT(LintFile("pod.yaml", std::string(kPodHead) + kLowPorts, {"--runtime", "containerd"}),
              IsEmpty());
  EXPECT_THAT(
      LintFile("pod.yaml", std::string(kPodHead) + "  containers:\n  - name: web\n    image: x\n"
                                                   "    ports:\n    - containerPort: 8080\n"),
      IsEmpty());
}

// --- Compose files ---------------------------------------------------------

constexpr char kService[] =
    "services:\n  web:\n    image: x\n    ports:\n"
    "      - \"80:8080\"\n"   // 5: container port 8080
    "      - \"8443:443\"\n"  // 6
    "      - target: 25\n"    // 7: long form
    "        published: \"2525\"\n"
    "    expose:\n      - \"22\"\n";  // 10

// Docker, the default for Compose, sets the sysctl: nothing to report.
TEST(PrivilegedPortCompose, DockerSetsTheSysctl) {
  EXPECT_THAT(LintFile("compose.yaml", kService), IsEmpty());
}

// Under a runtime that does not set it, every low container port: short
// and long form and expose:, never the published side.
TEST(PrivilegedPortCompose, RuntimeWithoutTheSysctl) {
  auto f = LintFile("compose.yaml", kService, {"--runtime", "podman"});
  const std::string why =
      " is below 1024: service web does not set net.ipv4.ip_unprivileged_port_start and Podman "
      "does not set it by default";
  EXPECT_THAT(Located(f), ElementsAre("compose.yaml:6 container port 443/tcp (\"8443:443\")" + why,
                                      "compose.yaml:7 container port 25/tcp (\"2525:25\")" + why,
                                      "compose.yaml:10 expose 22/tcp" + why));
  ASSERT_FALSE(f.empty());
  EXPECT_THAT(f[0].recommendation, HasSubstr("publish it as the low port (\"443:8080\")"));
}

TEST(PrivilegedPortCompose, ServiceSysctl) {
  const std::string text =
      "services:\n"
      "  zero:\n    image: x\n    sysctls:\n      net.ipv4.ip_unprivileged_port_start: 0\n"
      "    ports: [\"80:80\"]\n"
      "  exact:\n    image: x\n    sysctls:\n      - net.ipv4.ip_unprivileged_port_start=80\n"
      "    ports: [\"80:80\"]\n"
      "  high:\n    image: x\n    sysctls:\n      - net.ipv4.ip_unprivileged_port_start=1024\n"
      "    ports: [\"80:80\"]\n";  // 16
  auto f = LintFile("compose.yaml", text, {"--runtime", "podman"});
  EXPECT_THAT(Located(f), ElementsAre("compose.yaml:16 container port 80/tcp (\"80:80\") is below "
                                      "1024: service high sets "
                                      "net.ipv4.ip_unprivileged_port_start to 1024, above 80"));
}

// network_mode: host: the host's own setting, whatever the runtime.
TEST(PrivilegedPortCompose, HostNetwork) {
  auto f = LintFile("compose.yaml",
                    "services:\n  web:\n    image: x\n    network_mode: host\n"
                    "    ports:\n      - \"80:80\"\n");
  EXPECT_THAT(Located(f), ElementsAre("compose.yaml:6 container port 80/tcp (\"80:80\") is below "
                                      "1024: network_mode: host uses the host's own "
                                      "net.ipv4.ip_unprivileged_port_start (Docker rejects net.* "
                                      "sysctls there)"));
  // Podman refuses the sysctl there too ("can't be set since Network
  // Namespace set to host", podman 4.3): the message names the runtime in use.
  EXPECT_THAT(Located(LintFile("compose.yaml",
                               "services:\n  web:\n    image: x\n    network_mode: host\n"
                               "    ports:\n      - \"80:80\"\n",
                               {"--runtime", "podman"})),
              ElementsAre(::testing::HasSubstr("(Podman rejects net.* sysctls there)")));
}

}  // namespace
}  // namespace imglint::testing
