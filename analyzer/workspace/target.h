// SPDX-License-Identifier: Apache-2.0
/// A target named on the command line (or found in a directory given there),
/// its kind and whether it could be read. Reported for every target, read or
/// not, in command-line order (docs/design.md §5: a target that cannot be read
/// makes the exit code 2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imglint {

enum class TargetKind { kImage, kDockerfile, kKubernetes, kCompose };
std::string_view TargetKindName(TargetKind kind);  // "image" | "dockerfile" | …

struct TargetStatus {
  std::string path;  // as given on the command line
  TargetKind kind = TargetKind::kImage;
  std::optional<std::string> error;  // why it could not be read
  /// Where an image came from when not a path: "registry 127.0.0.1:5000".
  std::string source;
  /// Where in the file the error is (Dockerfile/YAML), 0 = unknown.
  int error_line = 0;
  int error_column = 0;
};

}  // namespace imglint
