// SPDX-License-Identifier: Apache-2.0
// SARIF `fixes` on the golden cases of fixtures/fix/<case>/: applying every
// replacement a lint with --format sarif offers to the original file must
// give exactly what `imglint fix --write` writes — once by line and column,
// once by charOffset/charLength, both read as UTF-16 code units (SARIF's
// default columnKind) by a decoder of this test's own. A case whose fix
// fails verification or is refused offers none. The documents pass
// ../shared/tools/validate-sarif.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct FixCase {
  std::string name;
  fs::path dir;
  std::string input;
  std::vector<std::string> args;
};

void PrintTo(const FixCase& c, std::ostream* os) { *os << c.name; }

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::vector<FixCase> Cases() {
  std::vector<FixCase> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(SourceDir()) / "fixtures" / "fix")) {
    if (!entry.is_directory()) continue;
    for (const char* input : {"before.yaml", "compose.yaml", "Dockerfile"}) {
      if (!fs::exists(entry.path() / input)) continue;
      FixCase c{entry.path().filename().string(), entry.path(), input, {}};
      if (fs::exists(entry.path() / "args"))
        c.args = Words(ReadFileBytes((entry.path() / "args").string()));
      // `--rule` picks what `imglint fix` edits; a lint offers every fix.
      if (std::find(c.args.begin(), c.args.end(), "--rule") != c.args.end()) continue;
      cases.push_back(std::move(c));
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const FixCase& a, const FixCase& b) { return a.name < b.name; });
  return cases;
}

// UTF-8 <-> UTF-16, written here so the test does not trust imglint's count.
std::u16string ToUtf16(const std::string& s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    size_t n = 1;
    if (c >= 0xF0) {
      cp = c & 0x07;
      n = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      n = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      n = 2;
    }
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

std::string ToUtf8(const std::u16string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t cp = s[i];
    if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s.size()) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s[++i] - 0xDC00);
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

// A replacement as UTF-16 ranges: [begin, end) and the text to put there.
struct Replacement {
  size_t begin = 0;
  size_t end = 0;
  std::u16string text;
  bool operator<(const Replacement& o) const {
    return std::tie(begin, end, text) < std::tie(o.begin, o.end, o.text);
  }
};

// The UTF-16 offset of 1-based (line, column); the line after a final line
// break is the text's end.
size_t OffsetOf(const std::u16string& text, int line, int column) {
  size_t at = 0;
  for (int l = 1; l < line; ++l) {
    const size_t nl = text.find(u'\n', at);
    if (nl == std::u16string::npos) {
      ADD_FAILURE() << "line " << line << " is past the end";
      return text.size();
    }
    at = nl + 1;
  }
  return at + static_cast<size_t>(column - 1);
}

// Applies distinct replacements (several results may offer the same one).
std::string Apply(const std::string& original, const std::set<Replacement>& replacements) {
  std::u16string text = ToUtf16(original);
  size_t previous_end = 0;
  for (const Replacement& r : replacements) {
    EXPECT_GE(r.begin, previous_end) << "replacements overlap";
    previous_end = r.end;
  }
  for (auto it = replacements.rbegin(); it != replacements.rend(); ++it)
    text.replace(it->begin, it->end - it->begin, it->text);
  return ToUtf8(text);
}

class SarifFixes : public ::testing::TestWithParam<FixCase> {};

