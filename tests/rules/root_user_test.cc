// SPDX-License-Identifier: Apache-2.0
// IL101 root-user on its own, on every input kind it covers: container
// images, Dockerfiles, Kubernetes manifests and Compose files, each with
// cases that report (place and message text pinned) and near misses that
// must not. The real CLI lints files written by each test.
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

constexpr char kRule[] = "IL101";

// root, an alias with uid 0 (toor) and an unprivileged user (app).
constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "toor:x:0:0::/root:/bin/sh\n"
    "app:x:1000:1000::/home/app:/bin/sh\n";
constexpr char kGroup[] = "root:x:0:\napp:x:1000:\n";

ImageSpec ImageWithUser(const std::string& user) {
  ImageSpec spec;
  spec.refs = {"example.com/app:1"};
  spec.config.user = user;
  spec.layers.push_back({.entries = {Dir("/etc"), File("/etc/passwd", 0644, kPasswd),
                                     File("/etc/group", 0644, kGroup)}});
  return spec;
}

std::vector<RuleFinding> LintImage(const ImageSpec& spec) {
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

std::vector<RuleFinding> LintYaml(const std::string& name, const std::string& text) {
  return LintTextForRule(kRule, name, text);
}

// --- Container images ------------------------------------------------------

TEST(RootUserImage, NoUserIsRoot) {
  auto f = LintImage(ImageWithUser(""));
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "app.tar");
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].message, "the image runs as root: no user is set, so it runs as root");
  EXPECT_THAT(f[0].recommendation, HasSubstr("`USER 10001:10001`"));
}

TEST(RootUserImage, RootByNameOrUidWithAnyGroup) {
  auto named = LintImage(ImageWithUser("root:app"));
  ASSERT_EQ(named.size(), 1u) << ::testing::PrintToString(named);
  EXPECT_EQ(named[0].message, "the image runs as root: USER \"root:app\" — root is uid 0");
  auto numeric = LintImage(ImageWithUser("0:1000"));
  ASSERT_EQ(numeric.size(), 1u) << ::testing::PrintToString(numeric);
  EXPECT_EQ(numeric[0].message, "the image runs as root: USER \"0:1000\" — uid 0 is root");
  for (const std::string user : {"root", "0", "0:0", "root:root"}) {
    EXPECT_EQ(LintImage(ImageWithUser(user)).size(), 1u) << user;
  }
}

// A name whose uid in the image's own /etc/passwd is 0 is root too, and the
// finding points at that file.
TEST(RootUserImage, Uid0AliasInPasswd) {
  for (const std::string user : {"toor", "toor:app"}) {
    auto f = LintImage(ImageWithUser(user));
    ASSERT_EQ(f.size(), 1u) << user;
    EXPECT_EQ(At(f[0]), "app.tar /etc/passwd");
    EXPECT_EQ(f[0].message,
              "the image runs as root: USER \"" + user + "\" — \"toor\" has uid 0 in /etc/passwd");
  }
}

// An unknown name is not root either: it is IL102's.
TEST(RootUserImage, NonRootUsersAreNotReported) {
  for (const std::string user :
       {"1000", "app", "1000:1000", "app:app", "65534", "app:0", "nobody2"}) {
    EXPECT_THAT(LintImage(ImageWithUser(user)), IsEmpty()) << user;
  }
}

// --- Dockerfiles -----------------------------------------------------------

TEST(RootUserDockerfile, FinalUserRootSpellings) {
  auto zero = LintDockerfile("FROM debian:12\nUSER 0\n");
  ASSERT_EQ(zero.size(), 1u) << ::testing::PrintToString(zero);
  EXPECT_EQ(At(zero[0]), "Dockerfile:2");
  EXPECT_EQ(zero[0].column, 6);
  EXPECT_EQ(zero[0].message, "USER 0 in the final stage runs the container as root");
  auto pair = LintDockerfile("FROM debian:12\nUSER root:root\n");
  ASSERT_EQ(pair.size(), 1u) << ::testing::PrintToString(pair);
  EXPECT_EQ(pair[0].message, "USER root:root in the final stage runs the container as root");
  // uid 0 with a non-root group is still root.
  auto group = LintDockerfile("FROM debian:12\nUSER 0:1000\n");
  ASSERT_EQ(group.size(), 1u) << ::testing::PrintToString(group);
  EXPECT_EQ(At(group[0]), "Dockerfile:2");
}

