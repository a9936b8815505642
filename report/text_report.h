// SPDX-License-Identifier: Apache-2.0
/// Human-readable diagnostics in the clang/rustc shape:
/// `Dockerfile:5:1: error[IL101]: …` followed by `= help:` lines.
#pragma once

#include <string>

#include "report/report.h"

namespace imglint {

struct TextOptions {
  bool color = false;
};

std::string RenderText(const LintReport& report, const TextOptions& options);

}  // namespace imglint
