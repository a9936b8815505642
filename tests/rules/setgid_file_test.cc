// SPDX-License-Identifier: Apache-2.0
// IL202 setgid-file on its own, on every input kind it covers: container
// images (the final merged filesystem) and Dockerfiles (chmod, install and
// COPY/ADD --chmod steps in the stages the target needs). Kubernetes and
// Compose files carry no file modes: the rule has nothing to say there.
// IL201 shares the code; these cases pin that the setgid wording follows
// (group names, the hard-link note) and the setgid-only edges (directories).
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

constexpr char kRule[] = "IL202";

constexpr char kPasswd[] = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";
constexpr char kGroup[] = "root:x:0:\nshadow:x:42:\napp:x:1000:\n";

// A non-root image (IL101 out of the way) whose layers are `layers`, after a
// base layer with /etc/passwd, /etc/group and /usr/bin.
std::vector<RuleFinding> LintImage(std::vector<LayerSpec> layers) {
  ImageSpec spec;
  spec.config.user = "app";
  spec.layers.push_back(
      {.entries = {Dir("/etc"), File("/etc/passwd", 0644, kPasswd),
                   File("/etc/group", 0644, kGroup), Dir("/usr"), Dir("/usr/bin")}});
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

// --- Container images ------------------------------------------------------

// The group is named through the image's own /etc/group, else by number.
TEST(SetgidFileImage, SetgidFileNamesItsGroup) {
  auto f = LintImage({{.entries = {File("/usr/bin/wall", 02755, "x").WithOwner(0, 42),
                                   File("/usr/bin/odd", 02711, "x").WithOwner(0, 4242)}}});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /usr/bin/odd");
  EXPECT_EQ(f[0].message, "/usr/bin/odd is setgid gid 4242 (mode 2711)");
  EXPECT_EQ(At(f[1]), "app.tar /usr/bin/wall");
  EXPECT_EQ(f[1].severity, "warning");
  EXPECT_EQ(f[1].message, "/usr/bin/wall is setgid shadow (mode 2755)");
  EXPECT_THAT(f[1].recommendation, HasSubstr("RUN chmod g-s /usr/bin/wall"));
}

// Same hard-link note as IL201 (issue 11: the setgid copy had drifted).
TEST(SetgidFileImage, HardLinkToSetgidFile) {
  auto f = LintImage({{.entries = {File("/usr/bin/wall", 02755, "x").WithOwner(0, 42),
                                   Hardlink("/usr/bin/wall2", "/usr/bin/wall")}}});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[1]), "app.tar /usr/bin/wall2");
  EXPECT_EQ(f[1].message,
            "/usr/bin/wall2 is setgid shadow (mode 2755), a hard link to /usr/bin/wall");
}

// A setgid directory only makes new files inherit its group; a setuid file
// is IL201's.
TEST(SetgidFileImage, DirectoriesAndSetuidFilesAreNotReported) {
  EXPECT_THAT(LintImage({{.entries = {Dir("/var"), Dir("/var/mail", 02775),
                                      File("/usr/bin/su", 04755, "x")}}}),
              IsEmpty());
}

// The final merged filesystem counts: removed or chmod g-s in a later layer.
TEST(SetgidFileImage, RemovedOrClearedInALaterLayer) {
  EXPECT_THAT(LintImage({{.entries = {File("/usr/bin/wall", 02755, "x")}},
                         {.entries = {Whiteout("/usr/bin/wall")}}}),
              IsEmpty());
  EXPECT_THAT(LintImage({{.entries = {File("/usr/bin/wall", 02755, "x")}},
                         {.entries = {File("/usr/bin/wall", 0755, "x")}}}),
              IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

TEST(SetgidFileDockerfile, ModesThatSetTheBit) {
  auto f = LintDockerfile(
      "FROM debian:12\n"
      "RUN chmod g+s /a && chmod 2755 /b && chmod 02755 /c && chmod u+x,g+s /d\n"  // 2
      "RUN chmod +s /e && chmod 6755 /f\n"                                         // 3
      "RUN install -m 2755 src /usr/local/bin/i\n"                                 // 4
      "COPY --chmod=2755 tool /usr/local/bin/tool\n"                               // 5
      "USER 10001\n");
  std::vector<std::string> messages;
  for (const RuleFinding& finding : f) messages.push_back(At(finding) + " " + finding.message);
  EXPECT_THAT(
      messages,
      ElementsAre("Dockerfile:2 chmod g+s /a sets the setgid bit",
                  "Dockerfile:2 chmod 2755 /b sets the setgid bit",
                  "Dockerfile:2 chmod 02755 /c sets the setgid bit",
                  "Dockerfile:2 chmod u+x,g+s /d sets the setgid bit",
                  "Dockerfile:3 chmod +s /e sets the setgid bit",
                  "Dockerfile:3 chmod 6755 /f sets the setgid bit",
                  "Dockerfile:4 install -m 2755 /usr/local/bin/i sets the setgid bit",
                  "Dockerfile:5 COPY --chmod=2755 … /usr/local/bin/tool sets the setgid bit"));
  ASSERT_FALSE(f.empty());
  EXPECT_THAT(f[0].recommendation, HasSubstr("no g+s, or an octal mode such as 0755"));
}

// A Dockerfile does not say what a path is: `install -d` and a trailing `/`
// are directories (not reported); clearing the bit is the fix.
TEST(SetgidFileDockerfile, DirectoriesAndClearingAreNotReported) {
  EXPECT_THAT(LintDockerfile("FROM debian:12\n"
                             "RUN install -d -m 2775 /srv/shared && chmod g+s /srv/dir/\n"
                             "RUN chmod g-s /usr/bin/expiry && chmod 0755 /e && chmod u+s /f\n"
                             "USER 10001\n"),
              IsEmpty());
}

}  // namespace
}  // namespace imglint::testing
