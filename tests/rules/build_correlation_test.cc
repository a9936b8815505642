// SPDX-License-Identifier: Apache-2.0
// An image linted together with the Dockerfile that built it: image findings
// point at the Dockerfile line behind them (via the history), and the
// Dockerfile's USER is checked against the image's /etc/passwd. Also pins the
// image side's fingerprint-key contract that AttachDockerfileLocations reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "toor:x:0:0::/root:/bin/sh\n"
    "app:x:1000:1000::/home/app:/bin/sh\n";
constexpr char kGroup[] = "root:x:0:\napp:x:1000:\n";

// What BuildKit records for the Dockerfile below, on a one-layer base image.
constexpr char kDockerfile[] =
    "FROM debian:12\n"                  // 1
    "RUN useradd -u 1000 app\n"         // 2
    "RUN chmod u+s /usr/bin/tool\n"     // 3
    "COPY --chmod=2755 agent /agent\n"  // 4
    "USER app\n"                        // 5
    "EXPOSE 80\n";                      // 6

ImageSpec BuiltImage(const std::string& user = "app", bool classic = false) {
  ImageSpec spec;
  spec.config.user = user;
  spec.config.exposed_ports = {"80/tcp"};
  spec.layers.push_back(
      {.entries = {Dir("/etc"), File("/etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n"),
                   File("/etc/group", 0644, "root:x:0:\n"), Dir("/usr"), Dir("/usr/bin"),
                   File("/usr/bin/tool", 0755)}});
  spec.layers.push_back({.entries = {Dir("/etc"), File("/etc/passwd", 0644, kPasswd),
                                     File("/etc/group", 0644, kGroup)}});
  spec.layers.push_back({.entries = {Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/tool", 04755)}});
  spec.layers.push_back({.entries = {File("/agent", 02755)}});
  if (classic) {
    spec.config.history = {
        {.created_by = "/bin/sh -c #(nop) ADD file:0123abcd in / "},
        {.created_by = "/bin/sh -c #(nop)  CMD [\"bash\"]", .empty_layer = true},
        {.created_by = "/bin/sh -c useradd -u 1000 app"},
        {.created_by = "/bin/sh -c chmod u+s /usr/bin/tool"},
        {.created_by = "/bin/sh -c #(nop) COPY file:89ab in /agent "},
        {.created_by = "/bin/sh -c #(nop)  USER " + user, .empty_layer = true},
        {.created_by = "/bin/sh -c #(nop)  EXPOSE 80", .empty_layer = true},
    };
  } else {
    spec.config.history = {
        {.created_by = "/bin/sh -c #(nop) ADD file:0123abcd in / "},
        {.created_by = "/bin/sh -c #(nop)  CMD [\"bash\"]", .empty_layer = true},
        {.created_by = "RUN /bin/sh -c useradd -u 1000 app # buildkit"},
        {.created_by = "RUN /bin/sh -c chmod u+s /usr/bin/tool # buildkit"},
        {.created_by = "COPY --chmod=2755 agent /agent # buildkit"},
        {.created_by = "USER " + user, .empty_layer = true},
        {.created_by = "EXPOSE map[80/tcp:{}]", .empty_layer = true},
    };
  }
  return spec;
}

json Lint(const std::vector<std::string>& targets, const std::string& cwd,
          std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), targets.begin(), targets.end());
  CliResult r = RunImglint(args, "", cwd);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// The finding of `rule` located in `path` (and `image_path` when given).
json Find(const json& doc, const std::string& rule, const std::string& path,
          const std::string& image_path = "") {
  for (const json& f : doc["findings"]) {
    if (f["rule"] != rule || f["location"]["path"] != path) continue;
    if (!image_path.empty() && f["location"]["image_path"] != image_path) continue;
    return f;
  }
  return json();
}

bool HasRelated(const json& finding, const std::string& path, int line) {
  for (const json& r : finding["related"]) {
    if (r["path"] == path && r["line"] == line) return true;
  }
  return false;
}

TEST(BuildCorrelation, ImageFindingsPointAtTheDockerfileLine) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), kDockerfile);
  WriteOciTar(BuiltImage(), dir.File("app.tar"));
  json doc = Lint({"--dockerfile", "Dockerfile", "app.tar"}, dir.path());

  json setuid = Find(doc, "IL201", "app.tar", "/usr/bin/tool");
  ASSERT_FALSE(setuid.is_null()) << doc.dump(1);
  EXPECT_TRUE(HasRelated(setuid, "Dockerfile", 3)) << setuid.dump(1);
  // The exact chmod word.
  EXPECT_EQ(setuid["related"][0]["column"], 11);

  json setgid = Find(doc, "IL202", "app.tar", "/agent");
  ASSERT_FALSE(setgid.is_null()) << doc.dump(1);
  EXPECT_TRUE(HasRelated(setgid, "Dockerfile", 4)) << setgid.dump(1);

  json port = Find(doc, "IL301", "app.tar");
  ASSERT_FALSE(port.is_null()) << doc.dump(1);
  EXPECT_TRUE(HasRelated(port, "Dockerfile", 6)) << port.dump(1);

  // The Dockerfile's own findings are still there, at their lines.
  json own = Find(doc, "IL201", "Dockerfile");
  ASSERT_FALSE(own.is_null());
  EXPECT_EQ(own["location"]["line"], 3);
  // USER app exists in the image: no IL101/IL102 on either side.
  EXPECT_TRUE(Find(doc, "IL101", "Dockerfile").is_null()) << doc.dump(1);
  EXPECT_TRUE(Find(doc, "IL102", "Dockerfile").is_null()) << doc.dump(1);
}

