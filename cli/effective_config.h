// SPDX-License-Identifier: Apache-2.0
/// Merges the configuration file with command-line flags (flags win) and
/// remembers where each value came from, for `imglint config`.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cli/config_file.h"
#include "cli/options.h"

namespace imglint {

struct EffectiveSettings {
  std::map<std::string, std::string> origin;  // key -> "command line" | "file:line:col" | "default"

  /// Sets *value from the flag (already in *value when `from_flag`), else from
  /// the file, else keeps the default.
  void Resolve(const std::string& key, std::string* value, const ConfigFile& config, bool from_flag,
               const std::optional<std::string>& from_file);
};

/// YAML with a comment after each value naming its origin.
std::string RenderEffectiveConfig(const CliOptions& options, const EffectiveSettings& settings);

}  // namespace imglint
