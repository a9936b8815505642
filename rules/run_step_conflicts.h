// SPDX-License-Identifier: Apache-2.0
/// Dockerfile RUN-step fixes that `imglint fix` must not make although each
/// is safe alone (docs/design.md §4, "Fixes"): two cuts in one command list,
/// and a chmod edit that would also fix a finding `--rule` left out. Both
/// turn the TextFix of the intents concerned into a refusal with the reason.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/fix/text_edit.h"
#include "rules/rule.h"

namespace imglint {

void RefuseOverlappingRunSteps(std::map<FixIntent, TextFix>* made);

/// `rules`: the rule IDs `--rule` selected; empty means all (nothing refused).
void RefuseChmodsOfUnselectedRules(const std::vector<Finding>& findings,
                                   const std::vector<FixRequest>& requests,
                                   const std::set<std::string>& rules,
                                   std::map<FixIntent, TextFix>* made);

}  // namespace imglint
