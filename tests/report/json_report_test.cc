// SPDX-License-Identifier: Apache-2.0
// The JSON renderer writes its document by hand in nlohmann's dump(2) layout
// (building the tree cost more than parsing thousands of Dockerfiles), so
// these tests hold it to that layout and to JSON's escaping rules.
#include "report/json_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/report/sample_reports.h"

namespace imglint::testing {
namespace {

// Every control character, the two JSON must escape, and UTF-8 of each length.
std::string Awkward() {
  std::string s = "quote \" backslash \\ em dash \u2014 e\u0301 \U0001F40B controls:";
  for (int c = 1; c < 0x20; ++c) s.push_back(static_cast<char>(c));
  s += " del \x7f end";
  return s;
}

TEST(JsonReport, IsByteForByteNlohmannsDumpOfItself) {
  LintReport report = MixedReport();
  report.findings[0].message = Awkward();
  report.findings[1].recommendation = Awkward();
  report.targets[5].error = Awkward();
  const std::string out = RenderJson(report, "1.2.3");
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(out, parsed.dump(2) + "\n");
  EXPECT_EQ(parsed["findings"][0]["message"], Awkward());
  EXPECT_NE(out.find("\\u001f"), std::string::npos) << "control characters are \\u-escaped";
  EXPECT_NE(out.find("\\t"), std::string::npos) << "tab has its short form";
}

TEST(JsonReport, InvalidUtf8IsReplacedAndTheDocumentStaysValid) {
  LintReport report = MixedReport();
  report.findings[0].message = "USER \xff\xfe is \xc3";
  const std::string out = RenderJson(report, "1.2.3");
  const nlohmann::json parsed = nlohmann::json::parse(out);  // throws on invalid UTF-8
  EXPECT_EQ(parsed["findings"][0]["message"], "USER \uFFFD\uFFFD is \uFFFD");
}

}  // namespace
}  // namespace imglint::testing