// The last USER wins, in both directions.
TEST(RootUserDockerfile, LastUserWins) {
  auto back_to_root = LintDockerfile("FROM debian:12\nUSER 10001\nRUN true\nUSER root\n");
  ASSERT_EQ(back_to_root.size(), 1u) << ::testing::PrintToString(back_to_root);
  EXPECT_EQ(At(back_to_root[0]), "Dockerfile:4");
  EXPECT_EQ(back_to_root[0].message, "USER root in the final stage runs the container as root");
  EXPECT_THAT(LintDockerfile("FROM debian:12\nUSER root\nRUN apt-get update\nUSER 10001\n"),
              IsEmpty());
}

TEST(RootUserDockerfile, NoUserIsReportedAtTheFrom) {
  auto f = LintDockerfile("FROM debian:12\nRUN true\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:1");
  EXPECT_EQ(f[0].message,
            "the final stage sets no USER: the container runs as root unless the base image "
            "debian:12 sets a user");
  // scratch has no user at all: certain, no "unless".
  auto scratch = LintDockerfile("FROM scratch\nCOPY app /app\n");
  ASSERT_EQ(scratch.size(), 1u) << ::testing::PrintToString(scratch);
  EXPECT_EQ(scratch[0].message, "the final stage sets no USER: the container runs as root");
}

// A USER in the parent stage carries over through FROM <stage>: reported at
// that USER, with the final FROM as related location.
TEST(RootUserDockerfile, InheritedFromParentStage) {
  auto f = LintDockerfile("FROM debian:12 AS base\nUSER root\nFROM base\nRUN true\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");
  EXPECT_EQ(f[0].message, "USER root, inherited by the final stage, runs the container as root");
  EXPECT_THAT(f[0].related, ::testing::ElementsAre("Dockerfile:3"));
}

// Variables expand as BuildKit does; one without a value is not guessed.
TEST(RootUserDockerfile, VariablesExpandOrAreNotGuessed) {
  const std::string text = "FROM debian:12\nARG APP_UID\nUSER ${APP_UID}\n";
  EXPECT_THAT(LintDockerfile(text), IsEmpty());
  auto f = LintDockerfile(text, {"--build-arg", "APP_UID=0"});
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:3");
  EXPECT_EQ(f[0].message, "USER ${APP_UID} (\"0\") in the final stage runs the container as root");
  EXPECT_THAT(LintDockerfile(text, {"--build-arg", "APP_UID=10001"}), IsEmpty());
}

TEST(RootUserDockerfile, NonRootFinalUserIsNotReported) {
  EXPECT_THAT(LintDockerfile("FROM debian:12\nUSER 10001:10001\n"), IsEmpty());
  EXPECT_THAT(LintDockerfile("FROM debian:12\nRUN useradd app\nUSER app\n"), IsEmpty());
  // Only the final stage counts: a root build stage is not the container.
  EXPECT_THAT(LintDockerfile("FROM debian:12 AS build\nUSER root\nRUN make\n"
                             "FROM debian:12\nCOPY --from=build /out /out\nUSER 10001\n"),
              IsEmpty());
}

// --- Kubernetes manifests --------------------------------------------------

