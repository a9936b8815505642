// SPDX-License-Identifier: Apache-2.0
// IL203 file-capability on its own, on every input kind it covers:
// container images (security.capability xattrs in the final merged
// filesystem, shown as getcap prints them) and Dockerfiles (setcap steps in
// the stages the target needs). Kubernetes and Compose files carry no file
// xattrs: the rule has nothing to say there (capabilities.add / cap_add are
// IL304's). Each case pins the place, severity and message text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/image_builder.h"
#include "tests/support/rule_findings.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kRule[] = "IL203";

// A non-root image (IL101 out of the way) with `layers` after a base layer
// holding /usr/bin.
std::vector<RuleFinding> LintImage(std::vector<LayerSpec> layers) {
  ImageSpec spec;
  spec.config.user = "1000";
  spec.layers.push_back({.entries = {Dir("/usr"), Dir("/usr/bin")}});
  spec.layers.insert(spec.layers.end(), layers.begin(), layers.end());
  TempDir dir;
  WriteOciTar(spec, dir.File("app.tar"));
  return LintForRule(kRule, dir.path(), {"app.tar"});
}

std::vector<RuleFinding> LintDockerfile(const std::string& text) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), text);
  return LintForRule(kRule, dir.path(), {"Dockerfile"});
}

EntrySpec Tool(const std::string& path, std::string caps) {
  return File(path, 0755, "x").WithCaps(std::move(caps));
}

// --- Container images ------------------------------------------------------

// A capability short of root is a warning; the text is getcap's.
TEST(FileCapabilityImage, OrdinaryCapabilityIsAWarning) {
  auto f = LintImage({{.entries = {Tool("/usr/bin/ping", CapV2({"cap_net_raw"}, true))}}});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /usr/bin/ping");
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_EQ(f[0].message, "/usr/bin/ping has file capabilities cap_net_raw=ep");
  EXPECT_EQ(f[0].recommendation, "remove it in the build (RUN setcap -r /usr/bin/ping)");
}

// Sets that amount to root are errors and say so.
TEST(FileCapabilityImage, RootEquivalentSetsAreErrors) {
  auto f = LintImage(
      {{.entries = {Tool("/usr/bin/admin", CapV2({"cap_net_admin", "cap_sys_admin"}, true)),
                    Tool("/usr/bin/all", CapXattr(2, (1ULL << 41) - 1, 0, true)),
                    Tool("/usr/bin/su2", CapV2({"cap_setuid"}, false))}}});
  ASSERT_EQ(f.size(), 3u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].message,
            "/usr/bin/admin has file capabilities cap_net_admin,cap_sys_admin=ep "
            "(root-equivalent)");
  EXPECT_EQ(f[1].severity, "error");  // every capability: getcap's "=ep"
  EXPECT_EQ(f[1].message, "/usr/bin/all has file capabilities =ep (root-equivalent)");
  EXPECT_EQ(f[2].severity, "error");
  EXPECT_EQ(f[2].message, "/usr/bin/su2 has file capabilities cap_setuid=p (root-equivalent)");
}

// cap_net_bind_service is there to bind a low port: the fix names the sysctl.
TEST(FileCapabilityImage, NetBindServiceRecommendsTheSysctl) {
  auto f =
      LintImage({{.entries = {Tool("/usr/bin/server", CapV2({"cap_net_bind_service"}, true))}}});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0].message, "/usr/bin/server has file capabilities cap_net_bind_service=ep");
  EXPECT_THAT(f[0].recommendation, HasSubstr("net.ipv4.ip_unprivileged_port_start=0"));
}

// Revision 1 and 3 attributes read like revision 2; v3 shows its root id as
// getcap -n does.
TEST(FileCapabilityImage, EveryXattrRevision) {
  auto f = LintImage({{.entries = {Tool("/usr/bin/v1", CapV1({"cap_net_raw"}, true)),
                                   Tool("/usr/bin/v3", CapV3({"cap_net_raw"}, true, 1000))}}});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0].message, "/usr/bin/v1 has file capabilities cap_net_raw=ep");
  EXPECT_EQ(f[1].message, "/usr/bin/v3 has file capabilities cap_net_raw=ep [rootid=1000]");
}

