// SPDX-License-Identifier: Apache-2.0
// IL201 setuid-file on its own, on every input kind it covers: container
// images (the final merged filesystem) and Dockerfiles (chmod, install and
// COPY/ADD --chmod steps in the stages the target needs). Kubernetes and
// Compose files carry no file modes: the rule has nothing to say there.
// Each case pins the place and the message text.
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

constexpr char kRule[] = "IL201";

constexpr char kPasswd[] = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";

// An image running as a non-root user (so IL101 stays out of the way) whose
// layers are `layers`, after a base layer with /etc/passwd and /usr/bin.
std::vector<RuleFinding> LintImage(std::vector<LayerSpec> layers) {
  ImageSpec spec;
  spec.config.user = "app";
  spec.layers.push_back(
      {.entries = {Dir("/etc"), File("/etc/passwd", 0644, kPasswd), Dir("/usr"), Dir("/usr/bin")}});
  spec.layers.insert(spec.layers.end(), layers.begin(), layers.end());
  TempDir dir;
  WriteOciTar(spec, dir.File("app.tar"));
  return LintForRule(kRule, dir.path(), {"app.tar"});
}

std::vector<RuleFinding> LintDockerfile(const std::string& text,
                                        std::vector<std::string> args = {}) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), text);
  args.push_back("Dockerfile");
  return LintForRule(kRule, dir.path(), args);
}

// --- Container images ------------------------------------------------------

// Reported at the file, in the layer that put it there.
TEST(SetuidFileImage, SetuidRootFile) {
  ImageSpec spec;
  spec.config.user = "1000";
  spec.layers.push_back({.entries = {Dir("/usr"), Dir("/usr/bin")}});
  spec.layers.push_back({.entries = {File("/usr/bin/passwd", 04755, "x")}});
  TempDir dir;
  const WrittenImage written = WriteOciTar(spec, dir.File("app.tar"));
  auto f = LintForRule(kRule, dir.path(), {"app.tar"});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /usr/bin/passwd");
  EXPECT_EQ(f[0].layer_digest, written.layer_digests.at(1));
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_EQ(f[0].message, "/usr/bin/passwd is setuid root (mode 4755)");
  EXPECT_THAT(f[0].recommendation, HasSubstr("RUN chmod u-s /usr/bin/passwd"));
}

// The owner is named through the image's own /etc/passwd, else by number.
TEST(SetuidFileImage, OwnerNamedByTheImage) {
  auto f = LintImage({{.entries = {File("/usr/bin/mine", 04750, "x").WithOwner(1000, 1000),
                                   File("/usr/bin/other", 04711, "x").WithOwner(4242, 0)}}});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0].message, "/usr/bin/mine is setuid app (mode 4750)");
  EXPECT_EQ(f[1].message, "/usr/bin/other is setuid uid 4242 (mode 4711)");
}

// A hard link to a setuid file is one more setuid path, said so.
TEST(SetuidFileImage, HardLinkToSetuidFile) {
  auto f = LintImage({{.entries = {File("/usr/bin/passwd", 04755, "x"),
                                   Hardlink("/usr/bin/chfn2", "/usr/bin/passwd")}}});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /usr/bin/chfn2");
  EXPECT_EQ(f[0].message,
            "/usr/bin/chfn2 is setuid root (mode 4755), a hard link to /usr/bin/passwd");
  EXPECT_EQ(At(f[1]), "app.tar /usr/bin/passwd");
}

// The final merged filesystem counts: a setuid file deleted (whiteout, or a
// directory made opaque) or re-added without the bit in a later layer is not
// in the image.
TEST(SetuidFileImage, RemovedOrClearedInALaterLayer) {
  EXPECT_THAT(LintImage({{.entries = {File("/usr/bin/su", 04755, "x")}},
                         {.entries = {Whiteout("/usr/bin/su")}}}),
              IsEmpty());
  EXPECT_THAT(LintImage({{.entries = {File("/usr/bin/su", 04755, "x")}},
                         {.entries = {File("/usr/bin/su", 0755, "x")}}}),  // chmod u-s
              IsEmpty());
  EXPECT_THAT(LintImage({{.entries = {Dir("/opt"), Dir("/opt/app"), File("/opt/app/su", 04755)}},
                         {.entries = {Dir("/opt/app"), Opaque("/opt/app")}}}),
              IsEmpty());
  // The other way round: the bit added in a later layer is reported.
  auto f = LintImage({{.entries = {File("/usr/bin/su", 0755, "x")}},
                      {.entries = {File("/usr/bin/su", 04755, "x")}}});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /usr/bin/su");
  EXPECT_EQ(f[0].message, "/usr/bin/su is setuid root (mode 4755)");
}