TEST(RootUserKubernetes, RunAsUserZeroOnTheContainer) {
  auto f = LintYaml("deploy.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: web\n"
                    "        image: example/web\n        securityContext:\n"
                    "          runAsUser: 0\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "deploy.yaml:12");
  EXPECT_EQ(f[0].message, "runAsUser: 0 runs container web as root");
  EXPECT_THAT(f[0].recommendation, HasSubstr("runAsUser: 10001 and runAsNonRoot: true"));
}

// Pod level: reported once at the pod's setting, whatever the number of
// containers that inherit it.
TEST(RootUserKubernetes, RunAsUserZeroOnThePodOnce) {
  auto f = LintYaml("pod.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  securityContext:\n    runAsUser: 0\n  containers:\n"
                    "  - name: a\n    image: example/a\n  - name: b\n    image: example/b\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:7");
  EXPECT_EQ(f[0].message, "runAsUser: 0 in the pod securityContext runs its containers as root");
}

// When some containers set their own user, the pod-level finding names the
// ones it still runs as root instead of claiming all of them.
TEST(RootUserKubernetes, PodLevelRootNamesTheContainersItReaches) {
  auto f = LintYaml("pod.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  securityContext:\n    runAsUser: 0\n  containers:\n"
                    "  - name: a\n    image: example/a\n    securityContext:\n"
                    "      runAsUser: 1000\n"
                    "  - name: b\n    image: example/b\n  - name: c\n    image: example/c\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:7");
  EXPECT_EQ(f[0].message,
            "runAsUser: 0 in the pod securityContext runs container b, container c as root");
}

// The container level wins over the pod level.
TEST(RootUserKubernetes, ContainerRunAsUserOverridesThePod) {
  EXPECT_THAT(LintYaml("pod.yaml",
                       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                       "  securityContext:\n    runAsUser: 0\n  containers:\n"
                       "  - name: a\n    image: example/a\n    securityContext:\n"
                       "      runAsUser: 1000\n"),
              IsEmpty());
  auto f = LintYaml("pod.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  securityContext:\n    runAsUser: 1000\n  containers:\n"
                    "  - name: a\n    image: example/a\n    securityContext:\n"
                    "      runAsUser: 0\n");
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "pod.yaml:12");
  EXPECT_EQ(f[0].message, "runAsUser: 0 runs container a as root");
}

// Without runAsUser the image decides, but only an image linted with the
// manifest: an unknown image is not guessed to be root.
TEST(RootUserKubernetes, NoRunAsUserAndAnUnknownImage) {
  EXPECT_THAT(LintYaml("pod.yaml",
                       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                       "  containers:\n  - name: web\n    image: example.com/app:1\n"),
              IsEmpty());
}

// The image linted beside the manifest runs as root: reported at `image:`,
// or at `runAsNonRoot: false` when that is written; `runAsNonRoot: true`
// makes the kubelet refuse the image instead.
TEST(RootUserKubernetes, RootImageLintedWithTheManifest) {
  TempDir dir;
  WriteOciTar(ImageWithUser("root"), dir.File("app.tar"));
  WriteFileBytes(dir.File("deploy.yaml"),
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n"
                 "  template:\n    spec:\n      containers:\n"
                 "      - name: plain\n"               // 9
                 "        image: example.com/app:1\n"  // 10
                 "      - name: explicit\n"            // 11
                 "        image: example.com/app:1\n"  // 12
                 "        securityContext:\n"          // 13
                 "          runAsNonRoot: false\n"     // 14
                 "      - name: refused\n"             // 15
                 "        image: example.com/app:1\n"  // 16
                 "        securityContext:\n"          // 17
                 "          runAsNonRoot: true\n"      // 18
                 "      - name: pinned\n"              // 19
                 "        image: example.com/app:1\n"  // 20
                 "        securityContext:\n"          // 21
                 "          runAsUser: 1000\n");       // 22
  std::vector<RuleFinding> f;
  for (RuleFinding& finding : LintForRule(kRule, dir.path(), {"deploy.yaml", "app.tar"})) {
    if (finding.path == "deploy.yaml") f.push_back(finding);
  }
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "deploy.yaml:10");
  EXPECT_THAT(f[0].message, HasSubstr("container plain sets no runAsUser and "));
  EXPECT_THAT(f[0].message, HasSubstr("app.tar"));
  EXPECT_THAT(f[0].message, ::testing::EndsWith(": it runs as root"));
  EXPECT_THAT(f[0].related, ::testing::Contains("app.tar"));
  EXPECT_EQ(At(f[1]), "deploy.yaml:14");
  EXPECT_THAT(f[1].message, ::testing::StartsWith("runAsNonRoot: false lets container explicit "
                                                  "run as root: "));
}

