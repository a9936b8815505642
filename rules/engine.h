// SPDX-License-Identifier: Apache-2.0
/// The only producer of findings (docs/design.md §2): runs every enabled rule
/// over an analysed workspace, then applies to every finding alike the
/// allow-lists, severity overrides, fingerprints, the Dockerfile locations
/// behind image findings, a deterministic order, and inline suppressions.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/fix/text_edit.h"
#include "analyzer/path_pattern.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

struct EngineOptions {
  std::set<std::string> disabled_rules;                // rule IDs
  std::map<std::string, Severity> severity_overrides;  // rule ID -> severity
  /// In-image paths exempted per rule ID (allow-lists for IL201–IL203).
  std::map<std::string, std::vector<std::shared_ptr<const PathPattern>>> allow;
  /// Threads the rules run on (--jobs; 0 = cores). Findings do not depend on it.
  int jobs = 1;
};

/// True when `finding` is about an in-image path the allow-list exempts.
bool IsAllowed(const EngineOptions& options, const Finding& finding);

/// Findings of all enabled rules, fingerprinted, sorted by (path, line,
/// column, platform, image path, rule), with inline suppressions applied.
std::vector<Finding> RunRules(const Workspace& workspace, const EngineOptions& options);

/// sha256(rule, path, platform, image path, subject key) as 32 hex digits:
/// independent of line numbers so a baseline survives edits above an old
/// finding.
std::string ComputeFingerprint(const Finding& finding);

/// Deterministic order used by every renderer.
void SortFindings(std::vector<Finding>* findings);

// Fixes (docs/design.md §4, "Fixes"), planned in rules/engine_fixes.cc: each
// finding's rule says what its fix needs (Rule::PlanFix), every distinct
// change is made once as text edits, and each finding is fixed, refused (and
// why) or has no automatic fix. A finding is fixed only when every change it
// needs can be made.

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
