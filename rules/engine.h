// SPDX-License-Identifier: Apache-2.0
/// Runs every enabled rule over a workspace, applies severity overrides,
/// computes stable fingerprints, and sorts findings deterministically.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/path_pattern.h"
#include "analyzer/workspace.h"

namespace imglint {

struct EngineOptions {
  std::set<std::string> disabled_rules;                // rule IDs
  std::map<std::string, Severity> severity_overrides;  // rule ID -> severity
  /// In-image paths exempted per rule ID (allow-lists for IL201–IL203).
  std::map<std::string, std::vector<std::shared_ptr<const PathPattern>>> allow;
};

/// True when `finding` is about an in-image path the allow-list exempts.
bool IsAllowed(const EngineOptions& options, const Finding& finding);

/// Findings of all enabled rules, fingerprinted and sorted by
/// (path, line, column, platform, image path, rule).
std::vector<Finding> RunRules(const Workspace& workspace, const EngineOptions& options);

/// sha256(rule, path, platform, key) as 32 hex digits: independent of line
/// numbers so a baseline survives edits above an old finding.
std::string ComputeFingerprint(const Finding& finding);

/// Deterministic order used by every renderer.
void SortFindings(std::vector<Finding>* findings);

}  // namespace imglint
