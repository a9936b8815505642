// SPDX-License-Identifier: Apache-2.0
/// The stable JSON document of docs/design.md §4 (version 1; additive changes only).
#pragma once

#include <string>

#include "report/report.h"

namespace imglint {

/// Always one complete, valid UTF-8 document (invalid bytes from hostile
/// input are replaced with U+FFFD), ending with a newline.
/// `jobs` (--jobs; 0 = cores): threads that write the findings; the
/// document does not depend on it.
std::string RenderJson(const LintReport& report, const std::string& tool_version, int jobs = 1);

}  // namespace imglint
