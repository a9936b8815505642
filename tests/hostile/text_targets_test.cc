// SPDX-License-Identifier: Apache-2.0
// Hostile YAML manifests and Dockerfiles end to end: deep nesting, alias
// bombs, huge scalars, Helm templates, tabs; 20 MB lines, NUL bytes, 50,000
// instructions, unterminated heredocs, CRLF and BOM. Each is linted next to
// a good image and must leave a complete report and the good image's
// findings; unreadable ones are named with file:line:column and the reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/hostile/hostile_util.h"

namespace imglint::testing::hostile {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

struct Fixture {
  TempDir dir;
  std::string good = dir.File("good.tar");
  Fixture() { WriteGoodImage(good); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string path = dir.File(name);
    WriteFileBytes(path, text);
    return path;
  }
};

constexpr char kPodHead[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n";

// ------------------------------------------------------------------- YAML

TEST(HostileYaml, DeepNesting) {
  Fixture f;
  std::string flow =
      f.Write("flow.yaml", std::string(kPodHead) + "  x: " + std::string(100'000, '[') +
                               std::string(100'000, ']') + "\n");
  std::string block_text = kPodHead;
  for (int i = 0; i < 2000; ++i) block_text += std::string(2 * i + 2, ' ') + "- a:\n";
  std::string block = f.Write("block.yaml", block_text);
  Runs runs = RunBoth({flow, block, f.good});
  for (const std::string& bad : {flow, block}) {
    ExpectUnreadableNextToGood(runs, bad, f.good,
                               "YAML nesting deeper than 256 levels (raise the limit with "
                               "--max-yaml-depth)");
  }
  // The place: line 6 is where the flow nesting starts.
  EXPECT_THAT(runs.json_run.err, HasSubstr(flow + ":6:"));
}

TEST(HostileYaml, AliasBomb) {
  Fixture f;
  std::string containers = "[";
  for (int i = 0; i < 1000; ++i) {
    containers += i == 0 ? "&c {name: c, image: i, ports: [&p {containerPort: 80}" : ", *c";
    if (i == 0) {
      for (int k = 0; k < 999; ++k) containers += ", *p";
      containers += "]}";
    }
  }
  containers += "]";
  std::string text = "apiVersion: v1\nkind: List\nitems:\n";
  text +=
      "- &pod {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: " + containers +
      "}}\n";
  for (int i = 1; i < 1000; ++i) text += "- *pod\n";
  std::string bomb = f.Write("bomb.yaml", text);
  Runs runs = RunBoth({bomb, f.good});
  ExpectUnreadableNextToGood(runs, bomb, f.good, "YAML alias expansion exceeds ");
  EXPECT_THAT(runs.json_run.err, HasSubstr("(raise the limit with --max-yaml-"));
  TempDir cwd;
  MeasuredRun measured = RunMeasured({"--format", "json", bomb}, cwd.path());
  EXPECT_EQ(measured.result.exit_code, 2);
  EXPECT_GT(measured.max_rss_bytes, 0u);
  EXPECT_LT(measured.max_rss_bytes, kRssBound);
}

TEST(HostileYaml, HugeScalarIsRead) {
  Fixture f;
  std::string text = std::string(kPodHead) + "  containers:\n  - name: c\n    image: \"" +
                     std::string(10u << 20, 'x') + "\"\n    securityContext: {runAsUser: 0}\n";
  std::string big = f.Write("big.yaml", text);
  Runs runs = RunBoth({big, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  EXPECT_TRUE(runs.Target(big)["error"].is_null()) << runs.Target(big).dump();
  EXPECT_FALSE(runs.FindingsFor(big).empty()) << "runAsUser: 0 was not reported";
}

TEST(HostileYaml, HelmTemplateAndTabs) {
  Fixture f;
  std::string helm =
      f.Write("helm.yaml",
              std::string(kPodHead) +
                  "  containers:\n  - name: {{ .Release.Name }}\n    image: {{ .Values.image }}\n");
  std::string tabs = f.Write("tabs.yaml", std::string(kPodHead) + "  containers:\n\t- name: c\n");
  Runs runs = RunBoth({helm, tabs, f.good});
  ExpectUnreadableNextToGood(runs, helm, f.good, "not rendered: run helm template first");
  ExpectUnreadableNextToGood(runs, tabs, f.good, "");
  EXPECT_THAT(runs.json_run.err, HasSubstr(helm + ":7:"));
  EXPECT_THAT(runs.json_run.err, HasSubstr(tabs + ":7:"));
}

TEST(HostileYaml, InvalidUtf8AndNulBytes) {
  Fixture f;
  std::string text = std::string(kPodHead) +
                     "  containers:\n  - name: \"\xff\xfe\"\n    image: " + std::string("a\0b", 3) +
                     "\n    securityContext: {runAsUser: 0}\n";
  std::string odd = f.Write("odd.yaml", text);
  Runs runs = RunBoth({odd, f.good});
  // Either read (and the report stays valid UTF-8) or refused by the parser.
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1, 2)) << runs.json_run.err;
  if (runs.json_run.exit_code == 2) ExpectUnreadableNextToGood(runs, odd, f.good, "");
}

// -------------------------------------------------------------- Dockerfile

TEST(HostileDockerfile, TwentyMegabyteLine) {
  Fixture f;
  std::string df = f.Write(
      "Dockerfile", "FROM alpine:3.19\nRUN echo " + std::string(20u << 20, 'a') + "\nUSER root\n");
  Runs runs = RunBoth({df, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  EXPECT_TRUE(runs.Target(df)["error"].is_null()) << runs.Target(df).dump();
  bool root = false;
  for (const json& finding : runs.FindingsFor(df)) {
    root = root || (finding["rule"] == "IL101" && finding["location"]["line"] == 3);
  }
  EXPECT_TRUE(root) << runs.report["findings"].dump(2);
}

TEST(HostileDockerfile, NulBytesAndInvalidUtf8) {
  Fixture f;
  std::string df = f.Write("Dockerfile", std::string("FROM alpine\nRUN echo \0\0 \xff\xfe\n", 26) +
                                             "LABEL x=\"\xc0\xaf\"\nUSER root\n");
  Runs runs = RunBoth({df, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1, 2)) << runs.json_run.err;
  if (runs.json_run.exit_code == 2) {
    ExpectUnreadableNextToGood(runs, df, f.good, "");
  } else {
    EXPECT_TRUE(runs.Target(df)["error"].is_null());
  }
}

TEST(HostileDockerfile, FiftyThousandInstructions) {
  Fixture f;
  std::string text = "FROM alpine\n";
  for (int i = 0; i < 50'000; ++i) text += "RUN echo " + std::to_string(i) + "\n";
  text += "USER root\n";
  std::string df = f.Write("Dockerfile", text);
  Runs runs = RunBoth({df, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  bool root = false;
  for (const json& finding : runs.FindingsFor(df)) {
    root = root || (finding["rule"] == "IL101" && finding["location"]["line"] == 50'002);
  }
  EXPECT_TRUE(root);
}

TEST(HostileDockerfile, UnterminatedHeredoc) {
  Fixture f;
  std::string df = f.Write("Dockerfile", "FROM alpine\nRUN <<EOF\necho hi\nUSER root\n");
  Runs runs = RunBoth({df, f.good});
  // BuildKit accepts a heredoc that runs to the end of the file; either way
  // the run completes and the good image is reported.
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1, 2)) << runs.json_run.err;
  if (runs.json_run.exit_code == 2) ExpectUnreadableNextToGood(runs, df, f.good, "");
  EXPECT_TRUE(runs.Target(f.good)["error"].is_null());
}

TEST(HostileDockerfile, CrlfAndBom) {
  Fixture f;
  std::string df =
      f.Write("Dockerfile", "\xEF\xBB\xBF# comment\r\nFROM alpine\r\nEXPOSE 80\r\nUSER root\r\n");
  Runs runs = RunBoth({df, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  bool root = false;
  for (const json& finding : runs.FindingsFor(df)) {
    root = root || (finding["rule"] == "IL101" && finding["location"]["line"] == 4);
  }
  EXPECT_TRUE(root) << runs.report["findings"].dump(2);
}

}  // namespace
}  // namespace imglint::testing::hostile
