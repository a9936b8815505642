// SPDX-License-Identifier: Apache-2.0
/// Inline suppressions in Dockerfiles and YAML (hadolint style):
///   # imglint ignore=IL301,setuid-file # reason
/// in the comment lines right above an instruction or YAML node silences
/// those rules there; `# imglint global ignore=…` anywhere silences them for
/// the whole file. An unknown rule in a pragma is itself a finding (IL001,
/// rules/invalid_suppression.cc), never silently accepted.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/pragma_scan.h"

namespace imglint {

/// One `# imglint [global] ignore=…` comment.
struct Pragma {
  bool global = false;
  int line = 0;    ///< 1-based line of the comment
  int column = 0;  ///< 1-based column of the rule list
  /// The first non-comment line below its comment block: what it covers.
  int target_line = 0;
  std::vector<std::pair<std::string, int>> rules;  ///< as written, with its column
};

/// The pragmas of one file's text, in order.
std::vector<Pragma> ParsePragmas(std::string_view text);

/// Drops the findings that a pragma in their own file suppresses (`sources`
/// maps each Dockerfile/YAML path to its text). Findings about a pragma
/// itself (Subject::Kind::kSuppression) are never suppressed. One pass over
/// the findings: linting 10,000 files stays linear.
/// `candidates`: the paths whose text MayHavePragmas (Workspace::pragma_sources);
/// no other file is looked at.
void ApplyInlineSuppressions(const std::map<std::string, std::string>& sources,
                             const std::set<std::string>& candidates,
                             std::vector<Finding>* findings);

}  // namespace imglint
