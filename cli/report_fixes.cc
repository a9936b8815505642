// SPDX-License-Identifier: Apache-2.0
#include "cli/report_fixes.h"

#include "cli/fix_verify.h"
#include "rules/engine.h"

namespace imglint {

// Plan and verify, not plan only: a SARIF consumer applies a fix without
// imglint watching, so it must never be offered one `imglint fix` would
// refuse to write (an edit that reaches another workload through an anchor,
// or leaves the finding in place). The price is a second read of the file
// targets (images are reused), paid only when some fix is planned.
std::map<std::string, ReportFix> VerifiedReportFixes(const LoadRequest& request,
                                                     const EngineOptions& engine,
                                                     const Workspace& workspace,
                                                     const std::vector<Finding>& findings) {
  std::map<std::string, ReportFix> out;
  const FixPlan plan = PlanFixes(workspace, findings, {});
  if (plan.edits.empty()) return out;
  const FixVerification check = VerifyFixes(request, engine, workspace, findings, plan);
  for (size_t i = 0; i < findings.size(); ++i) {
    const FindingFix& own = plan.finding_fixes[i];
    if (plan.outcomes[i].status != FixOutcome::Status::kPlanned || own.edits.empty()) continue;
    bool verified = true;
    for (const TextEdit& e : own.edits) verified = verified && check.verified.count(e.path) > 0;
    if (verified) out[findings[i].fingerprint] = ReportFix{own.summary, own.edits};
  }
  return out;
}

}  // namespace imglint
