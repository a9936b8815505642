// SPDX-License-Identifier: Apache-2.0
#include "report/gitlab_report.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

namespace imglint {
namespace {

using json = nlohmann::ordered_json;

/// GitLab matches `path` against the repository tree: "./Dockerfile" would
/// not match "Dockerfile".
std::string RepositoryPath(const std::string& path) {
  std::string normal = std::filesystem::path(path).lexically_normal().generic_string();
  return normal.empty() ? path : normal;
}

std::string Description(const Finding& f) {
  std::string text = f.rule_id + ": " + f.message;
  const Location& l = f.location;
  std::string details;
  auto add = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) details += (details.empty() ? "" : "; ") + std::string(label) + " " + value;
  };
  if (text.find(l.image_path) == std::string::npos) add("in-image path", l.image_path);
  add("layer", l.layer_digest);
  add("platform", l.platform);
  if (!details.empty()) text += " (" + details + ")";
  return text;
}

/// GitLab requires fingerprints to be unique in a report; repeats of one
/// fingerprint get "-2", "-3"… in report order.
std::string UniqueFingerprint(const std::string& fingerprint, std::map<std::string, int>* uses) {
  int n = ++(*uses)[fingerprint];
  return n == 1 ? fingerprint : fingerprint + "-" + std::to_string(n);
}

}  // namespace

std::string_view GitlabSeverity(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "critical";
    case Severity::kWarning:
      return "major";
    case Severity::kNote:
      return "info";
  }
  return "info";
}

std::string RenderGitlab(const LintReport& report) {
  json issues = json::array();
  std::map<std::string, int> uses;
  for (const TargetStatus& t : report.targets) {
    if (!t.error) continue;
    Finding stand_in;
    stand_in.rule_id = "read-error";
    stand_in.location.path = t.path;
    stand_in.subject = Subject::Text(*t.error);
    issues.push_back({{"type", "issue"},
                      {"check_name", "imglint/read-error"},
                      {"description", "cannot read " + std::string(TargetKindName(t.kind)) +
                                          " target: " + *t.error},
                      {"categories", json::array({"Bug Risk"})},
                      {"severity", "blocker"},
                      {"fingerprint", UniqueFingerprint(FingerprintOf(stand_in), &uses)},
                      {"location",
                       {{"path", RepositoryPath(t.path)},
                        {"lines", {{"begin", t.error_line > 0 ? t.error_line : 1}}}}}});
  }
  for (const Finding& f : report.findings) {
    json issue = {{"type", "issue"},
                  {"engine_name", "imglint"},
                  {"check_name", f.rule_id},
                  {"description", Description(f)},
                  {"categories", json::array({"Security"})},
                  {"severity", GitlabSeverity(f.severity)},
                  {"fingerprint", UniqueFingerprint(FingerprintOf(f), &uses)},
                  {"location",
                   {{"path", RepositoryPath(f.location.path)},
                    {"lines", {{"begin", f.location.line > 0 ? f.location.line : 1}}}}}};
    if (f.location.end_line > f.location.line) {
      issue["location"]["lines"]["end"] = f.location.end_line;
    }
    if (!f.recommendation.empty()) issue["content"] = {{"body", f.recommendation}};
    issues.push_back(std::move(issue));
  }
  return issues.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace imglint
