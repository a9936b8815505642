// SPDX-License-Identifier: Apache-2.0
/// Runs the real imglint binary the way a user or CI does, so tests assert
/// exit codes, stdout and stderr end to end.
#pragma once

#include <string>
#include <vector>

namespace imglint::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs IMGLINT_BINARY with `args` (no shell), optionally feeding `stdin_data`,
/// from `cwd` (empty = current directory).
CliResult RunImglint(const std::vector<std::string>& args, const std::string& stdin_data = "",
                     const std::string& cwd = "");

/// The repository root, and ../shared (empty when absent).
std::string SourceDir();
std::string SharedDir();

}  // namespace imglint::testing
