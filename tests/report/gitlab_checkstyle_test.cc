// SPDX-License-Identifier: Apache-2.0
// --format gitlab (Code Quality JSON) and --format checkstyle (XML): the
// fields those consumers require, escaping, and unreadable targets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "report/checkstyle_report.h"
#include "report/gitlab_report.h"
#include "tests/report/sample_reports.h"

namespace imglint {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

TEST(GitlabReport, EveryIssueHasTheRequiredFields) {
  LintReport report = testing::MixedReport();
  json issues = json::parse(RenderGitlab(report));
  ASSERT_TRUE(issues.is_array());
  ASSERT_EQ(issues.size(), report.findings.size() + 1);  // + the unreadable target
  std::set<std::string> fingerprints;
  std::set<std::string> allowed = {"info", "minor", "major", "critical", "blocker"};
  for (const json& issue : issues) {
    SCOPED_TRACE(issue.dump());
    EXPECT_FALSE(issue["description"].get<std::string>().empty());
    EXPECT_FALSE(issue["check_name"].get<std::string>().empty());
    EXPECT_TRUE(allowed.count(issue["severity"].get<std::string>()));
    EXPECT_TRUE(fingerprints.insert(issue["fingerprint"].get<std::string>()).second)
        << "fingerprints must be unique";
    EXPECT_FALSE(issue["location"]["path"].get<std::string>().empty());
    EXPECT_GE(issue["location"]["lines"]["begin"].get<int>(), 1);
  }
}

TEST(GitlabReport, MapsSeverityLinesAndImagePaths) {
  json issues = json::parse(RenderGitlab(testing::MixedReport()));
  EXPECT_EQ(issues[0]["check_name"], "imglint/read-error");
  EXPECT_EQ(issues[0]["severity"], "blocker");
  EXPECT_EQ(issues[0]["location"]["path"], "broken.tar");
  const json& chmod = issues[1];  // Dockerfile:3 IL201
  EXPECT_EQ(chmod["check_name"], "IL201");
  EXPECT_EQ(chmod["severity"], "major");
  EXPECT_EQ(chmod["location"]["path"], "Dockerfile");
  EXPECT_EQ(chmod["location"]["lines"]["begin"], 3);
  EXPECT_EQ(GitlabSeverity(Severity::kError), "critical");
  EXPECT_EQ(GitlabSeverity(Severity::kNote), "info");
  bool saw_image = false;
  for (const json& issue : issues) {
    if (issue["location"]["path"] == "app.tar" && issue["check_name"] == "IL201") {
      saw_image = true;
      EXPECT_EQ(issue["location"]["lines"]["begin"], 1);
      EXPECT_THAT(issue["description"].get<std::string>(), HasSubstr("/usr/bin/passwd"));
      EXPECT_THAT(issue["description"].get<std::string>(), HasSubstr(testing::kLayerB));
    }
  }
  EXPECT_TRUE(saw_image);
}

TEST(GitlabReport, PathsAreNormalisedAndTheEmptyReportIsAnEmptyArray) {
  LintReport report;
  report.findings = {testing::MakeFinding("IL301", Severity::kWarning, "m", "",
                                          testing::FileAt("./docker/../Dockerfile", 2, 1))};
  EXPECT_EQ(json::parse(RenderGitlab(report))[0]["location"]["path"], "Dockerfile");
  EXPECT_EQ(RenderGitlab(LintReport{}), "[]\n");
}

TEST(CheckstyleReport, GroupsByFileWithLineColumnSeverityAndSource) {
  std::string xml = RenderCheckstyle(testing::MixedReport());
  EXPECT_THAT(xml,
              ::testing::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle"));
  EXPECT_THAT(xml, ::testing::EndsWith("</checkstyle>\n"));
  EXPECT_THAT(xml, HasSubstr("<file name=\"Dockerfile\">"));
  EXPECT_THAT(xml, HasSubstr("line=\"3\" column=\"5\" severity=\"warning\""));
  EXPECT_THAT(xml, HasSubstr("source=\"imglint.IL201\""));
  EXPECT_THAT(xml, HasSubstr("<file name=\"broken.tar\">"));
  EXPECT_THAT(xml, HasSubstr("source=\"imglint.read-error\""));
  EXPECT_THAT(xml, HasSubstr("severity=\"info\""));  // IL001 is a note
  // One <file> per path.
  size_t first = xml.find("<file name=\"Dockerfile\">");
  EXPECT_EQ(xml.find("<file name=\"Dockerfile\">", first + 1), std::string::npos);
}

TEST(CheckstyleReport, EscapesMarkupControlBytesAndInvalidUtf8) {
  LintReport report;
  report.findings = {testing::MakeFinding(
      "IL201", Severity::kWarning, "<script>&\"'\x1b[31m\xff", "line one\nline two",
      testing::InImage("a&b.tar", "/bin/<x>", testing::kLayerA))};
  std::string xml = RenderCheckstyle(report);
  EXPECT_THAT(xml, HasSubstr("name=\"a&amp;b.tar\""));
  EXPECT_THAT(xml, HasSubstr("&lt;script&gt;&amp;&quot;&apos;"));
  EXPECT_THAT(xml, HasSubstr("&#10;help: line one&#10;line two"));
  EXPECT_THAT(xml, Not(HasSubstr("\x1b")));
  EXPECT_THAT(xml, Not(HasSubstr("\xff")));
  EXPECT_THAT(xml, HasSubstr("\xEF\xBF\xBD"));
  EXPECT_THAT(xml, HasSubstr("line=\"1\""));
}

}  // namespace
}  // namespace imglint
