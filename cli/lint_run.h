// SPDX-License-Identifier: Apache-2.0
/// One lint run: read every target (an unreadable one is recorded, never
/// fatal), run the rules, render, and compute the exit code (docs/design.md §5).
#pragma once

#include <iosfwd>

#include "analyzer/workspace/load.h"
#include "cli/options.h"
#include "report/report.h"
#include "rules/engine.h"

namespace imglint {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

/// The load request and the engine options a lint run uses, for commands
/// that run the same pipeline (`imglint fix`).
LoadRequest MakeLoadRequest(const CliOptions& options);
EngineOptions MakeEngineOptions(const CliOptions& options);

/// Reads the targets and runs the rules; never throws for bad input.
LintReport Lint(const CliOptions& options);

/// Lints, writes the report to --output or `out`, names unreadable targets on
/// `err`, and returns the exit code.
int RunLint(const CliOptions& options, std::ostream& out, std::ostream& err);

}  // namespace imglint
