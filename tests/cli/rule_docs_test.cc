// SPDX-License-Identifier: Apache-2.0
// Rule documentation has one source, the rule files: the committed pages and
// the README table must be what `imglint docs` generates today.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/docs_command.h"
#include "report/rule_doc.h"
#include "rules/registry.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;

TEST(RuleDocs, CommittedPagesAreCurrent) {
  for (const auto& rule : AllRules()) {
    std::string path = SourceDir() + "/docs/rules/" + std::string(rule->Meta().id) + ".md";
    ASSERT_TRUE(std::filesystem::exists(path))
        << path << " is missing: run `imglint docs docs/rules --readme README.md`";
    EXPECT_EQ(ReadFileBytes(path), RenderRuleMarkdown(rule->Meta()))
        << path << " is stale: run `imglint docs docs/rules --readme README.md`";
  }
}

TEST(RuleDocs, ReadmeTableIsCurrent) {
  std::string readme = ReadFileBytes(SourceDir() + "/README.md");
  std::string updated = readme;
  ASSERT_TRUE(UpdateReadmeTable(&updated));
  EXPECT_EQ(readme, updated) << "README rules table is stale: run `imglint docs docs/rules "
                                "--readme README.md`";
}

TEST(RuleDocs, MetadataIsComplete) {
  std::set<std::string> ids, names;
  for (const auto& rule : AllRules()) {
    const RuleMeta& m = rule->Meta();
    EXPECT_TRUE(ids.insert(std::string(m.id)).second) << m.id;
    EXPECT_TRUE(names.insert(std::string(m.name)).second) << m.name;
    EXPECT_FALSE(m.title.empty()) << m.id;
    EXPECT_FALSE(m.rationale.empty()) << m.id;
    EXPECT_FALSE(m.remediation.empty()) << m.id;
    EXPECT_FALSE(m.bad_example.empty()) << m.id;
    EXPECT_FALSE(m.good_example.empty()) << m.id;
    EXPECT_FALSE(m.references.empty()) << m.id;
    // Only a note may name no weakness (IL002: the Linux rules were skipped).
    EXPECT_TRUE(m.cwe.starts_with("CWE-") || (m.cwe.empty() && m.severity == Severity::kNote))
        << m.id;
  }
}

TEST(RuleDocs, ExplainByIdOrName) {
  CliResult by_id = RunImglint({"explain", "IL303"});
  CliResult by_name = RunImglint({"explain", "missing-port-sysctl"});
  EXPECT_EQ(by_id.exit_code, 0);
  EXPECT_EQ(by_id.out, by_name.out);
  EXPECT_THAT(by_id.out, HasSubstr("net.ipv4.ip_unprivileged_port_start"));
  CliResult unknown = RunImglint({"explain", "IL999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown rule \"IL999\""));
}

TEST(RuleDocs, RulesTableAndJson) {
  CliResult table = RunImglint({"rules"});
  EXPECT_THAT(table.out, HasSubstr("IL304   port-privilege-instead-of-sysctl"));
  CliResult json_rules = RunImglint({"rules", "--format", "json"});
  auto doc = nlohmann::json::parse(json_rules.out);
  EXPECT_EQ(doc.size(), AllRules().size());
  EXPECT_EQ(doc[2]["id"], "IL101");
}

TEST(RuleDocs, DocsCommandWritesEveryPage) {
  TempDir dir;
  CliResult r = RunImglint({"docs", dir.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& rule : AllRules()) {
    EXPECT_TRUE(std::filesystem::exists(dir.File(std::string(rule->Meta().id) + ".md")));
  }
}

}  // namespace
}  // namespace imglint::testing
