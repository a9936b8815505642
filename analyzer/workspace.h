// SPDX-License-Identifier: Apache-2.0
/// Everything one imglint invocation read, handed read-only to every rule.
/// Rules see all targets at once so they can correlate an image with the
/// Dockerfile that built it and the manifests that deploy it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/image/image.h"
#include "analyzer/runtime.h"

namespace imglint {

/// Options that change what rules conclude (not how output looks).
struct LintOptions {
  Runtime runtime = Runtime::kAuto;
  std::string target_stage;                        // --target
  std::map<std::string, std::string> build_args;   // --build-arg
};

struct Workspace {
  std::vector<ImageTarget> images;
  /// Text of every Dockerfile and YAML target by path, for pragmas and
  /// source excerpts.
  std::map<std::string, std::string> sources;
  LintOptions options;
};

}  // namespace imglint
