// SPDX-License-Identifier: Apache-2.0
#include "report/text_report.h"

#include <string_view>

namespace imglint {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError:
      return "\033[1;31m";
    case Severity::kWarning:
      return "\033[1;33m";
    case Severity::kNote:
      return "\033[1;36m";
  }
  return "";
}

std::string Position(const Location& l) {
  std::string out = l.path;
  if (l.line > 0) {
    out += ":" + std::to_string(l.line);
    if (l.column > 0) out += ":" + std::to_string(l.column);
  }
  return out;
}

std::string ShortDigest(const std::string& digest) {
  // "sha256:" + 12 hex digits is enough to find a layer and keeps lines short.
  return digest.size() > 19 ? digest.substr(0, 19) : digest;
}

std::string Plural(int n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

std::string RenderText(const LintReport& report, const TextOptions& options) {
  auto paint = [&](std::string_view color, const std::string& text) {
    return options.color ? std::string(color) + text + std::string(kReset) : text;
  };
  std::string out;
  for (const Finding& f : report.findings) {
    out += paint(kBold, Position(f.location) + ":") + " " +
           paint(SeverityColor(f.severity),
                 std::string(SeverityName(f.severity)) + "[" + f.rule_id + "]") +
           ": " + f.message + "\n";
    const Location& l = f.location;
    if (!l.image_path.empty() || !l.platform.empty()) {
      out += "  --> ";
      if (!l.image_path.empty()) out += l.image_path;
      if (!l.layer_digest.empty()) out += " (layer " + ShortDigest(l.layer_digest) + ")";
      if (!l.platform.empty()) out += (l.image_path.empty() ? "" : " ") + ("[" + l.platform + "]");
      out += "\n";
    }
    for (const Location& r : f.related) out += "  = related: " + Position(r) + "\n";
    if (!f.recommendation.empty()) {
      std::string help = f.recommendation;
      // Multi-line snippets stay aligned under "= help: ".
      for (size_t at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1)) {
        help.insert(at + 1, "          ");
      }
      out += "  = help: " + help + "\n";
    }
  }
  auto counts = report.Counts();
  int unreadable = 0;
  for (const TargetStatus& t : report.targets) unreadable += t.error ? 1 : 0;
  std::string summary = Plural(counts[static_cast<int>(Severity::kError)], "error") + ", " +
                        Plural(counts[static_cast<int>(Severity::kWarning)], "warning") + ", " +
                        Plural(counts[static_cast<int>(Severity::kNote)], "note") + " in " +
                        Plural(static_cast<int>(report.targets.size()), "target");
  if (unreadable > 0) summary += " (" + std::to_string(unreadable) + " unreadable)";
  out += (report.findings.empty() ? "" : "\n") + summary + "\n";
  return out;
}

}  // namespace imglint
