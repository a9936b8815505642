// SPDX-License-Identifier: Apache-2.0
// The SARIF structure GitHub code scanning relies on: every result has a
// located, repository-relative file with a region; rules come from RuleMeta.
#include "report/sarif_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/rule_doc.h"
#include "rules/registry.h"
#include "tests/report/sample_reports.h"

namespace imglint {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;

SarifOptions Options() {
  SarifOptions o;
  o.tool_version = "1.2.3";
  o.root = "/src/repo";
  o.working_dir = "/src/repo";
  return o;
}

json Render(const LintReport& report, const SarifOptions& options = Options()) {
  std::string text = RenderSarif(report, options);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  return json::parse(text);
}

TEST(SarifReport, DriverDescribesEveryRuleFromItsMetadata) {
  json doc = Render(testing::MixedReport());
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_THAT(doc["$schema"].get<std::string>(), HasSubstr("sarif-2.1.0"));
  ASSERT_EQ(doc["runs"].size(), 1u);
  const json& driver = doc["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "imglint");
  EXPECT_EQ(driver["version"], "1.2.3");
  EXPECT_EQ(driver["semanticVersion"], "1.2.3");
  EXPECT_THAT(driver["informationUri"].get<std::string>(), StartsWith("https://"));
  ASSERT_EQ(driver["rules"].size(), AllRules().size());
  for (size_t i = 0; i < AllRules().size(); ++i) {
    const RuleMeta& meta = AllRules()[i]->Meta();
    const json& rule = driver["rules"][i];
    SCOPED_TRACE(std::string(meta.id));
    EXPECT_EQ(rule["id"], std::string(meta.id));
    EXPECT_EQ(rule["name"], std::string(meta.name));
    EXPECT_THAT(rule["shortDescription"]["text"].get<std::string>(),
                StartsWith(std::string(meta.title)));
    EXPECT_LE(rule["fullDescription"]["text"].get<std::string>().size(), 1024u);
    EXPECT_FALSE(rule["fullDescription"]["text"].get<std::string>().empty());
    EXPECT_EQ(rule["help"]["markdown"], RenderRuleHelpMarkdown(meta));
    EXPECT_EQ(rule["help"]["text"], RenderRuleHelpText(meta));
    EXPECT_THAT(rule["help"]["markdown"].get<std::string>(),
                HasSubstr(std::string(meta.remediation)));
    EXPECT_EQ(rule["helpUri"], std::string(kRuleDocBaseUrl) + std::string(meta.id) + ".md");
    EXPECT_EQ(rule["defaultConfiguration"]["level"], std::string(SeverityName(meta.severity)));
    const json& tags = rule["properties"]["tags"];
    // "security" only with a security-severity (issue 13: IL001 had the tag
    // without one, and GitHub would file a configuration note as an alert).
    EXPECT_EQ(std::find(tags.begin(), tags.end(), "security") != tags.end(),
              !meta.security_severity.empty());
    EXPECT_NE(std::find(tags.begin(), tags.end(), "container"), tags.end());
    if (!meta.cwe.empty()) {
      EXPECT_NE(std::find(tags.begin(), tags.end(), std::string(meta.cwe)), tags.end());
    }
    const json& properties = rule["properties"];
    if (!meta.precision.empty()) {
      EXPECT_EQ(properties.value("precision", ""), std::string(meta.precision));
    }
    if (!meta.security_severity.empty()) {
      ASSERT_TRUE(properties.contains("security-severity"));
      ASSERT_TRUE(properties["security-severity"].is_string());
      EXPECT_EQ(properties["security-severity"], std::string(meta.security_severity));
    } else {
      EXPECT_FALSE(properties.contains("security-severity"));
    }
  }
}

TEST(SarifReport, EveryResultHasRuleIndexLevelMessageAndARegion) {
  LintReport report = testing::MixedReport();
  json doc = Render(report);
  const json& run = doc["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(run["results"].size(), report.findings.size());
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    const json& r = run["results"][i];
    SCOPED_TRACE(f.rule_id + " " + f.location.path);
    EXPECT_EQ(r["ruleId"], f.rule_id);
    EXPECT_EQ(rules[r["ruleIndex"].get<int>()]["id"], f.rule_id);
    EXPECT_EQ(r["level"], std::string(SeverityName(f.severity)));
    EXPECT_FALSE(r["message"]["text"].get<std::string>().empty());
    ASSERT_GE(r["locations"].size(), 1u);
    const json& physical = r["locations"][0]["physicalLocation"];
    EXPECT_FALSE(physical["artifactLocation"]["uri"].get<std::string>().empty());
    EXPECT_GE(physical["region"]["startLine"].get<int>(), 1);
    EXPECT_EQ(r["partialFingerprints"]["imglint/v1"], FingerprintOf(f));
    EXPECT_FALSE(r["partialFingerprints"]["primaryLocationLineHash"].get<std::string>().empty());
  }
}

TEST(SarifReport, FileFindingsKeepLineAndColumn) {
  json doc = Render(testing::DockerfileReport());
  const json& r = doc["runs"][0]["results"][0];  // chmod u+s at 3:5-10
  const json& physical = r["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "Dockerfile");
  EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(physical["region"]["startLine"], 3);
  EXPECT_EQ(physical["region"]["startColumn"], 5);
  EXPECT_EQ(physical["region"]["endColumn"], 10);
  EXPECT_FALSE(r["locations"][0].contains("logicalLocations"));
}

TEST(SarifReport, ImageFindingsPointAtTheTarballWithTheInImagePath) {
  json doc = Render(testing::ImageReport());
  const json& r = doc["runs"][0]["results"][1];  // /usr/bin/passwd
  const json& location = r["locations"][0];
  EXPECT_EQ(location["physicalLocation"]["artifactLocation"]["uri"], "app.tar");
  EXPECT_EQ(location["physicalLocation"]["region"]["startLine"], 1);
  EXPECT_EQ(location["logicalLocations"][0]["fullyQualifiedName"], "/usr/bin/passwd");
  EXPECT_EQ(location["logicalLocations"][0]["name"], "passwd");
  EXPECT_EQ(r["properties"]["imagePath"], "/usr/bin/passwd");
  EXPECT_EQ(r["properties"]["layerDigest"], testing::kLayerB);
  EXPECT_EQ(r["properties"]["platform"], "linux/amd64");
  std::string message = r["message"]["text"];
  EXPECT_THAT(message, HasSubstr("/usr/bin/passwd"));
  EXPECT_THAT(message, HasSubstr(testing::kLayerB));
  // A space in a file name is percent-encoded.
  EXPECT_EQ(
      doc["runs"][0]["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "images/base%20image.tar");
}

TEST(SarifReport, ImageFindingTracedToADockerfileLineIsPlacedThere) {
  LintReport report = testing::ImageReport();
  report.findings[1].related.push_back(testing::FileAt("Dockerfile", 3, 5));
  json r = Render(report)["runs"][0]["results"][1];
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "Dockerfile");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
  EXPECT_EQ(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "/usr/bin/passwd");
  ASSERT_EQ(r["relatedLocations"].size(), 1u);
  EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], "app.tar");
}

TEST(SarifReport, RelatedLocationsAreNumberedAndLocated) {
  json doc = Render(testing::ManifestReport());
  const json& r = doc["runs"][0]["results"][0];  // IL303 with the EXPOSE line
  ASSERT_EQ(r["relatedLocations"].size(), 1u);
  const json& related = r["relatedLocations"][0];
  EXPECT_EQ(related["id"], 1);
  EXPECT_EQ(related["physicalLocation"]["artifactLocation"]["uri"], "Dockerfile");
  EXPECT_EQ(related["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_FALSE(related["message"]["text"].get<std::string>().empty());
}

TEST(SarifReport, UrisAreRelativeToTheRootOrAbsoluteFileUris) {
  LintReport report;
  report.findings = {
      testing::MakeFinding("IL301", Severity::kWarning, "m", "",
                           testing::FileAt("sub/Dockerfile", 1, 1)),
      testing::MakeFinding("IL301", Severity::kWarning, "m", "",
                           testing::FileAt("../other/Dockerfile", 1, 1)),
      testing::MakeFinding("IL301", Severity::kWarning, "m", "",
                           testing::FileAt("/etc/app/Dockerfile", 1, 1)),
      testing::MakeFinding("IL301", Severity::kWarning, "m", "",
                           testing::FileAt("./a/../c#d?.yaml", 1, 1)),
  };
  SarifOptions options = Options();
  options.root = "/src";  // the repository, one level above the working directory
  json run = Render(report, options)["runs"][0];
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///src/");
  auto artifact = [&](int i) {
    return run["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"];
  };
  EXPECT_EQ(artifact(0)["uri"], "repo/sub/Dockerfile");
  EXPECT_EQ(artifact(0)["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(artifact(1)["uri"], "other/Dockerfile");
  EXPECT_EQ(artifact(2)["uri"], "file:///etc/app/Dockerfile");
  EXPECT_FALSE(artifact(2).contains("uriBaseId"));
  EXPECT_EQ(artifact(3)["uri"], "repo/c%23d%3F.yaml");
}

TEST(SarifReport, CategoryBecomesAutomationDetailsId) {
  SarifOptions options = Options();
  EXPECT_FALSE(Render(testing::ImageReport(), options)["runs"][0].contains("automationDetails"));
  options.category = "images";
  EXPECT_EQ(Render(testing::ImageReport(), options)["runs"][0]["automationDetails"]["id"],
            "images/");
  options.category = "ci/images/";
  EXPECT_EQ(Render(testing::ImageReport(), options)["runs"][0]["automationDetails"]["id"],
            "ci/images/");
}

TEST(SarifReport, UnreadableTargetsAreToolExecutionNotifications) {
  json run = Render(testing::MixedReport())["runs"][0];
  const json& invocation = run["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
  const json& n = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(n["level"], "error");
  EXPECT_THAT(n["message"]["text"].get<std::string>(), HasSubstr("broken.tar"));
  EXPECT_THAT(n["message"]["text"].get<std::string>(), HasSubstr("truncated gzip stream"));
  EXPECT_EQ(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "broken.tar");

  json clean = Render(testing::ImageReport())["runs"][0]["invocations"][0];
  EXPECT_EQ(clean["executionSuccessful"], true);
  EXPECT_FALSE(clean.contains("toolExecutionNotifications"));
}

TEST(SarifReport, EmptyReportIsAValidRunWithNoResults) {
  json run = Render(LintReport{})["runs"][0];
  EXPECT_TRUE(run["results"].is_array());
  EXPECT_TRUE(run["results"].empty());
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), AllRules().size());
}

TEST(SarifReport, InvalidUtf8FromAnImageIsReplaced) {
  LintReport report;
  report.findings = {
      testing::MakeFinding("IL201", Severity::kWarning, "/usr/bin/\xff\xfe is setuid", "",
                           testing::InImage("app.tar", "/usr/bin/\xff\xfe", testing::kLayerA))};
  std::string text = RenderSarif(report, Options());
  json doc = json::parse(text);  // throws on invalid UTF-8
  EXPECT_THAT(doc["runs"][0]["results"][0]["message"]["text"].get<std::string>(),
              HasSubstr("\xEF\xBF\xBD"));
}

TEST(SarifReport, RepeatedFingerprintsGetDistinctLineHashes) {
  LintReport report;
  Finding f = testing::MakeFinding("IL301", Severity::kWarning, "m", "",
                                   testing::FileAt("Dockerfile", 1, 1));
  f.fingerprint = "abc";
  report.findings = {f, f};
  json results = Render(report)["runs"][0]["results"];
  EXPECT_EQ(results[0]["partialFingerprints"]["primaryLocationLineHash"], "abc:1");
  EXPECT_EQ(results[1]["partialFingerprints"]["primaryLocationLineHash"], "abc:2");
}

TEST(SarifReport, UnknownRuleStillGetsADescriptor) {
  LintReport report;
  report.findings = {
      testing::MakeFinding("IL999", Severity::kNote, "m", "", testing::FileAt("Dockerfile", 1, 1))};
  json run = Render(report)["runs"][0];
  int index = run["results"][0]["ruleIndex"];
  EXPECT_EQ(run["tool"]["driver"]["rules"][index]["id"], "IL999");
}

}  // namespace
}  // namespace imglint
