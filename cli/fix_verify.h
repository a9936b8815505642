// SPDX-License-Identifier: Apache-2.0
/// The check every automatic fix passes before anyone sees it (docs/design.md
/// §4, "Fixes"): the planned edits are applied in memory and the edited text
/// is linted again through the same pipeline; a file's edits stand only when
/// the findings they fix are gone, every other finding's fingerprint is
/// unchanged, and no workload they were not for reads differently. `imglint
/// fix` writes or prints only verified files; SARIF offers only their fixes.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/workspace/load.h"
#include "rules/engine.h"

namespace imglint {

struct FixVerification {
  std::map<std::string, std::string> edited;    ///< each planned file's edited text
  std::set<std::string> verified;               ///< files whose edits passed
  std::map<std::string, std::string> failures;  ///< file -> why its edits failed
};

/// Applies `plan` (made for `findings` of `workspace`, both from `request`
/// and `engine`) in memory and lints the result with `request` again. Reads
/// every file target again; images, which manifest findings depend on but no
/// edit changes, are taken from `workspace`. Nothing is read when the plan
/// has no edits.
FixVerification VerifyFixes(LoadRequest request, const EngineOptions& engine,
                            const Workspace& workspace, const std::vector<Finding>& findings,
                            const FixPlan& plan);

/// "IL303 (path:line: message)", naming a finding in an error.
std::string DescribeFinding(const Finding& f);

}  // namespace imglint
