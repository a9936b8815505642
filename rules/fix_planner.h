// SPDX-License-Identifier: Apache-2.0
/// Plans `imglint fix` (docs/design.md §4, "Fixes"): asks each finding's rule
/// what its fix needs (Rule::PlanFix), makes every distinct change once as
/// text edits (analyzer/manifest/manifest_fix.h), and says for each finding
/// whether it is fixed, refused (and why) or has no automatic fix. A finding
/// is fixed only when every change it needs can be made.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/fix/text_edit.h"
#include "rules/rule.h"

namespace imglint {

/// What the plan does about one finding.
struct FixOutcome {
  enum class Status { kNoFix, kPlanned, kRefused, kNotSelected };
  Status status = Status::kNoFix;
  std::string refusal;  ///< for kRefused
};

/// The edits of one planned finding's own changes (normalized) and what
/// they do, "; "-joined: a SARIF result's `fixes` entry.
struct FindingFix {
  std::vector<TextEdit> edits;
  std::string summary;
};

/// One change made, for the report: "add … to spec.securityContext.sysctls".
struct FixChange {
  std::string path;
  int line = 0;  ///< where its first edit starts
  std::string summary;
};

struct FixPlan {
  std::vector<FixOutcome> outcomes;       ///< one per finding, in the findings' order
  std::vector<FindingFix> finding_fixes;  ///< likewise; empty unless kPlanned
  /// The edits per file, normalized (sorted, no overlaps).
  std::map<std::string, std::vector<TextEdit>> edits;
  std::vector<FixChange> changes;
  /// Files whose edits conflict: path -> why (nothing is changed there).
  std::map<std::string, std::string> errors;
  /// Fingerprints of every finding, of any rule, whose changes the plan
  /// makes: they must be gone once the edits are applied, and only they.
  std::set<std::string> covered;
  /// Per file, the workloads (Kubernetes objects or Compose services, by
  /// their index in the file) the edits are for: re-read, every other one
  /// must be unchanged (an edit must not reach them through an anchor).
  std::map<std::string, std::set<size_t>> targets;
};

/// Plans the fixes for `findings` on `workspace` (whose sources hold each
/// file's text). `rules`: the rule IDs to fix; empty means all.
FixPlan PlanFixes(const Workspace& workspace, const std::vector<Finding>& findings,
                  const std::set<std::string>& rules);

}  // namespace imglint
