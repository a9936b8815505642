// SPDX-License-Identifier: Apache-2.0
#include "cli/docs_command.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>

#include "cli/lint_run.h"
#include "report/rule_doc.h"
#include "rules/registry.h"

namespace imglint {

bool UpdateReadmeTable(std::string* readme) {
  static constexpr std::string_view kBegin = "<!-- rules:begin -->\n";
  static constexpr std::string_view kEnd = "<!-- rules:end -->";
  size_t begin = readme->find(kBegin);
  size_t end = readme->find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) return false;
  begin += kBegin.size();
  readme->replace(begin, end - begin, RenderReadmeRuleTable());
  return true;
}

int WriteRuleDocs(const std::string& dir, const std::string& readme, std::ostream& err) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto& rule : AllRules()) {
    std::string path = dir + "/" + std::string(rule->Meta().id) + ".md";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << RenderRuleMarkdown(rule->Meta());
    if (!out) {
      err << "imglint: " << path << ": cannot write\n";
      return kExitError;
    }
  }
  if (!readme.empty()) {
    std::ifstream in(readme, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!UpdateReadmeTable(&text)) {
      err << "imglint: " << readme << ": no <!-- rules:begin --> / <!-- rules:end --> markers\n";
      return kExitError;
    }
    std::ofstream out(readme, std::ios::binary | std::ios::trunc);
    out << text;
  }
  return kExitClean;
}

}  // namespace imglint
