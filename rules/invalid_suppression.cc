// SPDX-License-Identifier: Apache-2.0
// IL001 invalid-suppression: a pragma names a rule that does not exist.
#include <memory>
#include <string>

#include "rules/registry.h"
#include "rules/rule.h"
#include "rules/suppression.h"

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

  // Every Dockerfile and YAML target: each name in a pragma that is neither
  // a rule ID nor a rule name.
  void Check(const Workspace& workspace, Emitter& emit) const override {
    for (const std::string& path : workspace.pragma_sources) {
      const auto source = workspace.sources.find(path);
      if (source == workspace.sources.end()) continue;
      for (const Pragma& pragma : ParsePragmas(source->second)) {
        for (const auto& [name, column] : pragma.rules) {
          if (FindRule(name) != nullptr) continue;
          Location at;
          at.path = path;
          at.line = pragma.line;
          at.column = column;
          emit.Report("unknown rule \"" + name + "\" in an imglint pragma; it suppresses nothing",
                      "use a rule ID or name from `imglint rules`", std::move(at),
                      Subject::Suppression(name));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeInvalidSuppression() { return std::make_unique<InvalidSuppression>(); }

}  // namespace imglint
