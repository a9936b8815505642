// SPDX-License-Identifier: Apache-2.0
// IL102 unknown-user on its own, on every input kind it covers: container
// images (config User against the image's /etc/passwd and /etc/group) and
// Dockerfiles, which are only judged with the image they built (linted
// together and matched by history): a Dockerfile alone cannot know which
// users its base image has. Kubernetes and Compose set numeric ids, which
// need no entry. Each case pins the place and the message text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/image_builder.h"
#include "tests/support/rule_findings.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kRule[] = "IL102";

constexpr char kPasswd[] = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";
constexpr char kGroup[] = "root:x:0:\napp:x:1000:\n";

// An image running as `user`, with the given /etc/passwd and /etc/group
// (nullopt: the file is not in the image).
ImageSpec ImageWithUser(const std::string& user, const std::optional<std::string>& passwd = kPasswd,
                        const std::optional<std::string>& group = kGroup) {
  ImageSpec spec;
  spec.config.user = user;
  LayerSpec layer{.entries = {Dir("/etc")}};
  if (passwd) layer.entries.push_back(File("/etc/passwd", 0644, *passwd));
  if (group) layer.entries.push_back(File("/etc/group", 0644, *group));
  spec.layers.push_back(layer);
  return spec;
}

std::vector<RuleFinding> LintImage(const ImageSpec& spec) {
  TempDir dir;
  WriteOciTar(spec, dir.File("app.tar"));
  return LintForRule(kRule, dir.path(), {"app.tar"});
}

// --- Container images ------------------------------------------------------

TEST(UnknownUserImage, UserMissingFromPasswd) {
  auto f = LintImage(ImageWithUser("nobody2"));
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /etc/passwd");
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].message,
            "USER \"nobody2\": user \"nobody2\" is not in the image's /etc/passwd; the container "
            "will not start");
  EXPECT_EQ(f[0].recommendation, "create the user in the image before USER, or use a numeric uid");
}

TEST(UnknownUserImage, GroupMissingFromGroupFile) {
  auto f = LintImage(ImageWithUser("app:wheel"));
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar /etc/group");
  EXPECT_EQ(f[0].message,
            "USER \"app:wheel\": group \"wheel\" is not in the image's /etc/group; the container "
            "will not start");
  EXPECT_EQ(f[0].recommendation, "create the group in the image before USER, or use a numeric gid");
}

// Both missing: one finding each, at its own file (in report order).
TEST(UnknownUserImage, UserAndGroupMissing) {
  auto f = LintImage(ImageWithUser("ghost:wheel"));
  std::vector<std::string> messages;
  for (const RuleFinding& finding : f) messages.push_back(At(finding) + " " + finding.message);
  EXPECT_THAT(messages,
              ElementsAre("app.tar /etc/group USER \"ghost:wheel\": group \"wheel\" is "
                          "not in the image's /etc/group; the container will not start",
                          "app.tar /etc/passwd USER \"ghost:wheel\": user \"ghost\" is "
                          "not in the image's /etc/passwd; the container will not start"));
}

// An image without the files at all says so.
TEST(UnknownUserImage, NoPasswdOrGroupFile) {
  auto user = LintImage(ImageWithUser("app", std::nullopt, kGroup));
  ASSERT_EQ(user.size(), 1u) << ::testing::PrintToString(user);
  EXPECT_EQ(user[0].message,
            "USER \"app\": user \"app\" is not in the image (no /etc/passwd); the container will "
            "not start");
  auto group = LintImage(ImageWithUser("app:app", kPasswd, std::nullopt));
  ASSERT_EQ(group.size(), 1u) << ::testing::PrintToString(group);
  EXPECT_EQ(group[0].message,
            "USER \"app:app\": group \"app\" is not in the image (no /etc/group); the container "
            "will not start");
}

// Numeric ids need no entry; names that exist resolve; no user is root
// (IL101's), not unknown.
TEST(UnknownUserImage, KnownNamesAndNumericIdsAreNotReported) {
  for (const std::string user : {"app", "app:app", "root", "1000", "1000:1000", "app:1000", ""}) {
    EXPECT_THAT(LintImage(ImageWithUser(user)), IsEmpty()) << user;
  }
  EXPECT_THAT(LintImage(ImageWithUser("4242:4242", std::nullopt, std::nullopt)), IsEmpty());
}

// --- Dockerfiles -----------------------------------------------------------

// The image BuildKit built from `dockerfile_user` (its history matches the
// Dockerfile below), with the users and groups of kPasswd and kGroup.
ImageSpec BuiltImage(const std::string& user) {
  ImageSpec spec = ImageWithUser(user);
  spec.config.history = {
      {.created_by = "/bin/sh -c #(nop) ADD file:0123abcd in / "},
      {.created_by = "RUN /bin/sh -c useradd -u 1000 app # buildkit", .empty_layer = true},
      {.created_by = "USER " + user, .empty_layer = true},
  };
  return spec;
}

std::string BuildFile(const std::string& user) {
  return "FROM debian:12\nRUN useradd -u 1000 app\nUSER " + user + "\n";  // USER on line 3
}

std::vector<RuleFinding> LintBuild(const std::string& user) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), BuildFile(user));
  WriteOciTar(BuiltImage(user), dir.File("app.tar"));
  std::vector<RuleFinding> out;
  for (RuleFinding& f : LintForRule(kRule, dir.path(), {"Dockerfile", "app.tar"})) {
    if (f.path == "Dockerfile") out.push_back(f);
  }
  return out;
}

TEST(UnknownUserDockerfile, UserMissingFromTheBuiltImage) {
  auto f = LintBuild("ghost");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:3");
  EXPECT_EQ(f[0].message,
            "USER ghost: user \"ghost\" is not in /etc/passwd of app.tar; the container will not "
            "start");
}

TEST(UnknownUserDockerfile, GroupMissingFromTheBuiltImage) {
  auto f = LintBuild("app:wheel");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:3");
  EXPECT_EQ(f[0].message,
            "USER app:wheel: group \"wheel\" is not in /etc/group of app.tar; the container will "
            "not start");
}

TEST(UnknownUserDockerfile, NotReported) {
  // Names the built image has.
  EXPECT_THAT(LintBuild("app:app"), IsEmpty());
  // Alone, the Dockerfile cannot know its base image's users.
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), BuildFile("ghost"));
  EXPECT_THAT(LintForRule(kRule, dir.path(), {"Dockerfile"}), IsEmpty());
}

}  // namespace
}  // namespace imglint::testing
