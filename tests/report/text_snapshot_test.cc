// SPDX-License-Identifier: Apache-2.0
// Snapshot tests of the text output: what a person sees, byte for byte, for
// every rule. Run with IMGLINT_UPDATE_SNAPSHOTS=1 to rewrite the files under
// tests/report/snapshots/ after an intended change, then review the diff.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "report/text_report.h"
#include "rules/registry.h"
#include "tests/report/sample_reports.h"
#include "tests/support/cli_runner.h"

namespace imglint {
namespace {

std::string SnapshotPath(const std::string& name) {
  return testing::SourceDir() + "/tests/report/snapshots/" + name + ".txt";
}

/// Compares `actual` with the stored snapshot, or rewrites it in update mode.
void ExpectSnapshot(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("IMGLINT_UPDATE_SNAPSHOTS");
  std::string path = SnapshotPath(name);
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing; run with IMGLINT_UPDATE_SNAPSHOTS=1 to create it";
  std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(actual, expected) << "snapshot " << path
                              << " differs; if intended, rerun with IMGLINT_UPDATE_SNAPSHOTS=1";
}

LintReport WithSources(LintReport report) {
  report.sources = testing::SampleSources();
  return report;
}

TEST(TextSnapshot, EveryRule) {
  std::string text = RenderText(WithSources(testing::MixedReport()), TextOptions{});
  for (const auto& rule : AllRules()) {
    EXPECT_NE(text.find("[" + std::string(rule->Meta().id) + "]"), std::string::npos)
        << rule->Meta().id << " is not in the snapshot";
  }
  ExpectSnapshot("every_rule", text);
}

TEST(TextSnapshot, EveryRuleInColour) {
  ExpectSnapshot("every_rule_color",
                 RenderText(WithSources(testing::MixedReport()), TextOptions{.color = true}));
}

TEST(TextSnapshot, WithoutSourcesThereAreNoExcerpts) {
  ExpectSnapshot("dockerfile_no_source", RenderText(testing::DockerfileReport(), TextOptions{}));
}

TEST(TextSnapshot, Images) {
  ExpectSnapshot("images", RenderText(WithSources(testing::ImageReport()), TextOptions{}));
}

TEST(TextSnapshot, Clean) {
  LintReport report;
  report.targets = {testing::Target("Dockerfile", TargetKind::kDockerfile)};
  ExpectSnapshot("clean", RenderText(WithSources(report), TextOptions{}));
}

}  // namespace
}  // namespace imglint
