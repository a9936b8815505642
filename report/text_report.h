// SPDX-License-Identifier: Apache-2.0
/// Human-readable diagnostics in the clang/rustc shape:
/// `Dockerfile:5:1: error[IL101]: …`, the source line with a caret under the
/// offending token, `= help:` lines with the recommendation. Image findings
/// are grouped under their image (and platform) with the in-image path and
/// layer. Ends with a summary line. Output order is deterministic.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "report/report.h"

namespace imglint {

/// Returns the contents of a Dockerfile/YAML file named in a finding, or
/// nullopt when it cannot (or must not) be read.
using SourceReader = std::function<std::optional<std::string>(const std::string& path)>;

struct TextOptions {
  bool color = false;
  /// Called lazily, at most once per path, and only for findings with a line
  /// (never for an image). Unset: no source excerpts.
  SourceReader read_source;
};

std::string RenderText(const LintReport& report, const TextOptions& options);

}  // namespace imglint
