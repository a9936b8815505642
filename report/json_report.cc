// SPDX-License-Identifier: Apache-2.0
#include "report/json_report.h"

#include <nlohmann/json.hpp>

#include "rules/registry.h"

namespace imglint {
namespace {

// ordered_json keeps the documented field order (version, tool, targets, …).
using json = nlohmann::ordered_json;

json OrNull(int value) { return value > 0 ? json(value) : json(nullptr); }

json LocationJson(const Location& l) {
  json out = {{"path", l.path},
              {"line", OrNull(l.line)},
              {"column", OrNull(l.column)},
              {"image_path", l.image_path.empty() ? json(nullptr) : json(l.image_path)},
              {"layer_digest", l.layer_digest.empty() ? json(nullptr) : json(l.layer_digest)}};
  if (l.end_line > 0) out["end_line"] = l.end_line;
  if (l.end_column > 0) out["end_column"] = l.end_column;
  if (!l.platform.empty()) out["platform"] = l.platform;
  return out;
}

}  // namespace

std::string RenderJson(const LintReport& report, const std::string& tool_version) {
  json targets = json::array();
  for (const TargetStatus& t : report.targets) {
    json target = {{"path", t.path},
                   {"kind", TargetKindName(t.kind)},
                   {"error", t.error ? json(*t.error) : json(nullptr)}};
    if (!t.source.empty()) target["source"] = t.source;
    if (t.error && t.error_line > 0) {
      target["error_line"] = t.error_line;
      target["error_column"] = OrNull(t.error_column);
    }
    targets.push_back(std::move(target));
  }
  json findings = json::array();
  for (const Finding& f : report.findings) {
    const Rule* rule = FindRule(f.rule_id);
    json related = json::array();
    for (const Location& r : f.related) related.push_back(LocationJson(r));
    findings.push_back({{"rule", f.rule_id},
                        {"name", rule ? std::string(rule->Meta().name) : ""},
                        {"severity", SeverityName(f.severity)},
                        {"message", f.message},
                        {"recommendation", f.recommendation},
                        {"fingerprint", f.fingerprint},
                        {"location", LocationJson(f.location)},
                        {"related", std::move(related)}});
  }
  auto counts = report.Counts();
  json doc = {{"version", 1},
              {"tool", {{"name", "imglint"}, {"version", tool_version}}},
              {"targets", std::move(targets)},
              {"findings", std::move(findings)},
              {"summary",
               {{"error", counts[static_cast<int>(Severity::kError)]},
                {"warning", counts[static_cast<int>(Severity::kWarning)]},
                {"note", counts[static_cast<int>(Severity::kNote)]}}}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace imglint
