// SPDX-License-Identifier: Apache-2.0
/// Runs the real imglint binary the way a user or CI does, so tests assert
/// exit codes, stdout and stderr end to end.
#pragma once

#include <map>
#include <optional>
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

/// Environment changes for one run: a value sets the variable, nullopt
/// removes it; everything else is inherited.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

/// RunImglint with `env` applied in the child only.
CliResult RunImglintWithEnv(const std::vector<std::string>& args, const EnvChanges& env,
                            const std::string& stdin_data = "", const std::string& cwd = "");

/// Runs any program the same way (no shell): `argv[0]` is looked up on PATH
/// (after `env` is applied), stdin gets `stdin_data`, and stdout and stderr
/// are collected. exit_code is 127 when the program could not be started and
/// 128 + the signal when it was killed.
CliResult RunCommand(const std::vector<std::string>& argv, const EnvChanges& env = {},
                     const std::string& stdin_data = "", const std::string& cwd = "");

/// The repository root, and ../shared (empty when absent).
std::string SourceDir();
/// The Python that Debian's python3-yaml belongs to: /usr/bin/python3 when
/// it exists (a python3 earlier in PATH, pyenv's say, may lack yaml), else
/// "python3".
std::string SystemPython();
std::string SharedDir();

}  // namespace imglint::testing