TEST(BuildCorrelation, ClassicBuilderHistory) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), kDockerfile);
  WriteDockerSaveTar(BuiltImage("app", /*classic=*/true), dir.File("app.tar"));
  json doc = Lint({"Dockerfile", "app.tar"}, dir.path());  // both as targets
  json setuid = Find(doc, "IL201", "app.tar", "/usr/bin/tool");
  ASSERT_FALSE(setuid.is_null()) << doc.dump(1);
  EXPECT_TRUE(HasRelated(setuid, "Dockerfile", 3)) << setuid.dump(1);
  EXPECT_TRUE(HasRelated(Find(doc, "IL202", "app.tar", "/agent"), "Dockerfile", 4));
}

TEST(BuildCorrelation, DockerfileUserCheckedAgainstImagePasswd) {
  TempDir dir;
  // "toor" has uid 0 in the image's /etc/passwd.
  std::string toor = kDockerfile;
  toor.replace(toor.find("USER app"), 8, "USER toor");
  WriteFileBytes(dir.File("Dockerfile"), toor);
  WriteOciTar(BuiltImage("toor"), dir.File("app.tar"));
  json doc = Lint({"--dockerfile", "Dockerfile", "app.tar"}, dir.path());
  json root = Find(doc, "IL101", "Dockerfile");
  ASSERT_FALSE(root.is_null()) << doc.dump(1);
  EXPECT_EQ(root["location"]["line"], 5);
  EXPECT_EQ(root["location"]["column"], 6);
  EXPECT_THAT(root["message"].get<std::string>(), HasSubstr("/etc/passwd of app.tar"));
  // The image side's IL101 points at the same USER line.
  EXPECT_TRUE(HasRelated(Find(doc, "IL101", "app.tar"), "Dockerfile", 5)) << doc.dump(1);
  // Without the image the name alone says nothing.
  json alone = Lint({"Dockerfile"}, dir.path());
  EXPECT_TRUE(Find(alone, "IL101", "Dockerfile").is_null()) << alone.dump(1);

  std::string ghost = kDockerfile;
  ghost.replace(ghost.find("USER app"), 8, "USER ghost:app");
  WriteFileBytes(dir.File("Dockerfile"), ghost);
  WriteOciTar(BuiltImage("ghost:app"), dir.File("app.tar"));
  doc = Lint({"--dockerfile", "Dockerfile", "app.tar"}, dir.path());
  json missing = Find(doc, "IL102", "Dockerfile");
  ASSERT_FALSE(missing.is_null()) << doc.dump(1);
  EXPECT_EQ(missing["location"]["line"], 5);
  EXPECT_THAT(missing["message"].get<std::string>(), HasSubstr("\"ghost\""));
  EXPECT_TRUE(HasRelated(Find(doc, "IL102", "app.tar"), "Dockerfile", 5)) << doc.dump(1);
}

