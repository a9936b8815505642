// SPDX-License-Identifier: Apache-2.0
/// What one run produced, as handed to the renderers: the targets with their
/// read status and the sorted findings. Renderers only format; they decide
/// nothing (DESIGN §4).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/finding.h"

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

/// The finding's fingerprint, or one computed the engine's way when a
/// hand-made finding has none (renderers must never emit an empty one).
std::string FingerprintOf(const Finding& finding);

struct LintReport {
  std::vector<TargetStatus> targets;
  std::vector<Finding> findings;

  /// Counts per severity, indexed by Severity.
  std::array<int, 3> Counts() const;
};

}  // namespace imglint
