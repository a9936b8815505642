// SPDX-License-Identifier: Apache-2.0
/// Rule documentation rendered from RuleMeta, the single source: `imglint
/// explain`, `imglint rules`, docs/rules/<ID>.md and SARIF help all use it.
#pragma once

#include <string>

#include "rules/rule.h"

namespace imglint {

/// The full page: title, what it does, why, how to fix, examples, references.
std::string RenderRuleMarkdown(const RuleMeta& meta);

/// The part of the page a SARIF viewer shows under a result: why, how to fix
/// (with the sysctl snippet where it applies), references. Markdown.
std::string RenderRuleHelpMarkdown(const RuleMeta& meta);

/// The same help as plain text: headings become plain lines, the Markdown of
/// the prose is kept because it reads fine as text.
std::string RenderRuleHelpText(const RuleMeta& meta);

/// `ID  name  severity  title` rows for every rule.
std::string RenderRuleTable();

/// The same as a JSON array of {id, name, severity, title, cwe}.
std::string RenderRuleJson();

/// The Markdown table for the README (between the rules markers).
std::string RenderReadmeRuleTable();

}  // namespace imglint
