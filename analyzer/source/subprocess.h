// SPDX-License-Identifier: Apache-2.0
/// Runs a short-lived helper program (a Docker credential helper) and
/// collects its output, with the guarantees a library owes its host process:
/// no shell, stdin fed without SIGPIPE, every descriptor closed, the child
/// always reaped (no zombie), and a deadline after which the helper's whole
/// process group is killed, so a hung helper or a grandchild holding its
/// pipes cannot stall imglint.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

struct ProcessOptions {
  std::string stdin_data;
  std::chrono::milliseconds timeout{30000};
  /// stdout beyond this kills the helper (output_overflow); stderr beyond it
  /// is drained and dropped.
  std::size_t max_output_bytes = 1 << 20;
};

struct ProcessResult {
  int exit_status = -1;  // when it exited normally
  int signal = 0;        // the signal that ended it, else 0
  bool timed_out = false;
  bool output_overflow = false;
  std::string out;
  std::string err;
};

/// Runs the program at the absolute `path` with `argv` (argv[0] included) in
/// the caller's environment and its own process group. False only when it
/// could not be started (*err says why); a timeout or a failing exit status is
/// a ProcessResult.
bool RunProcess(const std::string& path, const std::vector<std::string>& argv,
                const ProcessOptions& options, ProcessResult* result, std::string* err);

/// The executable `name` found in the ':'-separated `search_path` (like
/// $PATH), or "" when none. Only absolute directories are searched: an empty
/// or relative entry would run a program from the current directory.
std::string FindExecutable(std::string_view name, std::string_view search_path);

}  // namespace imglint
