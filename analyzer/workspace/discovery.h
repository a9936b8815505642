// SPDX-License-Identifier: Apache-2.0
/// Turns command-line targets into typed inputs: each path is recognised by
/// content (docs/design.md §2), and a directory is searched for the inputs inside it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/manifest/yaml_types.h"
#include "analyzer/path_pattern.h"
#include "analyzer/workspace/target.h"

namespace imglint {

struct DiscoveredTarget {
  std::string path;
  TargetKind kind = TargetKind::kImage;
  std::string error;          // non-empty: cannot be read or recognised
  bool regular_file = false;  // known to be a regular file (not a FIFO or device)
};

/// `explicit_dockerfiles` are treated as Dockerfiles whatever their names.
/// Inside a directory, paths relative to it that match `exclude` or a
/// pattern in its `.imglintignore` are skipped; `.git` always is.
/// YAML is classified under `yaml_limits` (--max-yaml-*).
std::vector<DiscoveredTarget> DiscoverTargets(
    const std::vector<std::string>& paths, const std::vector<std::string>& explicit_dockerfiles,
    const std::vector<std::shared_ptr<const PathPattern>>& exclude = {},
    const Limits& yaml_limits = Limits());

/// Dockerfile, Containerfile, Dockerfile.* / -* / _*, *.Dockerfile / *-Dockerfile /
/// *_Dockerfile, and the same for Containerfile (case-insensitive).
bool IsDockerfileName(const std::string& filename);

/// A Dockerfile by content: `head` (the first bytes, text) has FROM or ARG as
/// its first instruction after blank lines, comments and parser directives.
bool LooksLikeDockerfile(const std::string& head);

}  // namespace imglint
