// SPDX-License-Identifier: Apache-2.0
/// Inline suppressions in Dockerfiles and YAML (hadolint style):
///   # imglint ignore=IL301,setuid-file # reason
/// in the comment lines right above an instruction or YAML node silences
/// those rules there; `# imglint global ignore=…` anywhere silences them for
/// the whole file. An unknown rule in a pragma is itself a finding (IL001),
/// never silently accepted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/finding.h"

namespace imglint {

/// Drops the findings located in `path` that a pragma in `text` (the content
/// of `path`) suppresses, and appends an IL001 note for each unknown rule
/// named by a pragma.
void ApplyInlineSuppressions(const std::string& path, std::string_view text,
                             std::vector<Finding>* findings);

}  // namespace imglint
