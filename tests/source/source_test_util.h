// SPDX-License-Identifier: Apache-2.0
/// Helpers for the credential and subprocess tests: real executable scripts
/// (credential helpers are programs found in PATH), and checks that a run left
/// no descriptor open and no child unreaped.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace imglint::testing {

/// Writes an executable /bin/sh script (mode 0755), creating parent folders.
inline void WriteScript(const std::string& path, const std::string& body) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  WriteFileBytes(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
}

/// Writes a file, creating parent folders.
inline void WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  WriteFileBytes(path, text);
}

/// Open descriptors of this process.
inline int OpenFdCount() {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)entry;
    ++count;
  }
  return count;
}

/// True when this process has any child, running or zombie (WNOWAIT: nothing
/// is reaped by asking).
inline bool HasChildren() {
  siginfo_t info{};
  return ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD;
}

/// True when process `pid` no longer runs (gone, or a zombie of another parent).
inline bool ProcessEnded(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z';
}

}  // namespace imglint::testing
