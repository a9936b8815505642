// SPDX-License-Identifier: Apache-2.0
#include "rules/registry.h"

#include <algorithm>
#include <cctype>

namespace imglint {

// One factory per rule file.
std::unique_ptr<Rule> MakeInvalidSuppression();
std::unique_ptr<Rule> MakeWindowsImage();
std::unique_ptr<Rule> MakeRootUser();
std::unique_ptr<Rule> MakeUnknownUser();
std::unique_ptr<Rule> MakeSetuidFile();
std::unique_ptr<Rule> MakeSetgidFile();
std::unique_ptr<Rule> MakeFileCapability();
std::unique_ptr<Rule> MakePrivilegedPort();
std::unique_ptr<Rule> MakeInvalidPort();
std::unique_ptr<Rule> MakeMissingPortSysctl();
std::unique_ptr<Rule> MakePortPrivilegeInsteadOfSysctl();

namespace {

std::vector<std::unique_ptr<Rule>> BuildRules() {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(MakeInvalidSuppression());            // IL001
  rules.push_back(MakeWindowsImage());                  // IL002
  rules.push_back(MakeRootUser());                      // IL101
  rules.push_back(MakeUnknownUser());                   // IL102
  rules.push_back(MakeSetuidFile());                    // IL201
  rules.push_back(MakeSetgidFile());                    // IL202
  rules.push_back(MakeFileCapability());                // IL203
  rules.push_back(MakePrivilegedPort());                // IL301
  rules.push_back(MakeInvalidPort());                   // IL302
  rules.push_back(MakeMissingPortSysctl());             // IL303
  rules.push_back(MakePortPrivilegeInsteadOfSysctl());  // IL304
  return rules;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::span<const std::unique_ptr<Rule>> AllRules() {
  static const std::vector<std::unique_ptr<Rule>> rules = BuildRules();
  return rules;
}

const Rule* FindRule(std::string_view id_or_name) {
  for (const auto& rule : AllRules()) {
    if (EqualsIgnoreCase(rule->Meta().id, id_or_name) || rule->Meta().name == id_or_name) {
      return rule.get();
    }
  }
  return nullptr;
}

}  // namespace imglint
