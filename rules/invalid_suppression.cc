// SPDX-License-Identifier: Apache-2.0
// IL001 invalid-suppression: a pragma names a rule that does not exist.
// Findings come from the suppression pass (rules/suppression.cc), which is the
// only place that reads pragmas; this file carries the rule's documentation.
#include <memory>

#include "rules/rule.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL001",
    .name = "invalid-suppression",
    .title = "Suppression names an unknown rule",
    .severity = Severity::kNote,
    .rationale = R"md(An `# imglint ignore=…` pragma that names a rule imglint does not know
suppresses nothing: usually a typo (`IL21` for `IL201`) or a rule name from another linter.
Reporting it keeps suppressions honest instead of silently accepting them.)md",
    .remediation = R"md(Use a rule ID or name from `imglint rules`, e.g.

```dockerfile
# imglint ignore=IL301 # the load balancer maps 443 to this port
EXPOSE 443
```)md",
    .bad_example = "FROM alpine\n# imglint ignore=IL31\nEXPOSE 80\n",
    .good_example = "FROM alpine\n# imglint ignore=IL301\nEXPOSE 80\n",
    .references =
        R"md(- [hadolint inline ignores](https://github.com/hadolint/hadolint#inline-ignores))md",
    .cwe = "CWE-1164",
    .precision = "very-high",
    .security_severity = "",
};

class InvalidSuppression final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }
  void Check(const Workspace&, Emitter&) const override {}
};

}  // namespace

std::unique_ptr<Rule> MakeInvalidSuppression() { return std::make_unique<InvalidSuppression>(); }

}  // namespace imglint