TEST_P(SarifFixes, ReplacementsGiveWhatFixWriteWrites) {
  const FixCase& c = GetParam();
  const std::string before = ReadFileBytes((c.dir / c.input).string());
  TempDir dir;
  WriteFileBytes(dir.File(c.input), before);
  std::vector<std::string> lint = {"--format", "sarif", "--fail-on", "never"};
  lint.insert(lint.end(), c.args.begin(), c.args.end());
  lint.push_back(c.input);
  const CliResult sarif = RunImglint(lint, "", dir.path());
  ASSERT_EQ(sarif.exit_code, 0) << sarif.err;
  const json doc = json::parse(sarif.out);

  std::set<Replacement> by_line;
  std::set<Replacement> by_offset;
  const std::u16string text = ToUtf16(before);
  size_t fixes = 0;
  for (const json& result : doc["runs"][0]["results"]) {
    // The result's own region counts UTF-16 units too: IL304 points at the
    // capability, whatever non-ASCII text precedes it on the line.
    const json& at = result["locations"][0]["physicalLocation"]["region"];
    // In a manifest IL304 points at the capability; in a Dockerfile, at the setcap step.
    if (c.input != "Dockerfile" && result["ruleId"] == "IL304" && at.contains("startColumn")) {
      size_t offset = OffsetOf(text, at["startLine"], at["startColumn"]);
      if (text[offset] == u'"' || text[offset] == u'\'') ++offset;
      EXPECT_EQ(text.substr(offset, 16), u"NET_BIND_SERVICE") << at;
    }
    if (!result.contains("fixes")) continue;
    ++fixes;
    const json& location = result["locations"][0]["physicalLocation"]["artifactLocation"];
    for (const json& fix : result["fixes"]) {
      EXPECT_FALSE(fix["description"]["text"].get<std::string>().empty());
      for (const json& change : fix["artifactChanges"]) {
        EXPECT_EQ(change["artifactLocation"], location);
        for (const json& r : change["replacements"]) {
          const json& region = r["deletedRegion"];
          const std::u16string inserted =
              r.contains("insertedContent") ? ToUtf16(r["insertedContent"]["text"]) : u"";
          by_line.insert({OffsetOf(text, region["startLine"], region["startColumn"]),
                          OffsetOf(text, region["endLine"], region["endColumn"]), inserted});
          const size_t offset = region["charOffset"];
          by_offset.insert({offset, offset + region["charLength"].get<size_t>(), inserted});
        }
      }
    }
  }

  // What --write does, on a copy of its own.
  TempDir written;
  WriteFileBytes(written.File(c.input), before);
  std::vector<std::string> fix = {"fix", "--write"};
  fix.insert(fix.end(), c.args.begin(), c.args.end());
  fix.push_back(c.input);
  const CliResult write = RunImglint(fix, "", written.path());
  const std::string after = ReadFileBytes(written.File(c.input));
  if (after == before) {
    EXPECT_EQ(fixes, 0u) << "a fix --write does not make is offered:\n" << sarif.out;
    return;
  }
  EXPECT_GT(fixes, 0u) << write.out;
  EXPECT_EQ(Apply(before, by_line), after) << "by line and column";
  EXPECT_EQ(Apply(before, by_offset), after) << "by charOffset/charLength";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SarifFixes, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<FixCase>& info) {
                           std::string name = info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Every golden case's SARIF, one document per set of extra flags, through
// the validator (schema, GitHub's checks, the SARIF Multitool).
TEST(SarifFixesValidate, GoldenCasesPassValidateSarif) {
  const std::string shared = SharedDir();
  if (shared.empty() || !fs::exists(shared + "/tools/validate-sarif")) {
    GTEST_SKIP() << "../shared/tools/validate-sarif is not available";
  }
  TempDir dir;
  std::map<std::vector<std::string>, std::vector<std::string>> groups;  // args -> targets
  for (const FixCase& c : Cases()) {
    fs::create_directories(dir.File(c.name));
    const std::string target = c.name + "/" + c.input;
    WriteFileBytes(dir.File(target), ReadFileBytes((c.dir / c.input).string()));
    groups[c.args].push_back(target);
  }
  std::vector<std::string> validate = {shared + "/tools/validate-sarif", "--require-multitool"};
  size_t n = 0;
  size_t with_fixes = 0;
  for (const auto& [args, targets] : groups) {
    const std::string name = "fixes-" + std::to_string(++n) + ".sarif";
    std::vector<std::string> lint = {"--format", "sarif", "--fail-on", "never", "-o", name};
    lint.insert(lint.end(), args.begin(), args.end());
    lint.insert(lint.end(), targets.begin(), targets.end());
    const CliResult r = RunImglint(lint, "", dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(ReadFileBytes(dir.File(name)));
    for (const json& result : doc["runs"][0]["results"]) with_fixes += result.contains("fixes");
    validate.push_back(dir.File(name));
  }
  EXPECT_GT(with_fixes, 10u);
  const CliResult result = RunCommand(validate);
  std::cout << result.out << result.err;
  const std::string output = result.out + result.err;
  if (result.exit_code == 2 &&
      output.find("multitool required but unavailable") != std::string::npos) {
    GTEST_SKIP() << "the SARIF Multitool cannot run here:\n" << output;
  }
  EXPECT_EQ(result.exit_code, 0) << output;
  EXPECT_THAT(output, ::testing::Not(::testing::HasSubstr(": warning")));
  EXPECT_THAT(output, ::testing::Not(::testing::HasSubstr(") warning ")));
  EXPECT_THAT(output, ::testing::Not(::testing::HasSubstr("FAIL")));
  for (size_t i = 1; i <= n; ++i) {
    EXPECT_THAT(output, ::testing::HasSubstr("fixes-" + std::to_string(i) +
                                             ".sarif (schema+github+multitool): 0 error(s), 0 "
                                             "warning(s)"));
  }
}

}  // namespace
}  // namespace imglint::testing
