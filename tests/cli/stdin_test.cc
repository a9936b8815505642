// SPDX-License-Identifier: Apache-2.0
// `-` is recognised by content like a file (issue 13): `cat Dockerfile |
// imglint -`, `helm template … | imglint -` and `docker save … | imglint -`
// all lint; text is named <stdin> (or --stdin-name) in reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

struct StdinRun {
  CliResult result;
  json doc;
};

StdinRun LintStdin(const std::string& input, std::vector<std::string> args = {},
                   const std::string& cwd = "") {
  args.insert(args.begin(), {"--format", "json", "--fail-on", "never"});
  args.push_back("-");
  StdinRun run;
  run.result = RunImglint(args, input, cwd);
  run.doc = json::parse(run.result.out, nullptr, false);
  return run;
}

std::vector<std::string> Rules(const json& doc) {
  std::vector<std::string> out;
  for (const json& f : doc["findings"]) out.push_back(f["rule"]);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Stdin, DockerfileAsHadolintUsersPipeIt) {
  StdinRun run = LintStdin("# syntax=docker/dockerfile:1\nFROM alpine\nUSER 0\nEXPOSE 80\n");
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  EXPECT_EQ(run.doc["targets"][0]["path"], "<stdin>");
  EXPECT_EQ(run.doc["targets"][0]["kind"], "dockerfile");
  EXPECT_EQ(Rules(run.doc), (std::vector<std::string>{"IL101", "IL301", "IL304"}));
  EXPECT_EQ(run.doc["findings"][0]["location"]["path"], "<stdin>");
  EXPECT_EQ(run.doc["findings"][0]["location"]["line"], 3);
}

// What `helm template` prints: several documents behind `---` and comments.
TEST(Stdin, HelmTemplateOutputAsKubernetes) {
  StdinRun run = LintStdin(
      "---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n"
      "  name: web\nspec:\n  ports:\n  - port: 80\n---\n# Source: chart/templates/deploy.yaml\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
      "    spec:\n      securityContext:\n        runAsUser: 1000\n      containers:\n"
      "      - name: web\n        image: nginx\n        ports:\n        - containerPort: 80\n",
      {"--stdin-name", "chart/rendered.yaml"});
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  EXPECT_EQ(run.doc["targets"][0]["path"], "chart/rendered.yaml");
  EXPECT_EQ(run.doc["targets"][0]["kind"], "kubernetes");
  EXPECT_THAT(Rules(run.doc), ::testing::Contains("IL303"));
  for (const json& f : run.doc["findings"]) {
    EXPECT_EQ(f["location"]["path"], "chart/rendered.yaml");
  }
}

TEST(Stdin, ComposeFile) {
  StdinRun run = LintStdin("services:\n  web:\n    image: x\n    user: root\n");
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  EXPECT_EQ(run.doc["targets"][0]["kind"], "compose");
  EXPECT_EQ(Rules(run.doc), std::vector<std::string>{"IL101"});
}

// A tarball is still streamed to the image reader, the bytes read to
// recognise it included: the findings are those of the file.
TEST(Stdin, ImageTarballSameFindingsAsTheFile) {
  TempDir dir;
  ImageSpec spec;
  spec.config.exposed_ports = {"80/tcp"};
  spec.layers.push_back(
      {.entries = {Dir("/usr"), Dir("/usr/bin"),
                   File("/usr/bin/su", 04755, std::string(200000, 'x')).WithOwner(0, 0)}});
  WriteOciTar(spec, dir.File("image.tar"));
  CliResult by_path =
      RunImglint({"--format", "json", "--fail-on", "never", "image.tar"}, "", dir.path());
  ASSERT_EQ(by_path.exit_code, 0) << by_path.err;
  StdinRun by_stdin =
      LintStdin(ReadFileBytes(dir.File("image.tar")), {"--stdin-name", "image.tar"}, dir.path());
  ASSERT_EQ(by_stdin.result.exit_code, 0) << by_stdin.result.err;
  EXPECT_EQ(by_stdin.doc["targets"][0]["kind"], "image");
  StdinRun unnamed = LintStdin(ReadFileBytes(dir.File("image.tar")), {}, dir.path());
  EXPECT_EQ(unnamed.doc["targets"][0]["path"], "<stdin>");
  EXPECT_EQ(by_stdin.doc["findings"], json::parse(by_path.out)["findings"]);
  EXPECT_EQ(Rules(by_stdin.doc), (std::vector<std::string>{"IL101", "IL201", "IL301", "IL304"}));
}

TEST(Stdin, UnrecognisedOrEmptyIsAnErrorOtherTargetsStillReported) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine\nUSER 0\n");
  for (const std::string& input :
       {std::string(), std::string("just some words\n"), std::string("\x1f\x8b\x08\0\0\0", 6)}) {
    CliResult r = RunImglint({"--format", "json", "-", "Dockerfile"}, input, dir.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("<stdin>"));
    json doc = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(Rules(doc), std::vector<std::string>{"IL101"});
  }
  CliResult twice = RunImglint({"-", "-"}, "FROM alpine\n", dir.path());
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_THAT(twice.err, HasSubstr("standard input can be read only once"));
}

}  // namespace
}  // namespace imglint::testing
