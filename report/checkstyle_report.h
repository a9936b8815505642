// SPDX-License-Identifier: Apache-2.0
/// Checkstyle XML (`--format checkstyle`), the lowest common denominator of
/// CI annotation tools (Jenkins warnings-ng, reviewdog, Bitbucket, …).
#pragma once

#include <string>

#include "report/report.h"

namespace imglint {

/// One well-formed XML 1.0 document in UTF-8: files in first-seen order
/// (findings are already sorted), unreadable targets as `imglint.read-error`.
std::string RenderCheckstyle(const LintReport& report);

}  // namespace imglint
