// SPDX-License-Identifier: Apache-2.0
/// Turns command-line targets into typed inputs: each path is recognised by
/// content (DESIGN §2), and a directory is searched for the inputs inside it.
#pragma once

#include <string>
#include <vector>

#include "report/report.h"

namespace imglint {

struct DiscoveredTarget {
  std::string path;
  TargetKind kind = TargetKind::kImage;
  std::string error;  // non-empty: cannot be read or recognised
};

/// `explicit_dockerfiles` are treated as Dockerfiles whatever their names.
std::vector<DiscoveredTarget> DiscoverTargets(const std::vector<std::string>& paths,
                                              const std::vector<std::string>& explicit_dockerfiles);

/// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* (case-insensitive).
bool IsDockerfileName(const std::string& filename);

}  // namespace imglint
