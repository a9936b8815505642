// SPDX-License-Identifier: Apache-2.0
/// A finding is the plain record every rule produces and every renderer reads
/// (docs/design.md §4). Rules never format output; renderers never decide
/// anything.
#pragma once

#include <cstdint>
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

/// The privilege an in-image file carries, for a finding about the file.
enum class FilePrivilege : std::uint8_t { kNone, kSetuid, kSetgid, kCapability };

/// What a finding is about, typed. Two consumers read it instead of rule IDs:
/// the correlation of an image finding with the Dockerfile line behind it
/// (the USER line for a user, the EXPOSE word for a port, the chmod or setcap
/// word for a file), and the fingerprint, whose key Key() derives from it
/// without line numbers so a baseline survives edits above an old finding.
struct Subject {
  enum class Kind : std::uint8_t {
    kText,            ///< anything else: the key is `value` as is
    kUser,            ///< the user a container runs as: "user:<spec>"
    kGroup,           ///< the group it runs as: "group:<name>"
    kPort,            ///< a port an image exposes: "port:<spec>"
    kRootOnPort,      ///< root granted to bind a port: "root:<spec>"
    kFile,            ///< a file in an image: its path
    kBindCapability,  ///< a capability granted to bind a port: "cap:<file or step>"
    kBuildStep,       ///< a Dockerfile step: "run:…", "copy:…", "setcap:…"
    kExpose,          ///< a Dockerfile EXPOSE word: "expose:<raw>=<value>"
    kSetting,         ///< a Kubernetes or Compose setting: its YAML node path
    kSuppression,     ///< a name in an inline suppression: "pragma:<name>"
  };
  Kind kind = Kind::kText;
  std::string value;
  FilePrivilege privilege = FilePrivilege::kNone;  ///< for kFile

  /// The fingerprint key: a prefix naming the kind, then `value`.
  std::string Key() const;

  static Subject Text(std::string text) { return {Kind::kText, std::move(text)}; }
  static Subject User(std::string spec) { return {Kind::kUser, std::move(spec)}; }
  static Subject Group(std::string name) { return {Kind::kGroup, std::move(name)}; }
  static Subject Port(std::string spec) { return {Kind::kPort, std::move(spec)}; }
  static Subject RootOnPort(std::string spec) { return {Kind::kRootOnPort, std::move(spec)}; }
  static Subject File(std::string path, FilePrivilege privilege) {
    return {Kind::kFile, std::move(path), privilege};
  }
  static Subject BindCapability(std::string what) {
    return {Kind::kBindCapability, std::move(what)};
  }
  static Subject BuildStep(std::string key) { return {Kind::kBuildStep, std::move(key)}; }
  static Subject Expose(const std::string& raw, const std::string& value) {
    return {Kind::kExpose, raw + "=" + value};
  }
  static Subject Setting(std::string node_path) { return {Kind::kSetting, std::move(node_path)}; }
  static Subject Suppression(std::string name) { return {Kind::kSuppression, std::move(name)}; }
};

struct Finding {
  std::string rule_id;  // "IL201"; renderers look the name up in the registry
  Severity severity = Severity::kWarning;
  std::string message;
  std::string recommendation;
  Location location;
  std::vector<Location> related;
  Subject subject;
  /// sha256(rule, location.path, platform, image path, subject key), 32 hex
  /// digits, filled in by the engine.
  std::string fingerprint;
};

}  // namespace imglint
