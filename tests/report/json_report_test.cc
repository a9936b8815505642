// SPDX-License-Identifier: Apache-2.0
// The JSON renderer writes its document by hand in nlohmann's dump(2) layout
// (building the tree cost more than parsing thousands of Dockerfiles), so
// these tests hold it to that layout and to JSON's escaping rules.
#include "report/json_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

// Strings are scanned eight bytes at a time: every character that needs an
// escape (or starts a multi-byte one) at every offset of strings up to 40
// bytes long, so each lands at each place of a block and of the tail.
TEST(JsonReport, EscapesAtEveryOffset) {
  LintReport report = MixedReport();
  const Finding model = report.findings[0];
  report.findings.clear();
  std::vector<std::string> expected;
  for (const std::string special : {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9"}) {
    for (size_t length = 1; length <= 40; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text.replace(at, 1, special);
        report.findings.push_back(model);
        report.findings.back().message = text;
        expected.push_back(text);
      }
    }
  }
  const std::string out = RenderJson(report, "1.2.3");
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(out, parsed.dump(2) + "\n");
  ASSERT_EQ(parsed["findings"].size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(parsed["findings"][i]["message"], expected[i]) << i;
  }
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
