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
#include "analyzer/path_pattern.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

struct EngineOptions {
  std::set<std::string> disabled_rules;                // rule IDs
  std::map<std::string, Severity> severity_overrides;  // rule ID -> severity
  /// In-image paths exempted per rule ID (allow-lists for IL201–IL203).
  std::map<std::string, std::vector<std::shared_ptr<const PathPattern>>> allow;
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

}  // namespace imglint
