// SPDX-License-Identifier: Apache-2.0
/// `imglint fix` (docs/design.md §4, "Fixes"): lints the targets as `imglint`
/// does, plans the mechanical fixes (rules/engine.h), applies them in
/// memory, and lints the edited text again through the same pipeline: the
/// fixed findings must be gone and every other finding unchanged, or the
/// file is not touched. Then prints the edits as a unified diff, or with
/// --write replaces each file atomically (cli/atomic_write.h).
///
/// Exit codes: 0 nothing left to fix; 1 fixes planned (diff mode) or
/// findings left unfixed at or above --fail-on (as `imglint` counts them);
/// 2 an unreadable target, edits that failed verification, or a file that
/// could not be written.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/options.h"

namespace imglint {

struct FixOptions {
  bool write = false;
  std::vector<std::string> rules;  ///< --rule, IDs or names; empty: every rule with a fix
};

int RunFix(const CliOptions& options, const FixOptions& fix, std::ostream& out, std::ostream& err);

}  // namespace imglint
