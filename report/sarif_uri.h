// SPDX-License-Identifier: Apache-2.0
/// Turns the paths findings carry (as given on the command line) into SARIF
/// artifact URIs: relative to the source root with uriBaseId %SRCROOT% when
/// inside it (what GitHub code scanning needs to place a result in the
/// repository), an absolute file:// URI otherwise.
#pragma once

#include <string>

namespace imglint {

inline constexpr char kSrcRootId[] = "%SRCROOT%";

struct ArtifactUri {
  std::string uri;        // percent-encoded
  bool relative = false;  // true: resolve against %SRCROOT%
};

class SarifUriMapper {
 public:
  /// Both directories absolute; relative finding paths are resolved against
  /// `working_dir` (where the user typed them), then made relative to `root`.
  /// Purely lexical: the renderer never touches the filesystem.
  SarifUriMapper(const std::string& root, const std::string& working_dir);

  ArtifactUri Map(const std::string& path) const;
  /// file:// URI of the root, ending with '/' as SARIF requires for a base.
  std::string RootUri() const;

 private:
  std::string root_;         // normalised, no trailing '/'
  std::string working_dir_;  // normalised
};

}  // namespace imglint
