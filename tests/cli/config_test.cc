// SPDX-License-Identifier: Apache-2.0
// .imglint.yaml through the real CLI: discovery upwards, precedence, every
// validation error, allow-lists (globs and RE2) and `imglint config`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// An image that runs as root, exposes 80 and ships two setuid files and a ping with caps.
std::string WriteImage(const TempDir& dir) {
  ImageSpec spec;
  spec.config.user = "";
  spec.config.exposed_ports = {"80/tcp"};
  spec.layers.push_back(
      {.entries = {Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/passwd", 04755),
                   File("/usr/bin/mount", 04755), File("/usr/bin/umount", 04755),
                   File("/usr/bin/ping", 0755).WithCaps(CapV2({"cap_net_raw"}, true))}});
  std::string path = dir.File("image.tar");
  WriteOciTar(spec, path);
  return path;
}

std::vector<std::string> PathsOf(const std::string& out, const std::string& rule) {
  std::vector<std::string> paths;
  json doc = json::parse(out);  // named: a range-for over a temporary's member dangles
  for (const json& f : doc["findings"]) {
    if (f["rule"] == rule) paths.push_back(f["location"]["image_path"].get<std::string>());
  }
  return paths;
}

TEST(Config, FoundInAParentDirectoryAndAppliesAllowLists) {
  TempDir dir;
  std::string image = WriteImage(dir);
  std::filesystem::create_directories(dir.File("a/b"));
  WriteFileBytes(dir.File(".imglint.yaml"),
                 "allow:\n"
                 "  IL201: [\"/usr/bin/passwd\", \"/usr/bin/*mount\"]\n"
                 "  file-capability: [\"re:^/usr/bin/ping$\"]\n");
  CliResult r = RunImglint({"--format", "json", image}, "", dir.File("a/b"));
  ASSERT_EQ(r.exit_code, 1) << r.err;  // IL101 is still an error
  EXPECT_TRUE(PathsOf(r.out, "IL201").empty());
  EXPECT_TRUE(PathsOf(r.out, "IL203").empty());
}

TEST(Config, GlobDoesNotCrossDirectories) {
  TempDir dir;
  std::string image = WriteImage(dir);
  WriteFileBytes(dir.File("c.yaml"), "allow:\n  IL201: [\"/usr/*\"]\n");
  CliResult r = RunImglint({"--format", "json", "--config", dir.File("c.yaml"), image});
  EXPECT_THAT(PathsOf(r.out, "IL201"),
              UnorderedElementsAre("/usr/bin/passwd", "/usr/bin/mount", "/usr/bin/umount"))
      << r.err;
  WriteFileBytes(dir.File("c.yaml"), "allow:\n  IL201: [\"/usr/**\"]\n");
  r = RunImglint({"--format", "json", "--config", dir.File("c.yaml"), image});
  EXPECT_TRUE(PathsOf(r.out, "IL201").empty());
}

TEST(Config, FlagsWinOverTheFile) {
  TempDir dir;
  std::string image = WriteImage(dir);
  WriteFileBytes(dir.File(".imglint.yaml"), "fail-on: never\nignore: [root-user]\n");
  CliResult r = RunImglint({"--format", "json", image}, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(PathsOf(r.out, "IL101").empty());
  r = RunImglint({"--format", "json", "--fail-on", "warning", image}, "", dir.path());
  EXPECT_EQ(r.exit_code, 1);
}

TEST(Config, SeverityOverride) {
  TempDir dir;
  std::string image = WriteImage(dir);
  WriteFileBytes(dir.File(".imglint.yaml"), "severity:\n  IL201: error\n  IL101: note\n");
  CliResult r = RunImglint({"--format", "json", image}, "", dir.path());
  json doc = json::parse(r.out);
  int il201 = 0, il101 = 0;  // each rule must fire, or the loop proves nothing about it
  for (const json& f : doc["findings"]) {
    if (f["rule"] == "IL201") {
      EXPECT_EQ(f["severity"], "error");
      ++il201;
    }
    if (f["rule"] == "IL101") {
      EXPECT_EQ(f["severity"], "note");
      ++il101;
    }
  }
  EXPECT_GT(il201, 0) << r.out;
  EXPECT_GT(il101, 0) << r.out;
}

// IL001 passes through the engine like every rule: --ignore and a severity
// override apply to it (issue 11).
TEST(Config, IgnoreAndSeverityApplyToIL001) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine\n# imglint ignore=IL31\nUSER 10001\n");
  auto rules = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("Dockerfile");
    CliResult r = RunImglint(args, "", dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(r.out);
    std::vector<std::string> out;
    for (const json& f : doc["findings"]) {
      out.push_back(f["rule"].get<std::string>() + ":" + f["severity"].get<std::string>());
    }
    return out;
  };
  EXPECT_EQ(rules({}), std::vector<std::string>{"IL001:note"});
  EXPECT_EQ(rules({"--ignore", "IL001"}), std::vector<std::string>{});
  EXPECT_EQ(rules({"--ignore", "invalid-suppression"}), std::vector<std::string>{});
  WriteFileBytes(dir.File(".imglint.yaml"), "severity:\n  IL001: error\n");
  EXPECT_EQ(rules({}), std::vector<std::string>{"IL001:error"});
  EXPECT_EQ(RunImglint({"Dockerfile"}, "", dir.path()).exit_code, 1);
}