TEST(BuildCorrelation, SarifPromotesTheDockerfileLine) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), kDockerfile);
  WriteOciTar(BuiltImage(), dir.File("app.tar"));
  CliResult r = RunImglint(
      {"--format", "sarif", "--fail-on", "never", "--dockerfile", "Dockerfile", "app.tar"}, "",
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json sarif = json::parse(r.out);
  bool seen = false;
  for (const json& result : sarif["runs"][0]["results"]) {
    if (result["ruleId"] != "IL201") continue;
    const json& physical = result["locations"][0]["physicalLocation"];
    if (physical["artifactLocation"]["uri"] != "Dockerfile") continue;
    if (!result.contains("relatedLocations")) continue;  // the Dockerfile's own finding
    EXPECT_EQ(physical["region"]["startLine"], 3);
    seen = true;
  }
  EXPECT_TRUE(seen) << r.out;
}

TEST(BuildCorrelation, SeveralImagesMatchTheirDockerfileByHistory) {
  TempDir dir;
  WriteFileBytes(dir.File("a.Dockerfile"), kDockerfile);
  // Another build: different steps, the setuid bit set by an install.
  WriteFileBytes(dir.File("b.Dockerfile"),
                 "FROM debian:12\n"
                 "RUN useradd -u 1000 app\n"
                 "RUN echo unrelated\n"
                 "RUN install -m 4755 src /usr/bin/tool\n"
                 "COPY --chmod=2755 agent /agent\n"
                 "USER app\n"
                 "EXPOSE 80\n");
  WriteOciTar(BuiltImage(), dir.File("a.tar"));
  ImageSpec b = BuiltImage();
  b.config.history[3].created_by = "RUN /bin/sh -c install -m 4755 src /usr/bin/tool # buildkit";
  b.config.history.insert(
      b.config.history.begin() + 3,
      {.created_by = "RUN /bin/sh -c echo unrelated # buildkit", .empty_layer = true});
  WriteOciTar(b, dir.File("b.tar"));
  json doc = Lint({"b.tar", "a.Dockerfile", "a.tar", "b.Dockerfile"}, dir.path());
  json a = Find(doc, "IL201", "a.tar", "/usr/bin/tool");
  json bb = Find(doc, "IL201", "b.tar", "/usr/bin/tool");
  ASSERT_FALSE(a.is_null());
  ASSERT_FALSE(bb.is_null());
  EXPECT_TRUE(HasRelated(a, "a.Dockerfile", 3)) << a.dump(1);
  EXPECT_FALSE(HasRelated(a, "b.Dockerfile", 4)) << a.dump(1);
  EXPECT_TRUE(HasRelated(bb, "b.Dockerfile", 4)) << bb.dump(1);
  EXPECT_EQ(bb["related"].size(), 1u) << bb.dump(1);
}

TEST(BuildCorrelation, UnrelatedImageAndDockerfilesAreNotLinked) {
  TempDir dir;
  WriteFileBytes(dir.File("a.Dockerfile"), "FROM alpine:3.20\nRUN echo a\nUSER 10001\n");
  WriteFileBytes(dir.File("b.Dockerfile"), "FROM alpine:3.20\nRUN echo b\nUSER 10002\n");
  WriteOciTar(BuiltImage(), dir.File("app.tar"));
  json doc = Lint({"a.Dockerfile", "b.Dockerfile", "app.tar"}, dir.path());
  json setuid = Find(doc, "IL201", "app.tar", "/usr/bin/tool");
  ASSERT_FALSE(setuid.is_null());
  EXPECT_TRUE(setuid["related"].empty()) << setuid.dump(1);
}

}  // namespace
}  // namespace imglint::testing
