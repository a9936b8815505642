// SPDX-License-Identifier: Apache-2.0
/// GitLab Code Quality report (`--format gitlab`): the JSON array the merge
/// request widget reads from `artifacts:reports:codequality`.
#pragma once

#include <string>

#include "report/report.h"

namespace imglint {

/// GitLab's levels are info, minor, major, critical, blocker: an imglint
/// error blocks a deployment in practice (critical), a warning is major, a
/// note is info; blocker is kept for targets imglint could not read at all.
std::string_view GitlabSeverity(Severity severity);

/// One complete JSON array, valid UTF-8, ending with a newline.
std::string RenderGitlab(const LintReport& report);

}  // namespace imglint