// The final merged filesystem counts: a hard link shares the inode's xattr;
// a file replaced without it (setcap -r) or deleted later is not reported.
TEST(FileCapabilityImage, HardLinksAndLaterLayers) {
  auto linked = LintImage({{.entries = {Tool("/usr/bin/ping", CapV2({"cap_net_raw"}, true)),
                                        Hardlink("/usr/bin/ping6", "/usr/bin/ping")}}});
  ASSERT_EQ(linked.size(), 2u) << ::testing::PrintToString(linked);
  EXPECT_EQ(linked[1].message, "/usr/bin/ping6 has file capabilities cap_net_raw=ep");
  EXPECT_THAT(LintImage({{.entries = {Tool("/usr/bin/ping", CapV2({"cap_net_raw"}, true))}},
                         {.entries = {File("/usr/bin/ping", 0755, "x")}}}),
              IsEmpty());
  EXPECT_THAT(LintImage({{.entries = {Tool("/usr/bin/ping", CapV2({"cap_net_raw"}, true))}},
                         {.entries = {Whiteout("/usr/bin/ping")}}}),
              IsEmpty());
}

TEST(FileCapabilityImage, FilesWithoutCapabilitiesAreNotReported) {
  EXPECT_THAT(
      LintImage({{.entries = {File("/usr/bin/ls", 0755, "x"), File("/usr/bin/su", 04755, "x")}}}),
      IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

TEST(FileCapabilityDockerfile, SetcapStep) {
  auto f = LintDockerfile(
      "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/local/bin/server\nUSER 10001\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");
  EXPECT_EQ(f[0].column, 12);
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_EQ(f[0].message,
            "setcap cap_net_bind_service=+ep /usr/local/bin/server grants file capabilities");
  EXPECT_THAT(f[0].recommendation, HasSubstr("RUN setcap -r /usr/local/bin/server"));
  EXPECT_THAT(f[0].recommendation, HasSubstr("net.ipv4.ip_unprivileged_port_start=0"));
}

// A root-equivalent set is an error, through quoting and sudo alike; a
// capability other than cap_net_bind_service gets no sysctl advice.
TEST(FileCapabilityDockerfile, RootEquivalentSetcap) {
  auto f = LintDockerfile(
      "FROM debian:12\n"
      "RUN setcap \"cap_sys_admin,cap_net_raw+ep\" /x\n"  // 2
      "RUN sudo setcap cap_setuid=ep /w\n"                // 3
      "USER 10001\n");
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].message,
            "setcap cap_sys_admin,cap_net_raw+ep /x grants file capabilities (root-equivalent)");
  EXPECT_THAT(f[0].recommendation, Not(HasSubstr("ip_unprivileged_port_start")));
  EXPECT_EQ(At(f[1]), "Dockerfile:3");
  EXPECT_EQ(f[1].message, "setcap cap_setuid=ep /w grants file capabilities (root-equivalent)");
}

// Removing or clearing capabilities is the fix, not a finding.
TEST(FileCapabilityDockerfile, RemovingCapabilitiesIsNotReported) {
  EXPECT_THAT(LintDockerfile("FROM debian:12\nRUN setcap -r /y && setcap cap_net_raw= /z\n"
                             "USER 10001\n"),
              IsEmpty());
}

// Stages count when the target needs them: copied from, or not at all.
TEST(FileCapabilityDockerfile, OnlyTheStagesTheTargetNeeds) {
  const std::string build = "FROM debian:12 AS build\nRUN setcap cap_net_raw+ep /b\n";
  EXPECT_THAT(LintDockerfile(build + "FROM debian:12\nUSER 10001\n"), IsEmpty());
  auto f = LintDockerfile(build + "FROM debian:12\nCOPY --from=build /b /b\nUSER 10001\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");
  // Named like IL201/IL202 name theirs: the step is not in the final image's chain.
  EXPECT_EQ(f[0].message, "setcap cap_net_raw+ep /b grants file capabilities in stage \"build\"");
}

}  // namespace
}  // namespace imglint::testing
