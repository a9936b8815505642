// SPDX-License-Identifier: Apache-2.0
// `imglint fix --write` over every Kubernetes manifest and Compose file of the
// shared third-party corpus ($IMGLINT_SHARED_DIR/corpus, index.tsv), copied to
// a temporary directory: no verification failure; every changed file parses
// with yaml-cpp and with Python's yaml (when the original did); re-linting
// finds no finding the fix addresses and no new finding; and the diff
// touches only lines the fixes name. Prints the tally.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/manifest/yaml_load.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> CorpusManifests(const fs::path& root) {
  std::vector<std::string> files;
  std::ifstream in(root / "index.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    if (cols.size() >= 5 && (cols[4] == "kubernetes" || cols[4] == "compose")) {
      files.push_back(cols[0]);
    }
  }
  return files;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Fingerprint -> rule of every finding in a JSON report.
std::multiset<std::string> Findings(const std::string& report, size_t* fixable) {
  std::multiset<std::string> out;
  const json doc = json::parse(report);
  for (const json& f : doc["findings"]) {
    const std::string rule = f["rule"].get<std::string>();
    out.insert(rule + " " + f["fingerprint"].get<std::string>());
    if (rule == "IL303" || rule == "IL304") ++*fixable;
  }
  return out;
}

// Paths (of `paths`) Python's yaml.safe_load_all rejects.
std::set<std::string> PythonRejects(const std::vector<std::string>& paths, const std::string& cwd) {
  std::vector<std::string> argv = {SystemPython(), "-c",
                                   "import sys, yaml\n"
                                   "for p in sys.argv[1:]:\n"
                                   "    try:\n"
                                   "        list(yaml.safe_load_all(open(p, 'rb')))\n"
                                   "    except Exception as e:\n"
                                   "        print(p)\n"};
  argv.insert(argv.end(), paths.begin(), paths.end());
  const CliResult r = RunCommand(argv, {}, "", cwd);
  EXPECT_EQ(r.exit_code, 0) << "python3 with yaml is needed (Debian: python3-yaml): " << r.err;
  std::set<std::string> rejected;
  for (const std::string& l : Lines(r.out)) rejected.insert(l);
  return rejected;
}

TEST(FixCorpus, WriteOverEveryManifestIsValidVerifiedAndMinimal) {
  const std::string shared = SharedDir();
  if (shared.empty() || !fs::exists(fs::path(shared) / "corpus" / "index.tsv")) {
    GTEST_SKIP() << "the shared corpus (../shared/corpus) is not here; set IMGLINT_SHARED_DIR";
  }
  const fs::path root = fs::path(shared) / "corpus";
  const std::vector<std::string> files = CorpusManifests(root);
  ASSERT_GT(files.size(), 100u);
  TempDir dir;
  for (const std::string& f : files) {
    fs::create_directories(fs::path(dir.File(f)).parent_path());
    fs::copy_file(root / f, dir.File(f));
  }
  std::vector<std::string> lint = {"--format", "json", "--fail-on", "never"};
  lint.insert(lint.end(), files.begin(), files.end());
  size_t fixable_before = 0;
  const std::multiset<std::string> before =
      Findings(RunImglint(lint, "", dir.path()).out, &fixable_before);

  std::vector<std::string> fix = {"fix"};
  fix.insert(fix.end(), files.begin(), files.end());
  const CliResult diff = RunImglint(fix, "", dir.path());
  ASSERT_NE(diff.exit_code, 2) << diff.err;
  fix.insert(fix.begin() + 1, "--write");
  const CliResult write = RunImglint(fix, "", dir.path());
  ASSERT_NE(write.exit_code, 2) << write.err;
  EXPECT_EQ(write.err.find("verification failed"), std::string::npos) << write.err;

  // The diff's changed lines are the ones the fixes name, nothing else.
  const std::regex added(
      R"(^\+ *(securityContext:|sysctls:|- name: net\.ipv4\.ip_unprivileged_port_start|value: "0"|)"
      R"(net\.ipv4\.ip_unprivileged_port_start: 0|- net\.ipv4\.ip_unprivileged_port_start=0|)"
      R"((add|cap_add): \[.*\]|.*net\.ipv4\.ip_unprivileged_port_start.*)\r?$)");
  const std::regex removed(
      R"(^- *(- )?("?NET_BIND_SERVICE"?|add:|cap_add:|(add|cap_add): \[.*\]|.*ip_unprivileged_port_start.*)( *#.*)?\r?$)");
  std::vector<std::string> changed;
  for (const std::string& l : Lines(diff.out)) {
    if (l.rfind("+++ b/", 0) == 0) changed.push_back(l.substr(6));
    if (l.rfind("+++", 0) == 0 || l.rfind("---", 0) == 0) continue;
    if (l[0] == '+') {
      EXPECT_TRUE(std::regex_match(l, added)) << "unexpected added line: " << l;
    } else if (l[0] == '-') {
      EXPECT_TRUE(std::regex_match(l, removed)) << "unexpected removed line: " << l;
    }
  }

  // Every changed file still parses, with yaml-cpp and with Python's yaml.
  std::vector<std::string> originals;
  for (const std::string& f : changed) {
    std::vector<YAML::Node> docs;
    YamlScan scan;
    ReadError err;
    EXPECT_TRUE(LoadYamlDocuments(ReadFileBytes(dir.File(f)), Limits(), &docs, &scan, &err))
        << f << ":" << err.line << ": " << err.message;
    originals.push_back((root / f).string());
  }
  const std::set<std::string> rejected_after = PythonRejects(changed, dir.path());
  const std::set<std::string> rejected_before = PythonRejects(originals, "/");
  for (const std::string& f : changed) {
    if (rejected_before.count((root / f).string()) == 0) {
      EXPECT_EQ(rejected_after.count(f), 0u) << f << " no longer parses with Python's yaml";
    }
  }

  // Re-lint: no new finding, and nothing left that fix would still change.
  size_t fixable_after = 0;
  const std::multiset<std::string> after =
      Findings(RunImglint(lint, "", dir.path()).out, &fixable_after);
  for (const std::string& f : after) EXPECT_EQ(before.count(f) > 0, true) << "new finding " << f;
  fix.erase(fix.begin() + 1);
  const CliResult again = RunImglint(fix, "", dir.path());
  EXPECT_EQ(again.out, "") << "a second run still plans fixes";

  size_t edits = 0;
  for (const std::string& l : Lines(write.out)) edits += l.rfind("fixed ", 0) == 0;
  size_t refusals = 0;
  for (const std::string& l : Lines(write.err))
    refusals += l.find(" not fixed: ") != std::string::npos;
  EXPECT_EQ(changed.empty(), edits == 0);
  std::cout << "[ fix tally ] files: " << files.size() << ", files fixed: " << changed.size()
            << ", edits: " << edits << ", refusals: " << refusals
            << ", IL303/IL304 findings: " << fixable_before << " before, " << fixable_after
            << " after, findings: " << before.size() << " before, " << after.size() << " after\n";
}

}  // namespace
}  // namespace imglint::testing
