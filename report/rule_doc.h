// SPDX-License-Identifier: Apache-2.0
/// Rule documentation rendered from RuleMeta, the single source: `imglint
/// explain`, `imglint rules`, docs/rules/<ID>.md and SARIF help all use it.
#pragma once

#include <string>

#include "rules/rule.h"

namespace imglint {

/// The full page: title, what it does, why, how to fix, examples, references.
std::string RenderRuleMarkdown(const RuleMeta& meta);

/// `ID  name  severity  title` rows for every rule.
std::string RenderRuleTable();

}  // namespace imglint
