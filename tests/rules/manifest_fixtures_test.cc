// SPDX-License-Identifier: Apache-2.0
// Data-driven: every fixtures/manifest/**/*.yaml (Kubernetes manifests and
// Compose files) is linted by the real CLI, and the set of (rule, line) it
// reports must equal the `# expect: IL303[, IL301]` annotations (each on the
// line directly above the hit) exactly — a missed hit and an extra finding
// both fail. `# args: …` adds CLI arguments (e.g. --runtime podman). See
// fixtures/manifest/README.md.
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

#include "analyzer/manifest/kube_model.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixture_annotations.h"

namespace imglint::testing {
namespace {

namespace fs = std::filesystem;

const char kFixtureRoot[] = "fixtures/manifest";

std::vector<std::string> FixtureFiles() {
  std::vector<std::string> out;
  const fs::path root = fs::path(SourceDir()) / kFixtureRoot;
  if (!fs::is_directory(root)) return out;
  for (const auto& file : fs::recursive_directory_iterator(root)) {
    const std::string ext = file.path().extension().string();
    if (file.is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
      out.push_back(fs::relative(file.path(), SourceDir()).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class ManifestFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ManifestFixture, FindingsEqualAnnotations) {
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
  const std::string kind = doc["targets"][0]["kind"];
  EXPECT_TRUE(kind == "kubernetes" || kind == "compose") << kind;
  EXPECT_EQ(kind, path.find("/compose/") != std::string::npos ? "compose" : "kubernetes");
  EXPECT_TRUE(doc["targets"][0]["error"].is_null()) << doc["targets"][0]["error"];

  std::set<Hit> found;
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["location"]["path"], path);
    ASSERT_TRUE(f["location"]["line"].is_number()) << f.dump();
    EXPECT_GT(f["location"]["column"].get<int>(), 0) << f.dump();
    EXPECT_FALSE(f["recommendation"].get<std::string>().empty()) << f.dump();
    // Fingerprint keys name the YAML node, not the line: no finding of the
    // same rule may share one within a file.
    found.insert({f["rule"].get<std::string>(), f["location"]["line"].get<int>()});
  }
  ExpectTextSnapshot(path, notes.args);
  std::set<std::pair<std::string, std::string>> fingerprints;
  for (const auto& f : doc["findings"]) {
    const bool unique =
        fingerprints.insert({f["rule"].get<std::string>(), f["fingerprint"].get<std::string>()})
            .second;
    EXPECT_TRUE(unique) << f.dump();
  }
  EXPECT_EQ(DiffHits(notes.expected, found), "")
      << path << "\n  report: " << doc["findings"].dump(1);
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(std::string(kFixtureRoot).size() + 1);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ManifestFixture, ::testing::ValuesIn(FixtureFiles()), TestName);

// Every workload kind with a pod spec has a fixture, and every manifest rule
// fires somewhere in Kubernetes and in Compose fixtures.
TEST(ManifestFixtureLayout, CoversEveryKindAndRule) {
  std::set<std::string> kinds;
  std::set<std::string> kube_rules;
  std::set<std::string> compose_rules;
  static const std::regex kKind(R"(^\s*(?:-\s+)?kind:\s*(\w+)\s*$)");
  for (const std::string& path : FixtureFiles()) {
    const std::string text = ReadSourceFile(path);
    std::istringstream lines(text);
    std::smatch m;
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_match(line, m, kKind)) kinds.insert(m[1].str());
    }
    for (const Hit& hit : ReadAnnotations(text).expected) {
      (path.find("/compose/") != std::string::npos ? compose_rules : kube_rules).insert(hit.first);
    }
  }
  for (const char* kind : {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
                           "CronJob", "ReplicationController", "PodTemplate", "List"}) {
    if (std::string(kind) != "List") {
      EXPECT_FALSE(PodSpecPath(kind).empty()) << kind;
    }
    EXPECT_TRUE(kinds.count(kind)) << "no fixture for " << kind;
  }
  for (const char* rule : {"IL101", "IL301", "IL302", "IL303", "IL304"}) {
    EXPECT_TRUE(kube_rules.count(rule)) << rule << " never expected in a Kubernetes fixture";
    EXPECT_TRUE(compose_rules.count(rule)) << rule << " never expected in a Compose fixture";
  }
}

TEST(ManifestFixtureLayout, AnnotationsAreParsed) {
  Annotations notes = ReadAnnotations(
      "# args: --runtime podman\nservices:\n  web:\n    # expect: IL301, IL303\n    ports: [80]\n");
  EXPECT_EQ(notes.expected, (std::set<Hit>{{"IL301", 5}, {"IL303", 5}}));
  EXPECT_EQ(notes.args, (std::vector<std::string>{"--runtime", "podman"}));
  EXPECT_FALSE(FixtureFiles().empty());
}

}  // namespace
}  // namespace imglint::testing
