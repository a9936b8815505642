// SPDX-License-Identifier: Apache-2.0
/// The explicit, sorted list of rules. Adding a rule = one rule file + one
/// line in registry.cc (no static self-registration).
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace imglint {

/// All rules, ordered by ID. Built once, lives for the program.
std::span<const std::unique_ptr<Rule>> AllRules();
/// Finds a rule by ID ("IL201", case-insensitive) or name ("setuid-file").
const Rule* FindRule(std::string_view id_or_name);

}  // namespace imglint
