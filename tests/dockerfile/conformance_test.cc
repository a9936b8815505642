// SPDX-License-Identifier: Apache-2.0
// BuildKit parser conformance: runs BuildKit's own parser and shell-lexer test
// data (shared/conformance/buildkit-parser, see its README.md) against our
// implementation. The data is read at test time, never copied into the tree;
// every case is its own ctest entry.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/dump.h"
#include "analyzer/dockerfile/parser.h"
#include "analyzer/dockerfile/shell_lex.h"

namespace imglint::dockerfile {
namespace {

namespace fs = std::filesystem;

// Where the conformance data lives: $IMGLINT_SHARED_DIR (set by ctest), else
// <source>/../shared. Discovery (--gtest_list_tests) runs without the
// environment variable, so the fallback must name the same directory.
fs::path DataDir() {
  fs::path shared;
  if (const char* env = std::getenv("IMGLINT_SHARED_DIR"); env != nullptr && *env != '\0') {
    shared = env;
  } else {
#ifdef IMGLINT_SOURCE_DIR
    shared = fs::path(IMGLINT_SOURCE_DIR) / ".." / "shared";
#endif
  }
  return shared / "conformance" / "buildkit-parser";
}

bool HaveData() {
  std::error_code ec;
  return fs::is_directory(DataDir(), ec);
}

constexpr char kMissing[] = "data_missing";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SubDirs(const fs::path& dir, bool include_underscore) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_directory()) continue;
    const std::string name = e.path().filename().string();
    if (!include_underscore && name[0] == '_') continue;
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> PositiveCases() {
  if (!HaveData()) return {kMissing};
  return SubDirs(DataDir(), false);
}

std::vector<std::string> NegativeCases() {
  if (!HaveData()) return {kMissing};
  return SubDirs(DataDir() / "_negative", true);
}

std::string ParamName(const std::string& s) {
  std::string out;
  for (char c : s) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

struct NameParam {
  template <class ParamType>
  std::string operator()(const testing::TestParamInfo<ParamType>& info) const {
    return ParamName(info.param);
  }
};

// ---- positive cases -------------------------------------------------------

class BuildkitPositive : public testing::TestWithParam<std::string> {};

TEST_P(BuildkitPositive, DumpEqualsResult) {
  if (GetParam() == kMissing) GTEST_SKIP() << "conformance data not found at " << DataDir();
  const fs::path dir = DataDir() / GetParam();
  const std::string input = ReadFile(dir / "Dockerfile");
  std::string expected = ReadFile(dir / "result");
  expected.erase(std::remove(expected.begin(), expected.end(), '\r'), expected.end());

  Dockerfile df;
  ParseError err;
  ParseOptions options;
  options.validate = false;  // BuildKit's AST data uses made-up flags
  ASSERT_TRUE(ParseDockerfile(input, &df, &err, options))
      << err.line << ":" << err.column << ": " << err.message;
  EXPECT_EQ(DumpDockerfile(df), expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, BuildkitPositive, testing::ValuesIn(PositiveCases()), NameParam());

TEST(BuildkitConformance, FindsAllCases) {
  if (!HaveData()) GTEST_SKIP() << "conformance data not found at " << DataDir();
  EXPECT_EQ(SubDirs(DataDir(), false).size(), 33u);
  EXPECT_EQ(SubDirs(DataDir() / "_negative", true).size(), 4u);
}

// ---- negative cases -------------------------------------------------------

class BuildkitNegative : public testing::TestWithParam<std::string> {};

TEST_P(BuildkitNegative, ParseFails) {
  if (GetParam() == kMissing) GTEST_SKIP() << "conformance data not found at " << DataDir();
  const std::string input = ReadFile(DataDir() / "_negative" / GetParam() / "Dockerfile");
  Dockerfile df;
  ParseError err;
  ParseOptions options;
  options.validate = false;  // the parser alone must already reject these
  EXPECT_FALSE(ParseDockerfile(input, &df, &err, options));
  EXPECT_FALSE(err.message.empty());
  EXPECT_GE(err.line, 0);
}

INSTANTIATE_TEST_SUITE_P(Cases, BuildkitNegative, testing::ValuesIn(NegativeCases()), NameParam());

// ---- line information -----------------------------------------------------

TEST(BuildkitLineInfo, StartAndEndLines) {
  if (!HaveData()) GTEST_SKIP() << "conformance data not found at " << DataDir();
  const std::string input = ReadFile(DataDir() / "_line-info" / "Dockerfile");
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseDockerfile(input, &df, &err)) << err.message;
  ASSERT_EQ(df.instructions.size(), 3u);
  const int expected[3][2] = {{5, 5}, {11, 12}, {17, 31}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(df.instructions[i].range.start.line, expected[i][0]) << "instruction " << i;
    EXPECT_EQ(df.instructions[i].range.end.line, expected[i][1]) << "instruction " << i;
  }
  // Line 1 `# ESCAPE=\` is a directive: the key is case-insensitive.
  ASSERT_EQ(df.directives.size(), 1u);
  EXPECT_EQ(df.directives[0].name, "escape");
  EXPECT_EQ(df.directives[0].value, "\\");
}

// ---- shell lexer tables ---------------------------------------------------

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> Lines(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(ReadFile(p));
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// One parameter per test line of envVarTest: "L<number>".
std::vector<std::string> EnvVarCases() {
  if (!HaveData()) return {kMissing};
  std::vector<std::string> out;
  const auto lines = Lines(DataDir() / "_shell" / "envVarTest");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] == '#' || Trim(lines[i]).empty()) continue;
    out.push_back("L" + std::to_string(i + 1));
  }
  return out;
}

