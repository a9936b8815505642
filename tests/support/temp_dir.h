// SPDX-License-Identifier: Apache-2.0
/// A temporary directory for one test, removed with everything in it when the
/// object goes out of scope, so tests never leave image files behind.
#pragma once

#include <string>
#include <string_view>

namespace imglint::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// path() + "/" + name (nothing is created).
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

/// Whole contents of a file; throws std::runtime_error when unreadable.
std::string ReadFileBytes(const std::string& path);
/// Writes (replaces) a file; throws std::runtime_error on failure.
void WriteFileBytes(const std::string& path, std::string_view data);

}  // namespace imglint::testing
