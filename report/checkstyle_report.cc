// SPDX-License-Identifier: Apache-2.0
#include "report/checkstyle_report.h"

#include <algorithm>
#include <map>
#include <vector>

#include "analyzer/text.h"

namespace imglint {
namespace {

/// Checkstyle has error, warning and info.
std::string_view CheckstyleSeverity(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "info";
  }
  return "info";
}

std::string Attribute(std::string_view name, std::string_view value) {
  // Appended, not chained operator+: GCC 12 -O3 warns falsely (-Wrestrict).
  std::string out = " ";
  out += name;
  out += "=\"";
  out += XmlEscape(value);
  out += '"';
  return out;
}

std::string Message(const Finding& f) {
  std::string text = f.message;
  const Location& l = f.location;
  if (!l.image_path.empty()) text += " [" + l.image_path + "]";
  if (!l.layer_digest.empty()) text += " (layer " + l.layer_digest + ")";
  if (!l.platform.empty()) text += " (" + l.platform + ")";
  if (!f.recommendation.empty()) text += "\nhelp: " + f.recommendation;
  return text;
}

}  // namespace

std::string RenderCheckstyle(const LintReport& report) {
  // <file> elements group by path, in the order paths first appear.
  std::vector<std::string> order;
  std::map<std::string, std::string> errors;
  auto element = [&](const std::string& path) -> std::string& {
    auto [it, inserted] = errors.try_emplace(path);
    if (inserted) order.push_back(path);
    return it->second;
  };
  for (const TargetStatus& t : report.targets) {
    if (!t.error) continue;
    element(t.path) +=
        "    <error" + Attribute("line", std::to_string(std::max(t.error_line, 1))) +
        (t.error_column > 0 ? Attribute("column", std::to_string(t.error_column)) : std::string()) +
        Attribute("severity", "error") + Attribute("message", "cannot read target: " + *t.error) +
        Attribute("source", "imglint.read-error") + "/>\n";
  }
  for (const Finding& f : report.findings) {
    const Location& l = f.location;
    element(l.path) +=
        "    <error" + Attribute("line", std::to_string(std::max(l.line, 1))) +
        (l.column > 0 ? Attribute("column", std::to_string(l.column)) : std::string()) +
        Attribute("severity", CheckstyleSeverity(f.severity)) + Attribute("message", Message(f)) +
        Attribute("source", "imglint." + f.rule_id) + "/>\n";
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (const std::string& path : order) {
    out += "  <file" + Attribute("name", path) + ">\n" + errors[path] + "  </file>\n";
  }
  out += "</checkstyle>\n";
  return out;
}

}  // namespace imglint
