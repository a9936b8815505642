// SPDX-License-Identifier: Apache-2.0
/// A finding is the plain record every rule produces and every renderer reads
/// (DESIGN §4). Rules never format output; renderers never decide anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imglint {

/// Ordered by importance so `severity >= threshold` works. Maps 1:1 to SARIF level.
enum class Severity { kNote = 0, kWarning = 1, kError = 2 };

std::string_view SeverityName(Severity s);  // "note" | "warning" | "error"
/// Parses "error" | "warning" | "note"; returns false for anything else.
bool ParseSeverity(std::string_view text, Severity* out);

/// Where a finding is. `path` is the target as given on the command line.
/// Lines and columns are 1-based; 0 means "not known" (rendered as null).
struct Location {
  std::string path;
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;
  std::string image_path;    // absolute path inside the image, "/usr/bin/passwd"
  std::string layer_digest;  // "sha256:…" of the layer that wrote image_path
  std::string platform;      // "linux/arm64/v8" for multi-platform images
};

struct Finding {
  std::string rule_id;  // "IL201"; the engine fills name and default severity
  Severity severity = Severity::kWarning;
  std::string message;
  std::string recommendation;
  Location location;
  std::vector<Location> related;
  /// What identifies this finding independently of line numbers: the
  /// normalised instruction text, the in-image path, the YAML node path.
  /// The engine hashes rule + location.path + platform + this into `fingerprint`.
  std::string fingerprint_key;
  std::string fingerprint;
};

}  // namespace imglint
