// SPDX-License-Identifier: Apache-2.0
// Data-driven: every fixtures/dockerfile/<rule-name>/*.Dockerfile is linted by
// the real CLI, and the set of (rule, line) it reports must equal the
// `# expect: IL201[, IL202]` annotations (each on the line directly above the
// hit) exactly — a missed hit and an extra finding both fail. `# args: …`
// adds CLI arguments (e.g. --runtime podman). The text output of each fixture
// is a snapshot beside it (NAME.txt), which pins the message text.
// See fixtures/dockerfile/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "rules/registry.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixture_annotations.h"

namespace imglint::testing {
namespace {

namespace fs = std::filesystem;

const char kFixtureRoot[] = "fixtures/dockerfile";

std::vector<std::string> FixtureFiles() {
  std::vector<std::string> out;
  const fs::path root = fs::path(SourceDir()) / kFixtureRoot;
  if (!fs::is_directory(root)) return out;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(dir.path())) {
      if (file.path().extension() == ".Dockerfile") {
        out.push_back(fs::relative(file.path(), SourceDir()).generic_string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class DockerfileFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(DockerfileFixture, FindingsEqualAnnotations) {
  const std::string& path = GetParam();
  const std::string text = ReadSourceFile(path);
  ASSERT_FALSE(text.empty()) << path;
  Annotations notes = ReadAnnotations(text);
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), notes.args.begin(), notes.args.end());
  args.push_back(path);
  CliResult result = RunImglint(args, "", SourceDir());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  nlohmann::json doc = nlohmann::json::parse(result.out);
  ASSERT_EQ(doc["targets"].size(), 1u);
  EXPECT_EQ(doc["targets"][0]["kind"], "dockerfile");
  EXPECT_TRUE(doc["targets"][0]["error"].is_null()) << doc["targets"][0]["error"];

  std::set<Hit> found;
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["location"]["path"], path);
    ASSERT_TRUE(f["location"]["line"].is_number()) << f.dump();
    EXPECT_GT(f["location"]["column"].get<int>(), 0) << f.dump();
    found.insert({f["rule"].get<std::string>(), f["location"]["line"].get<int>()});
  }
  EXPECT_EQ(DiffHits(notes.expected, found), "")
      << path << "\n  report: " << doc["findings"].dump(1);

  ExpectTextSnapshot(path, notes.args);
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(std::string(kFixtureRoot).size() + 1);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DockerfileFixture, ::testing::ValuesIn(FixtureFiles()),
                         TestName);

// The layout itself: one directory per rule, named as the rule, with a good
// file, and a bad file that fires that very rule (IL102 needs an image, see
// build_correlation_test.cc).
TEST(DockerfileFixtureLayout, OneDirectoryPerRule) {
  const fs::path root = fs::path(SourceDir()) / kFixtureRoot;
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::set<std::string> dirs;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (dir.is_directory()) dirs.insert(dir.path().filename().string());
  }
  for (const auto& rule : AllRules()) {  // every registered rule, none forgotten
    EXPECT_TRUE(dirs.count(std::string(rule->Meta().name))) << rule->Meta().name;
  }
  for (const std::string& name : dirs) {
    const Rule* rule = FindRule(name);
    ASSERT_NE(rule, nullptr) << name << " is not a rule name";
    EXPECT_TRUE(fs::exists(root / name / "good.Dockerfile")) << name;
    const fs::path bad = root / name / "bad.Dockerfile";
    if (rule->Meta().id == "IL102") continue;
    ASSERT_TRUE(fs::exists(bad)) << name;
    Annotations notes = ReadAnnotations(ReadSourceFile(fs::relative(bad, SourceDir()).string()));
    EXPECT_TRUE(std::any_of(notes.expected.begin(), notes.expected.end(),
                            [&](const Hit& h) { return h.first == rule->Meta().id; }))
        << bad << " never expects " << rule->Meta().id;
  }
}

TEST(DockerfileFixtureLayout, AnnotationsAreParsed) {
  Annotations notes =
      ReadAnnotations("FROM x\n# expect: IL101, IL304\nUSER root\n# args: --runtime podman\n");
  EXPECT_EQ(notes.expected, (std::set<Hit>{{"IL101", 3}, {"IL304", 3}}));
  EXPECT_EQ(notes.args, (std::vector<std::string>{"--runtime", "podman"}));
  EXPECT_FALSE(FixtureFiles().empty());
}

}  // namespace
}  // namespace imglint::testing
