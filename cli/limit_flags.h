// SPDX-License-Identifier: Apache-2.0
/// The resource limits that keep hostile input bounded (docs/design.md §8,
/// docs/limits.md), as one table: each limit has a name that is both its
/// command-line flag (`--max-path-length 8192`) and its key in the `limits:`
/// section of .imglint.yaml (`limits: {max-path-length: 8192}`). The flag
/// wins over the file, the file over the default. Values are whole numbers,
/// with an optional binary suffix for sizes (`64K`, `16M`, `64G`, `1T`, or
/// `KiB`/`MiB`/`GiB`/`TiB`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/image_reader.h"
#include "analyzer/manifest/yaml_types.h"

namespace CLI {
class App;
}  // namespace CLI

namespace imglint {

/// Every limit of one lint run.
struct LintLimits {
  ImageLimits image;
  Limits yaml;
};

/// One row of the limit table, for flags, config keys, docs and `imglint config`.
struct LimitInfo {
  std::string_view name;  // flag without "--" and config key
  std::string_view help;
  bool is_size;       // bytes: suffixes are meaningful in the help
  std::uint64_t max;  // largest accepted value
  std::uint64_t (*get)(const LintLimits&);
  void (*set)(LintLimits*, std::uint64_t);
};

const std::vector<LimitInfo>& LimitTable();

/// Parses "4096", "64M", "16MiB", "1G"... into *value; on failure *err says why.
bool ParseLimitValue(std::string_view text, const LimitInfo& info, std::uint64_t* value,
                     std::string* err);

/// Values given on the command line, by limit name.
struct LimitFlags {
  std::map<std::string, std::string> given;
};

/// Adds `--<name> N` for every limit (group "Limits"); values are validated
/// while parsing, so a bad one is a usage error naming the flag.
void AddLimitFlags(CLI::App& app, LimitFlags* flags);

/// Defaults, then `limits:` from the configuration file, then the flags.
/// Both inputs were validated already.
LintLimits ResolveLimits(const LimitFlags& flags,
                         const std::map<std::string, std::uint64_t>& from_config);

/// "limit-name: value  # origin" lines for `imglint config`.
std::string RenderLimits(const LimitFlags& flags,
                         const std::map<std::string, std::uint64_t>& from_config,
                         const std::string& config_origin);

}  // namespace imglint
