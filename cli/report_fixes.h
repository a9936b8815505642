// SPDX-License-Identifier: Apache-2.0
/// The fixes a lint report carries (SARIF `fixes`, docs/output-formats.md):
/// exactly those `imglint fix` would write for the same targets and options.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/workspace/load.h"
#include "report/report.h"
#include "rules/engine.h"

namespace imglint {

/// Plans the fixes of `findings` (linted from `request` with `engine`) and
/// verifies them as `imglint fix` does (cli/fix_verify.h): by fingerprint,
/// each finding's own edits in files that passed. A file whose edits fail
/// verification offers no fix at all.
std::map<std::string, ReportFix> VerifiedReportFixes(const LoadRequest& request,
                                                     const EngineOptions& engine,
                                                     const Workspace& workspace,
                                                     const std::vector<Finding>& findings);

}  // namespace imglint
