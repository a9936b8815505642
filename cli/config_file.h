// SPDX-License-Identifier: Apache-2.0
/// `.imglint.yaml`: the team's settings (docs/design.md §6), found from the current
/// directory upwards or given with --config. Validation is strict and
/// helpful: an unknown key names the closest valid one, a bad pattern names
/// the pattern and the RE2 error, an unknown rule is named.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/path_pattern.h"

namespace imglint {

struct ConfigFile {
  std::string path;  // where it was read from; empty when none
  std::optional<std::string> fail_on;
  std::optional<std::string> runtime;
  std::optional<std::string> resolve_base;   // "off", "config" or "full"
  std::vector<std::string> ignore;           // rule IDs
  std::map<std::string, Severity> severity;  // rule ID -> severity
  std::map<std::string, std::vector<std::shared_ptr<const PathPattern>>> allow;  // rule ID
  std::vector<std::shared_ptr<const PathPattern>> exclude;
  /// `limits:` section: limit name (cli/limit_flags.h) -> validated value.
  std::map<std::string, std::uint64_t> limits;
  /// "file:line" for each key that was set, for `imglint config`.
  std::map<std::string, std::string> origin;
};

/// The nearest `.imglint.yaml` (or `.imglint.yml`) in `start` or a parent.
std::optional<std::filesystem::path> FindConfigUpwards(const std::filesystem::path& start);

/// Parses `text` read from `path`. On failure returns false with
/// `path:line:col: reason` in *err.
bool ParseConfig(const std::string& text, const std::string& path, ConfigFile* out,
                 std::string* err);

/// Reads and parses the file at `path`.
bool LoadConfig(const std::string& path, ConfigFile* out, std::string* err);

/// The valid top-level keys, for suggestions and docs.
const std::vector<std::string>& ConfigKeys();

}  // namespace imglint