class BuildkitEnvVar : public testing::TestWithParam<std::string> {};

TEST_P(BuildkitEnvVar, ProcessWord) {
  if (GetParam() == kMissing) GTEST_SKIP() << "conformance data not found at " << DataDir();
  const size_t index = std::stoul(GetParam().substr(1)) - 1;
  const auto lines = Lines(DataDir() / "_shell" / "envVarTest");
  ASSERT_LT(index, lines.size());
  const std::string& line = lines[index];
  const size_t bar1 = line.find('|');
  const size_t bar2 = line.find('|', bar1 + 1);
  ASSERT_NE(bar2, std::string::npos) << line;
  const std::string platform = Trim(line.substr(0, bar1));
  const std::string source = Trim(line.substr(bar1 + 1, bar2 - bar1 - 1));
  const std::string expected = Trim(line.substr(bar2 + 1));
  if (platform == "W") GTEST_SKIP() << "Windows-only case";

  VarScope env;
  env.Set("PWD", "/home");
  env.Set("SHELL", "bash");
  env.Set("KOREAN", "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4");
  env.Set("NULL", "");
  LexResult result;
  std::string err;
  const bool ok = ProcessShellWord(source, env, LexOptions(), &result, &err);
  if (expected == "error") {
    EXPECT_FALSE(ok) << "input " << source << " gave " << result.word;
  } else {
    ASSERT_TRUE(ok) << "input " << source << ": " << err;
    EXPECT_EQ(result.word, expected) << "input " << source;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BuildkitEnvVar, testing::ValuesIn(EnvVarCases()), NameParam());

std::vector<std::string> WordsCases() {
  if (!HaveData()) return {kMissing};
  std::vector<std::string> out;
  const auto lines = Lines(DataDir() / "_shell" / "wordsTest");
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty() || l[0] == '#' || l.rfind("ENV ", 0) == 0) continue;
    out.push_back("L" + std::to_string(i + 1));
  }
  return out;
}

class BuildkitWords : public testing::TestWithParam<std::string> {};

TEST_P(BuildkitWords, ProcessWords) {
  if (GetParam() == kMissing) GTEST_SKIP() << "conformance data not found at " << DataDir();
  const size_t index = std::stoul(GetParam().substr(1)) - 1;
  const auto lines = Lines(DataDir() / "_shell" / "wordsTest");
  ASSERT_LT(index, lines.size());
  // Replay the ENV lines above this one (trailing spaces matter).
  VarScope env;
  for (size_t i = 0; i < index; ++i) {
    if (lines[i].rfind("ENV ", 0) != 0) continue;
    std::string kv = lines[i].substr(3);
    kv.erase(0, kv.find_first_not_of(' '));
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      env.Set(kv, "");
    } else {
      env.Set(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  const std::string& line = lines[index];
  const size_t bar = line.find('|');
  ASSERT_NE(bar, std::string::npos);
  ASSERT_EQ(line.find('|', bar + 1), std::string::npos);
  const std::string input = Trim(line.substr(0, bar));
  std::string expected_text = line.substr(bar + 1);
  expected_text.erase(0, expected_text.find_first_not_of(' '));
  std::vector<std::string> expected;
  size_t start = 0;
  for (;;) {
    const size_t comma = expected_text.find(',', start);
    expected.push_back(expected_text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }

  LexResult result;
  std::string err;
  const bool ok = ProcessShellWord(input, env, LexOptions(), &result, &err);
  std::vector<std::string> got = ok ? result.words : std::vector<std::string>{"error"};
  EXPECT_EQ(got, expected) << "input " << input;
}

INSTANTIATE_TEST_SUITE_P(Table, BuildkitWords, testing::ValuesIn(WordsCases()), NameParam());

}  // namespace
}  // namespace imglint::dockerfile
