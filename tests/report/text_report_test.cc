// SPDX-License-Identifier: Apache-2.0
// Text output behaviour that snapshots do not state outright: order,
// laziness of source reading, colour, and hostile bytes.
#include "report/text_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "tests/report/sample_reports.h"

namespace imglint {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(TextReport, ClangStyleHeaderExcerptAndHelp) {
  LintReport report;
  report.findings = {testing::MakeFinding("IL101", Severity::kError, "the final stage runs as root",
                                          "add USER 10001\nsecond line",
                                          testing::FileAt("Dockerfile", 2, 1))};
  report.sources["Dockerfile"] = "FROM x\nUSER root\n";
  EXPECT_EQ(RenderText(report, TextOptions{}),
            "Dockerfile:2:1: error[IL101]: the final stage runs as root\n"
            " 2 | USER root\n"
            "   | ^^^^\n"
            "   = help: add USER 10001\n"
            "           second line\n"
            "\n"
            "1 error, 0 warnings, 0 notes in 0 targets\n");
}

TEST(TextReport, OrderDoesNotDependOnInputOrder) {
  LintReport report = testing::MixedReport();
  TextOptions options;
  std::string expected = RenderText(report, options);
  std::mt19937 random(42);
  for (int i = 0; i < 5; ++i) {
    std::shuffle(report.findings.begin(), report.findings.end(), random);
    EXPECT_EQ(RenderText(report, options), expected);
  }
}

// Excerpts come from the report's sources only: the renderer never reads a
// file, even one that exists, and skips sources too large to be read by a
// person.
TEST(TextReport, ExcerptsOnlyFromTheReportsSources) {
  LintReport report;
  report.findings = {testing::MakeFinding("IL101", Severity::kError, "root", "",
                                          testing::FileAt(IMGLINT_SOURCE_DIR "/Dockerfile", 1, 1))};
  EXPECT_THAT(RenderText(report, TextOptions{}), Not(HasSubstr(" 1 | ")));
  report.sources[IMGLINT_SOURCE_DIR "/Dockerfile"] = "FROM scratch\n";
  EXPECT_THAT(RenderText(report, TextOptions{}), HasSubstr(" 1 | FROM scratch\n"));
  report.sources[IMGLINT_SOURCE_DIR "/Dockerfile"] =
      "FROM scratch\n" + std::string(kMaxExcerptSourceBytes, '#');
  EXPECT_THAT(RenderText(report, TextOptions{}), Not(HasSubstr(" 1 | ")));
}

TEST(TextReport, ImageFindingsAreGroupedByImageAndPlatform) {
  std::string text = RenderText(testing::ImageReport(), TextOptions{});
  EXPECT_THAT(text, HasSubstr("app.tar (image) [linux/amd64]\n  error[IL101]:"));
  EXPECT_THAT(text, HasSubstr("app.tar (image) [linux/arm64/v8]\n  warning[IL203]:"));
  EXPECT_THAT(text, HasSubstr("    --> /usr/bin/passwd  layer sha256:9baf2fa59a71\n"));
  EXPECT_THAT(text, HasSubstr("images/base image.tar (image)\n"));
}

TEST(TextReport, ColourOnlyWhenAsked) {
  LintReport report = testing::DockerfileReport();
  EXPECT_THAT(RenderText(report, TextOptions{}), Not(HasSubstr("\033[")));
  TextOptions color;
  color.color = true;
  EXPECT_THAT(RenderText(report, color), HasSubstr("\033[1;31merror[IL302]\033[0m"));
}

TEST(TextReport, HostileBytesCannotReachTheTerminal) {
  LintReport report;
  report.findings = {
      testing::MakeFinding("IL201", Severity::kWarning, "/bin/\x1b]0;pwned\x07 is setuid",
                           "chmod u-s '/bin/\x1b]0;pwned\x07'",
                           testing::InImage("app.tar", "/bin/\x1b]0;pwned\x07", testing::kLayerA))};
  std::string text = RenderText(report, TextOptions{});
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, Not(HasSubstr("\x07")));
  EXPECT_THAT(text, HasSubstr("\\x1B]0;pwned\\x07"));
}

TEST(TextReport, SummaryNamesUnreadableTargets) {
  std::string text = RenderText(testing::MixedReport(), TextOptions{});
  EXPECT_THAT(text, HasSubstr(" in 6 targets (1 unreadable: broken.tar)\n"));
  EXPECT_EQ(RenderText(LintReport{}, TextOptions{}),
            "0 errors, 0 warnings, 0 notes in 0 targets\n");
}

}  // namespace
}  // namespace imglint