// Only files: a directory with the bit, a plain executable and a setgid
// file (IL202's) are not setuid files.
TEST(SetuidFileImage, NotSetuidFiles) {
  EXPECT_THAT(LintImage({{.entries = {Dir("/srv", 04755), File("/usr/bin/ls", 0755, "x"),
                                      File("/usr/bin/wall", 02755, "x"),
                                      File("/usr/bin/sticky", 01755, "x")}}}),
              IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

TEST(SetuidFileDockerfile, ChmodModesThatSetTheBit) {
  auto f = LintDockerfile(
      "FROM debian:12\n"
      "RUN chmod u+s /usr/local/bin/a && chmod +s /b && chmod a+s /c\n"  // 2
      "RUN chmod 4755 /d && chmod 04755 /e && chmod u=rwxs /f\n"         // 3
      "USER 10001\n");
  std::vector<std::string> messages;
  for (const RuleFinding& finding : f) messages.push_back(At(finding) + " " + finding.message);
  EXPECT_THAT(messages, ElementsAre("Dockerfile:2 chmod u+s /usr/local/bin/a sets the setuid bit",
                                    "Dockerfile:2 chmod +s /b sets the setuid bit",
                                    "Dockerfile:2 chmod a+s /c sets the setuid bit",
                                    "Dockerfile:3 chmod 4755 /d sets the setuid bit",
                                    "Dockerfile:3 chmod 04755 /e sets the setuid bit",
                                    "Dockerfile:3 chmod u=rwxs /f sets the setuid bit"));
  // Each at its own command: the column of the chmod's mode.
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0].column, 11);
  EXPECT_EQ(f[1].column, 41);
  EXPECT_THAT(f[0].recommendation, HasSubstr("no u+s, or an octal mode such as 0755"));
}

TEST(SetuidFileDockerfile, InstallAndCopyChmod) {
  auto f = LintDockerfile(
      "FROM debian:12\n"
      "RUN install -m 4755 src /usr/local/bin/i\n"    // 2
      "COPY --chmod=4755 tool /usr/local/bin/tool\n"  // 3
      "USER 10001\n");
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");
  EXPECT_EQ(f[0].message, "install -m 4755 /usr/local/bin/i sets the setuid bit");
  EXPECT_EQ(At(f[1]), "Dockerfile:3");
  EXPECT_EQ(f[1].message, "COPY --chmod=4755 … /usr/local/bin/tool sets the setuid bit");
}

// Heredoc scripts are command lines too.
TEST(SetuidFileDockerfile, HeredocScript) {
  auto f = LintDockerfile("FROM debian:12\nRUN <<EOT\nset -e\nchmod 04755 /h\nEOT\nUSER 10001\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:4");
  EXPECT_EQ(f[0].message, "chmod 04755 /h sets the setuid bit");
}

// Removing the bit, or a mode without it, is what the remediation asks for.
TEST(SetuidFileDockerfile, ClearingOrOtherModesAreNotReported) {
  EXPECT_THAT(LintDockerfile("FROM debian:12\n"
                             "RUN chmod u-s /usr/bin/passwd && chmod a-s /usr/bin/* && "
                             "chmod 0755 /q && chmod 755 /s && chmod g+s /g && chmod +x /x\n"
                             "RUN install -m 0755 src /usr/local/bin/i\n"
                             "COPY --chmod=755 tool /usr/local/bin/tool\n"
                             "USER 10001\n"),
              IsEmpty());
}

// Stages count when the target stage is built from them or copies from
// them, and say which stage; a stage nothing needs is not built.
TEST(SetuidFileDockerfile, OnlyTheStagesTheTargetNeeds) {
  const std::string text =
      "FROM debian:12 AS build\n"  // 1
      "RUN chmod 4755 /out/a\n"    // 2
      "FROM debian:12 AS tests\n"  // 3
      "RUN chmod u+s /never\n"     // 4
      "FROM debian:12\n"           // 5
      "COPY --from=build /out/a /a\n"
      "USER 10001\n";
  auto f = LintDockerfile(text);
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");
  EXPECT_EQ(f[0].message, "chmod 4755 /out/a sets the setuid bit in stage \"build\"");
  // --target tests builds the other stage only, and it is then the final one.
  auto tests = LintDockerfile(text, {"--target", "tests"});
  ASSERT_EQ(tests.size(), 1u) << ::testing::PrintToString(tests);
  EXPECT_EQ(At(tests[0]), "Dockerfile:4");
  EXPECT_EQ(tests[0].message, "chmod u+s /never sets the setuid bit");
}

// An inline pragma on the line above silences exactly this rule there.
TEST(SetuidFileDockerfile, InlineSuppression) {
  EXPECT_THAT(LintDockerfile("FROM debian:12\n# imglint ignore=setuid-file\n"
                             "RUN chmod u+s /usr/bin/ping\nUSER 10001\n"),
              IsEmpty());
}

}  // namespace
}  // namespace imglint::testing
