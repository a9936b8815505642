// SPDX-License-Identifier: Apache-2.0
/// What one run produced, as handed to the renderers: the targets with their
/// read status, the sorted findings, and the text of the Dockerfiles and YAML
/// files read (for source excerpts: renderers never read files). Renderers
/// only format; they decide nothing (docs/design.md §4).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/fix/text_edit.h"
#include "analyzer/workspace/target.h"

namespace imglint {

/// The finding's fingerprint, or one computed the engine's way when a
/// hand-made finding has none (renderers must never emit an empty one).
std::string FingerprintOf(const Finding& finding);

/// The automatic fix of one finding, as `imglint fix` would make it and
/// verified the same way (SARIF `fixes`): edits by byte offset into
/// LintReport::sources of their path, normalized.
struct ReportFix {
  std::string description;  ///< what the edits do: "add … to spec.securityContext.sysctls"
  std::vector<TextEdit> edits;
};

struct LintReport {
  std::vector<TargetStatus> targets;
  std::vector<Finding> findings;
  /// Text of every Dockerfile and YAML target read, by path.
  std::map<std::string, std::string> sources;
  /// Problems that do not make a target unreadable ("Dockerfile:
  /// --resolve-base: cannot resolve …"), printed on stderr.
  std::vector<std::string> warnings;
  /// Verified fixes by finding fingerprint; filled only for formats that
  /// carry them (SARIF).
  std::map<std::string, ReportFix> fixes;

  /// Counts per severity, indexed by Severity.
  std::array<int, 3> Counts() const;
};

}  // namespace imglint