// --- Compose files ---------------------------------------------------------

TEST(RootUserCompose, UserRootSpellings) {
  auto f = LintYaml("compose.yaml",
                    "services:\n"
                    "  a:\n    image: example/a\n    user: root\n"         // 4
                    "  b:\n    image: example/b\n    user: \"0:0\"\n"      // 7
                    "  c:\n    image: example/c\n    user: root:root\n");  // 10
  ASSERT_EQ(f.size(), 3u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "compose.yaml:4");
  EXPECT_EQ(f[0].message, "user: root runs service a as root");
  EXPECT_EQ(At(f[1]), "compose.yaml:7");
  EXPECT_EQ(f[1].message, "user: 0:0 runs service b as root");
  EXPECT_EQ(At(f[2]), "compose.yaml:10");
  EXPECT_EQ(f[2].message, "user: root:root runs service c as root");
  EXPECT_THAT(f[0].recommendation, HasSubstr("set user: \"10001:10001\""));
}

TEST(RootUserCompose, NonRootOrUnknownUserIsNotReported) {
  EXPECT_THAT(LintYaml("compose.yaml",
                       "services:\n  a:\n    image: example/a\n    user: \"1000\"\n"
                       "  b:\n    image: example/b\n    user: app:app\n"
                       "  c:\n    image: example/c\n"),
              IsEmpty());
}

// A service without `user:` runs as its image's or build's user: reported
// when that Dockerfile (or image) is linted too and runs as root.
TEST(RootUserCompose, BuildDockerfileThatRunsAsRoot) {
  TempDir dir;
  WriteFileBytes(dir.File("compose.yaml"),
                 "services:\n  root:\n    build: .\n"
                 "  pinned:\n    build: .\n    user: \"1000\"\n");
  WriteFileBytes(dir.File("Dockerfile"), "FROM debian:12\nUSER root\n");
  auto f = LintForRule(kRule, dir.path(), {"compose.yaml", "Dockerfile"});
  ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "Dockerfile:2");  // the Dockerfile's own finding
  EXPECT_EQ(At(f[1]), "compose.yaml:3");
  EXPECT_EQ(f[1].message,
            "service root sets no user and the Dockerfile Dockerfile runs as \"root\" (root is "
            "uid 0): it runs as root");
  EXPECT_THAT(f[1].related, ::testing::ElementsAre("Dockerfile:2"));
}

TEST(RootUserCompose, RootImageLintedWithTheFile) {
  TempDir dir;
  WriteOciTar(ImageWithUser(""), dir.File("app.tar"));
  WriteFileBytes(dir.File("compose.yaml"),
                 "services:\n  web:\n    image: example.com/app:1\n"
                 "  pinned:\n    image: example.com/app:1\n    user: \"1000\"\n");
  std::vector<RuleFinding> f;
  for (RuleFinding& finding : LintForRule(kRule, dir.path(), {"compose.yaml", "app.tar"})) {
    if (finding.path == "compose.yaml") f.push_back(finding);
  }
  ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(f);
  EXPECT_EQ(At(f[0]), "compose.yaml:3");
  EXPECT_THAT(f[0].message, ::testing::StartsWith("service web sets no user and "));
  EXPECT_THAT(f[0].message, HasSubstr("app.tar"));
}

}  // namespace
}  // namespace imglint::testing