struct BadConfig {
  std::string text;
  std::string message;
};

class ConfigValidation : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ConfigValidation, ExitsTwoWithAClearMessage) {
  TempDir dir;
  std::string image = WriteImage(dir);
  WriteFileBytes(dir.File(".imglint.yaml"), GetParam().text);
  CliResult r = RunImglint({image}, "", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(GetParam().message));
  EXPECT_THAT(r.err, HasSubstr(".imglint.yaml:"));
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ConfigValidation,
    ::testing::Values(
        BadConfig{"fail_on: warning\n", "unknown key \"fail_on\" (did you mean \"fail-on\"?)"},
        BadConfig{"ignor: [IL101]\n", "unknown key \"ignor\" (did you mean \"ignore\"?)"},
        BadConfig{"allow:\n  IL201: [\"/usr/[bin\"]\n", "glob \"/usr/[bin\": unclosed '['"},
        BadConfig{"allow:\n  IL203: [\"re:^/usr/(bin$\"]\n",
                  "pattern \"re:^/usr/(bin$\": missing ): ^/usr/(bin$"},
        BadConfig{"ignore: [IL999]\n", "unknown rule \"IL999\""},
        BadConfig{"ignore: [setuid-files]\n",
                  "unknown rule \"setuid-files\" (did you mean \"setuid-file\"?)"},
        BadConfig{"severity:\n  IL201: fatal\n",
                  "severity \"fatal\" is not error, warning or note"},
        BadConfig{"fail-on: sometimes\n",
                  "fail-on \"sometimes\" is not error, warning, note or never"},
        BadConfig{"runtime: docker-desktop\n", "unknown runtime \"docker-desktop\""},
        BadConfig{"resolve-base: layers\n",
                  "unknown base resolution \"layers\" (expected config or full)"},
        BadConfig{"ignore: [IL101\n", "invalid YAML"},
        BadConfig{"- just\n- a list\n", "must be a mapping"}));

TEST(Config, ConfigCommandShowsOrigins) {
  TempDir dir;
  WriteFileBytes(dir.File(".imglint.yaml"),
                 "fail-on: warning\nallow:\n  IL201: [\"/usr/bin/passwd\"]\n");
  CliResult after = RunImglint({"config", "--runtime", "podman"}, "", dir.path());
  CliResult r = RunImglint({"--runtime", "podman", "config"}, "", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(after.out, r.out);
  EXPECT_THAT(r.out, HasSubstr("fail-on: warning  # "));
  EXPECT_THAT(r.out, HasSubstr(".imglint.yaml:1:10"));
  EXPECT_THAT(r.out, HasSubstr("runtime: podman  # command line"));
  EXPECT_THAT(r.out, HasSubstr("- \"/usr/bin/passwd\""));
}

TEST(Baseline, OnlyNewFindingsAreReportedAndFail) {
  TempDir dir;
  std::string image = WriteImage(dir);
  std::string baseline = dir.File("baseline.json");
  CliResult first = RunImglint({"--format", "json", "--write-baseline", baseline, image});
  ASSERT_EQ(first.exit_code, 1);
  std::string written = ReadFileBytes(baseline);
  // Stable and sorted: writing it again gives the same bytes.
  RunImglint({"--format", "json", "--write-baseline", baseline, image});
  EXPECT_EQ(ReadFileBytes(baseline), written);
  CliResult again = RunImglint({"--format", "json", "--baseline", baseline, image});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(json::parse(again.out)["findings"].empty());

  // A new setuid file is new.
  ImageSpec spec;
  spec.config.exposed_ports = {"80/tcp"};
  spec.layers.push_back(
      {.entries = {Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/passwd", 04755),
                   File("/usr/bin/mount", 04755), File("/usr/bin/umount", 04755),
                   File("/usr/bin/ping", 0755).WithCaps(CapV2({"cap_net_raw"}, true)),
                   File("/usr/bin/newone", 04755)}});
  WriteOciTar(spec, image);
  CliResult changed =
      RunImglint({"--format", "json", "--fail-on", "warning", "--baseline", baseline, image});
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_THAT(PathsOf(changed.out, "IL201"), UnorderedElementsAre("/usr/bin/newone"));
}

TEST(Baseline, BrokenBaselineIsAUsageError) {
  TempDir dir;
  std::string image = WriteImage(dir);
  WriteFileBytes(dir.File("b.json"), "{\"version\": 7}");
  CliResult r = RunImglint({"--baseline", dir.File("b.json"), image});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unsupported baseline version"));
}

}  // namespace
}  // namespace imglint::testing
