// SPDX-License-Identifier: Apache-2.0
// Inline pragmas in Dockerfiles and YAML, and baselines that survive line
// shifts, through the real CLI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "IL301@3" for each finding, in report order.
std::vector<std::string> RuleLines(const CliResult& r) {
  std::vector<std::string> out;
  json doc = json::parse(r.out);
  for (const json& f : doc["findings"]) {
    out.push_back(
        f["rule"].get<std::string>() + "@" +
        (f["location"]["line"].is_null() ? "-" : std::to_string(f["location"]["line"].get<int>())));
  }
  return out;
}

CliResult Lint(const TempDir& dir, const std::string& name, const std::string& text,
               std::vector<std::string> extra = {}) {
  WriteFileBytes(dir.File(name), text);
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(dir.File(name));
  return RunImglint(args);
}

constexpr char kBase[] = "FROM alpine:3.20\nUSER 10001\n";

TEST(Pragmas, LineBeforeSuppressesOnlyThatInstruction) {
  TempDir dir;
  CliResult r = Lint(dir, "Dockerfile",
                     std::string(kBase) +
                         "# imglint ignore=IL301 # the ingress maps 443 here\n"
                         "EXPOSE 443\n"
                         "EXPOSE 80\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(RuleLines(r), ElementsAre("IL301@5"));
}

TEST(Pragmas, NamesWorkAndCommentBlocksAreSkipped) {
  TempDir dir;
  CliResult r = Lint(dir, "Dockerfile",
                     std::string(kBase) +
                         "# imglint ignore=privileged-port\n"
                         "# another comment in between\n"
                         "EXPOSE 443\n");
  EXPECT_THAT(RuleLines(r), IsEmpty());
}

TEST(Pragmas, GlobalSuppressesTheWholeFile) {
  TempDir dir;
  CliResult r =
      Lint(dir, "Dockerfile",
           "# imglint global ignore=IL301\n" + std::string(kBase) + "EXPOSE 443\nEXPOSE 80\n");
  EXPECT_THAT(RuleLines(r), IsEmpty());
}

TEST(Pragmas, UnknownRuleIsANote) {
  TempDir dir;
  CliResult r =
      Lint(dir, "Dockerfile", std::string(kBase) + "# imglint ignore=IL31,IL301\nEXPOSE 443\n");
  EXPECT_THAT(RuleLines(r), ElementsAre("IL001@3"));
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["findings"][0]["severity"], "note");
  EXPECT_EQ(doc["findings"][0]["location"]["column"], 18);
}

TEST(Pragmas, YamlNodeAbove) {
  TempDir dir;
  CliResult r = Lint(dir, "pod.yaml",
                     "apiVersion: v1\n"
                     "kind: Pod\n"
                     "metadata: {name: web}\n"
                     "spec:\n"
                     "  securityContext:\n"
                     "    runAsUser: 101\n"
                     "    sysctls:\n"
                     "    - name: net.ipv4.ip_unprivileged_port_start\n"
                     // Above both ports, so IL301 fires on each (a sysctl
                     // that allows them silences IL301 in manifests).
                     "      value: \"1024\"\n"
                     "  containers:\n"
                     "  - name: web\n"
                     "    image: web:1\n"
                     "    ports:\n"
                     "    # imglint ignore=IL301\n"
                     "    - containerPort: 80\n"
                     "    - containerPort: 443\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = RuleLines(r);
  EXPECT_THAT(lines, ::testing::Contains("IL301@16"));
  EXPECT_THAT(lines, ::testing::Not(::testing::Contains("IL301@15")));
}

TEST(Baseline, SurvivesLinesAddedAbove) {
  TempDir dir;
  std::string baseline = dir.File("baseline.json");
  Lint(dir, "Dockerfile", std::string(kBase) + "EXPOSE 80\n", {"--write-baseline", baseline});
  CliResult shifted =
      Lint(dir, "Dockerfile",
           "# a comment\n\n" + std::string(kBase) + "LABEL a=b\nEXPOSE 80\nEXPOSE 443\n",
           {"--baseline", baseline});
  // The old EXPOSE 80 is not new; EXPOSE 443 is.
  EXPECT_THAT(RuleLines(shifted), ElementsAre("IL301@7"));
}

}  // namespace
}  // namespace imglint::testing
