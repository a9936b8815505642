// SPDX-License-Identifier: Apache-2.0
// IL302 invalid-port on its own, on every input kind it covers: container
// images (ExposedPorts), Dockerfiles (EXPOSE in the stages the target
// needs, variables expanded), Kubernetes manifests (containerPort,
// protocol) and Compose files (ports: and expose:). Each case pins the
// place and the message text, with the reader's reason.
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
using ::testing::IsEmpty;

constexpr char kRule[] = "IL302";

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

TEST(InvalidPortImage, EachProblemWithItsReason) {
  auto f = LintImage({"70000/tcp", "80/http", "90-80/tcp", "0/tcp", "8080/tcp"});
  EXPECT_THAT(Located(f),
              ::testing::UnorderedElementsAre(
                  "app.tar the image exposes an invalid port \"70000/tcp\": port 70000 is outside "
                  "1-65535",
                  "app.tar the image exposes an invalid port \"80/http\": protocol \"http\" is not "
                  "tcp, udp or sctp",
                  "app.tar the image exposes an invalid port \"90-80/tcp\": malformed range 90-80",
                  "app.tar the image exposes an invalid port \"0/tcp\": port 0 is outside "
                  "1-65535"));
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].severity, "error");
}

TEST(InvalidPortImage, ValidPortsAreNotReported) {
  EXPECT_THAT(LintImage({"80/tcp", "53/udp", "9000-9010/sctp", "1/tcp", "65535/tcp"}), IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

TEST(InvalidPortDockerfile, EachBadEntryAtItsColumn) {
  auto f = LintFile("Dockerfile",
                    "FROM debian:12\nARG Q=80/http\nUSER 10001\n"
                    "EXPOSE 70000 80/http 90-80 ${Q} 8080/tcp 1-65535/udp\n");
  EXPECT_THAT(Located(f),
              ElementsAre("Dockerfile:4 EXPOSE 70000 is not a valid port: port 70000 is outside "
                          "1-65535",
                          "Dockerfile:4 EXPOSE 80/http is not a valid port: protocol \"http\" is "
                          "not tcp, udp or sctp",
                          "Dockerfile:4 EXPOSE 90-80 is not a valid port: malformed range 90-80",
                          "Dockerfile:4 EXPOSE ${Q} (\"80/http\") is not a valid port: protocol "
                          "\"http\" is not tcp, udp or sctp"));
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].column, 8);
  EXPECT_EQ(f[3].column, 28);
}

// A variable without a value is reported as such, not guessed; the same
// --build-arg as the build resolves it.
TEST(InvalidPortDockerfile, UnexpandableVariable) {
  const std::string text = "FROM debian:12\nARG P\nUSER 10001\nEXPOSE ${P}\n";
  auto f = LintFile("Dockerfile", text);
  EXPECT_THAT(Located(f),
              ElementsAre("Dockerfile:4 EXPOSE ${P} cannot be expanded: no value for P"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].recommendation, ::testing::HasSubstr("pass --build-arg"));
  EXPECT_THAT(LintFile("Dockerfile", text, {"--build-arg", "P=8080"}), IsEmpty());
  EXPECT_THAT(Located(LintFile("Dockerfile", text, {"--build-arg", "P=0"})),
              ElementsAre("Dockerfile:4 EXPOSE ${P} (\"0\") is not a valid port: port 0 is "
                          "outside 1-65535"));
}

// The stages the target needs are checked (BuildKit rejects them when it
// builds them); a stage nothing needs is not built.
TEST(InvalidPortDockerfile, OnlyTheStagesTheTargetNeeds) {
  auto f = LintFile("Dockerfile",
                    "FROM debian:12 AS build\nEXPOSE 99999\n"  // 1-2: the final stage's parent
                    "FROM debian:12 AS other\nEXPOSE 0\n"      // 3-4: not needed
                    "FROM build\nUSER 10001\n");
  EXPECT_THAT(Located(f), ElementsAre("Dockerfile:2 EXPOSE 99999 is not a valid port: port "
                                      "99999 is outside 1-65535"));
}

TEST(InvalidPortDockerfile, ValidEntriesAreNotReported) {
  EXPECT_THAT(LintFile("Dockerfile",
                       "FROM debian:12\nARG P=8080\nUSER 10001\n"
                       "EXPOSE 80 53/udp 9000-9010/sctp ${P} 65535\n"),
              IsEmpty());
}

// --- Kubernetes manifests --------------------------------------------------

TEST(InvalidPortKubernetes, EachBadPortEntry) {
  auto f = LintFile("pod.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  containers:\n  - name: web\n    image: x\n    ports:\n"
                    "    - containerPort: 70000\n"                     // 10
                    "    - containerPort: 80\n      protocol: HTTP\n"  // 11-12
                    "    - name: noport\n"                             // 13
                    "    - containerPort: \"8080\"\n"                  // 14
                    "    - containerPort: 8080\n      protocol: UDP\n");
  EXPECT_THAT(Located(f),
              ElementsAre("pod.yaml:10 port \"70000\" of container web is not valid: port 70000 "
                          "is outside 1-65535",
                          "pod.yaml:11 port \"80/HTTP\" of container web is not valid: protocol "
                          "\"HTTP\" is not TCP, UDP or SCTP",
                          "pod.yaml:13 port entry of container web is not valid: containerPort is "
                          "missing",
                          "pod.yaml:14 port \"8080\" of container web is not valid: containerPort "
                          "\"8080\" is not an integer"));
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].recommendation,
            "write containerPort as an integer in 1-65535 and protocol as TCP, UDP or SCTP");
}

// --- Compose files ---------------------------------------------------------

TEST(InvalidPortCompose, EachBadPortsOrExposeEntry) {
  auto f = LintFile("compose.yaml",
                    "services:\n  web:\n    image: x\n    ports:\n"
                    "      - \"80:70000\"\n"      // 5
                    "      - \"8080:80/http\"\n"  // 6
                    "      - \"8080:8080\"\n"     // 7: valid
                    "      - target: 0\n"         // 8: long form
                    "      - \"127.0.0.1:8081:8081\"\n"
                    "    expose:\n"
                    "      - \"99999\"\n"  // 11
                    "      - \"22\"\n"
                    "      - \"1000-900\"\n");  // 13
  EXPECT_THAT(Located(f),
              ElementsAre("compose.yaml:5 ports entry \"80:70000\" of service web is not valid: "
                          "port 70000 is outside 1-65535",
                          "compose.yaml:6 ports entry \"8080:80/http\" of service web is not "
                          "valid: protocol \"http\" is not tcp, udp or sctp",
                          "compose.yaml:8 ports entry \"0\" of service web is not valid: port 0 "
                          "is outside 1-65535",
                          "compose.yaml:11 expose \"99999\" of service web is not valid: port "
                          "99999 is outside 1-65535",
                          "compose.yaml:13 expose \"1000-900\" of service web is not valid: "
                          "malformed range 1000-900"));
}

TEST(InvalidPortCompose, ValidEntriesAreNotReported) {
  EXPECT_THAT(LintFile("compose.yaml",
                       "services:\n  web:\n    image: x\n    ports:\n"
                       "      - \"80:8080\"\n      - \"127.0.0.1:53:53/udp\"\n"
                       "      - target: 443\n        published: \"8443\"\n"
                       "    expose:\n      - \"9000-9010\"\n"),
              IsEmpty());
}

}  // namespace
}  // namespace imglint::testing
