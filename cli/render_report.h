// SPDX-License-Identifier: Apache-2.0
/// Chooses and runs the renderer for --format, with what each one needs from
/// the command line and the environment (colour, source files, SARIF root).
#pragma once

#include <string>

#include "cli/options.h"
#include "report/report.h"

namespace imglint {

/// The whole document for `options.format`.
std::string RenderReport(const LintReport& report, const CliOptions& options,
                         const std::string& tool_version);

/// What --color auto looks at.
struct ColorEnvironment {
  bool stdout_is_terminal = false;
  std::string no_color;  ///< $NO_COLOR; "" when unset
  std::string term;      ///< $TERM
  /// This process's standard output and environment.
  static ColorEnvironment Current();
};

/// --color: always; never; auto = stdout is a TTY, no --output, NO_COLOR
/// unset or empty (https://no-color.org) and TERM is not "dumb".
bool UseColor(ColorMode mode, bool to_file,
              const ColorEnvironment& env = ColorEnvironment::Current());

}  // namespace imglint
