// SPDX-License-Identifier: Apache-2.0
/// Human-readable diagnostics in the clang/rustc shape:
/// `Dockerfile:5:1: error[IL101]: …`, the source line with a caret under the
/// offending token, `= help:` lines with the recommendation. Image findings
/// are grouped under their image (and platform) with the in-image path and
/// layer. Ends with a summary line. Output order is deterministic.
#pragma once

#include <string>

#include "report/report.h"

namespace imglint {

struct TextOptions {
  bool color = false;
};

/// Source excerpts come from LintReport::sources; a file larger than this is
/// not one a person reads, and gets none.
inline constexpr size_t kMaxExcerptSourceBytes = 16 << 20;

std::string RenderText(const LintReport& report, const TextOptions& options);

}  // namespace imglint
