// SPDX-License-Identifier: Apache-2.0
#include "report/rule_doc.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "rules/registry.h"

namespace imglint {

std::string RenderRuleMarkdown(const RuleMeta& meta) {
  std::string out = "# " + std::string(meta.id) + " " + std::string(meta.name) + "\n\n";
  out += "**" + std::string(meta.title) + "** — default severity: `" +
         std::string(SeverityName(meta.severity)) + "`" +
         (meta.cwe.empty() ? "" : ", " + std::string(meta.cwe)) + "\n\n";
  out += "## Why is this bad?\n\n" + std::string(meta.rationale) + "\n\n";
  out += "## How to fix\n\n" + std::string(meta.remediation) + "\n\n";
  if (!meta.fix.empty()) out += "## Automatic fix\n\n" + std::string(meta.fix) + "\n\n";
  std::string fence = meta.bad_example.starts_with("apiVersion") ? "yaml" : "dockerfile";
  out += "## Example\n\n```" + fence + "\n" + std::string(meta.bad_example) + "```\n\n";
  out += "Use instead:\n\n```" + fence + "\n" + std::string(meta.good_example) + "```\n\n";
  out += "## References\n\n" + std::string(meta.references) + "\n";
  return out;
}

std::string RenderRuleHelpMarkdown(const RuleMeta& meta) {
  return "## Why is this bad?\n\n" + std::string(meta.rationale) + "\n\n## How to fix\n\n" +
         std::string(meta.remediation) + "\n\n## References\n\n" + std::string(meta.references) +
         "\n";
}

std::string RenderRuleHelpText(const RuleMeta& meta) {
  return "Why is this bad?\n\n" + std::string(meta.rationale) + "\n\nHow to fix\n\n" +
         std::string(meta.remediation) + "\n\nReferences\n\n" + std::string(meta.references) + "\n";
}

std::string RenderRuleTable() {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-6s  %-33s  %-8s  %s\n", "ID", "NAME", "SEVERITY", "TITLE");
  out += line;
  for (const auto& rule : AllRules()) {
    const RuleMeta& m = rule->Meta();
    std::snprintf(line, sizeof line, "%-6.*s  %-33.*s  %-8.*s  %.*s\n",
                  static_cast<int>(m.id.size()), m.id.data(), static_cast<int>(m.name.size()),
                  m.name.data(), static_cast<int>(SeverityName(m.severity).size()),
                  SeverityName(m.severity).data(), static_cast<int>(m.title.size()),
                  m.title.data());
    out += line;
  }
  return out;
}

std::string RenderRuleJson() {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& rule : AllRules()) {
    const RuleMeta& m = rule->Meta();
    rules.push_back({{"id", m.id},
                     {"name", m.name},
                     {"severity", SeverityName(m.severity)},
                     {"title", m.title},
                     {"cwe", m.cwe}});
  }
  return rules.dump(2) + "\n";
}

namespace {

// The README's fix column: whether `imglint fix` edits or only advises.
std::string FixColumn(const RuleMeta& m) {
  if (m.fix.empty()) return "";
  return m.fix_advises_only ? "`imglint fix` (advice only)" : "`imglint fix`";
}

}  // namespace

std::string RenderReadmeRuleTable() {
  std::string out = "| ID | name | default | what | fix |\n|---|---|---|---|---|\n";
  for (const auto& rule : AllRules()) {
    const RuleMeta& m = rule->Meta();
    out += "| [" + std::string(m.id) + "](docs/rules/" + std::string(m.id) + ".md) | " +
           std::string(m.name) + " | " + std::string(SeverityName(m.severity)) + " | " +
           std::string(m.title) + " | " + FixColumn(m) + " |\n";
  }
  return out;
}

}  // namespace imglint
