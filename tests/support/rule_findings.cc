// SPDX-License-Identifier: Apache-2.0
#include "tests/support/rule_findings.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {

namespace {

using json = nlohmann::json;

std::string StringOr(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

int IntOr(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<int>() : 0;
}

}  // namespace

std::vector<RuleFinding> LintForRule(const std::string& rule, const std::string& dir,
                                     const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"--format", "json", "--fail-on", "never"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CliResult result = RunImglint(argv, "", dir);
  std::vector<RuleFinding> out;
  if (result.exit_code != 0) {
    ADD_FAILURE() << "imglint exited with " << result.exit_code << ": " << result.err;
    return out;
  }
  const json doc = json::parse(result.out, nullptr, false);
  if (doc.is_discarded() || !doc.contains("findings")) {
    ADD_FAILURE() << "no JSON report: " << result.out << result.err;
    return out;
  }
  for (const json& f : doc["findings"]) {
    if (StringOr(f, "rule") != rule) continue;
    const json& at = f["location"];
    RuleFinding finding{.rule = rule,
                        .severity = StringOr(f, "severity"),
                        .path = StringOr(at, "path"),
                        .line = IntOr(at, "line"),
                        .column = IntOr(at, "column"),
                        .image_path = StringOr(at, "image_path"),
                        .layer_digest = StringOr(at, "layer_digest"),
                        .message = StringOr(f, "message"),
                        .recommendation = StringOr(f, "recommendation"),
                        .related = {}};
    for (const json& r : f["related"]) {
      std::string where = StringOr(r, "path");
      if (const int line = IntOr(r, "line")) where += ":" + std::to_string(line);
      finding.related.push_back(std::move(where));
    }
    out.push_back(std::move(finding));
  }
  return out;
}

std::string At(const RuleFinding& f) {
  std::string out = f.path;
  if (f.line != 0) out += ":" + std::to_string(f.line);
  if (!f.image_path.empty()) out += " " + f.image_path;
  return out;
}

void PrintTo(const RuleFinding& f, std::ostream* os) {
  *os << f.rule << " " << f.severity << " at " << f.path;
  if (f.line != 0) *os << ":" << f.line << ":" << f.column;
  if (!f.image_path.empty()) *os << " (" << f.image_path << ")";
  *os << ": " << f.message;
}

std::vector<RuleFinding> LintTextForRule(const std::string& rule, const std::string& name,
                                         const std::string& text, std::vector<std::string> args) {
  TempDir dir;
  WriteFileBytes(dir.File(name), text);
  args.push_back(name);
  return LintForRule(rule, dir.path(), args);
}

std::vector<std::string> Located(const std::vector<RuleFinding>& findings) {
  std::vector<std::string> out;
  for (const RuleFinding& f : findings) out.push_back(At(f) + " " + f.message);
  return out;
}

}  // namespace imglint::testing
