// SPDX-License-Identifier: Apache-2.0
/// Inline suppressions in Dockerfiles and YAML (hadolint style):
///   # imglint ignore=IL301,setuid-file # reason
/// in the comment lines right above an instruction or YAML node silences
/// those rules there; `# imglint global ignore=…` anywhere silences them for
/// the whole file. An unknown rule in a pragma is itself a finding (IL001),
/// never silently accepted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/finding.h"

namespace imglint {

/// Drops the findings that a pragma in their own file suppresses (`sources`
/// maps each Dockerfile/YAML path to its text) and appends an IL001 note for
/// each unknown rule a pragma names. One pass over the findings, one sort:
/// linting 10,000 files stays linear.
void ApplyInlineSuppressions(const std::map<std::string, std::string>& sources,
                             std::vector<Finding>* findings);

}  // namespace imglint
