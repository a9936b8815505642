// SPDX-License-Identifier: Apache-2.0
#include "tests/support/fixture_annotations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

#include "tests/support/cli_runner.h"

namespace imglint::testing {
namespace {

std::string Describe(const std::set<Hit>& hits) {
  std::string out;
  for (const auto& [rule, line] : hits) out += " " + rule + "@" + std::to_string(line);
  return out.empty() ? " (none)" : out;
}

}  // namespace

Annotations ReadAnnotations(const std::string& text) {
  static const std::regex kExpect(R"(^\s*#\s*expect:\s*(.*?)\s*$)");
  static const std::regex kArgs(R"(^\s*#\s*args:\s*(.*?)\s*$)");
  Annotations out;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::smatch m;
    if (std::regex_match(line, m, kExpect)) {
      std::stringstream ids(m[1].str());
      for (std::string id; std::getline(ids, id, ',');) {
        id.erase(0, id.find_first_not_of(" \t"));
        id.erase(id.find_last_not_of(" \t") + 1);
        if (!id.empty()) out.expected.insert({id, number + 1});
      }
    } else if (std::regex_match(line, m, kArgs)) {
      std::istringstream words(m[1].str());
      for (std::string w; words >> w;) out.args.push_back(w);
    }
  }
  return out;
}

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::filesystem::path(SourceDir()) / relative, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string DiffHits(const std::set<Hit>& expected, const std::set<Hit>& found) {
  std::set<Hit> missed;
  std::set<Hit> extra;
  std::set_difference(expected.begin(), expected.end(), found.begin(), found.end(),
                      std::inserter(missed, missed.end()));
  std::set_difference(found.begin(), found.end(), expected.begin(), expected.end(),
                      std::inserter(extra, extra.end()));
  if (missed.empty() && extra.empty()) return "";
  return "missed:" + Describe(missed) + "\n  extra:" + Describe(extra);
}

void ExpectTextSnapshot(const std::string& relative, const std::vector<std::string>& args) {
  std::vector<std::string> full = {"--color", "never", "--fail-on", "never"};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back(relative);
  CliResult run = RunImglint(full, "", SourceDir());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::filesystem::path snapshot = std::filesystem::path(relative).replace_extension(".txt");
  const char* update = std::getenv("IMGLINT_UPDATE_SNAPSHOTS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(std::filesystem::path(SourceDir()) / snapshot, std::ios::binary | std::ios::trunc)
        << run.out;
    return;
  }
  const std::string expected = ReadSourceFile(snapshot.string());
  ASSERT_FALSE(expected.empty()) << snapshot
                                 << " is missing; run with IMGLINT_UPDATE_SNAPSHOTS=1 to create it";
  EXPECT_EQ(run.out, expected) << snapshot
                               << " differs; if intended, rerun with IMGLINT_UPDATE_SNAPSHOTS=1";
}

}  // namespace imglint::testing
