// SPDX-License-Identifier: Apache-2.0
/// Everything one imglint invocation read, handed read-only to every rule.
/// Rules see all targets at once so they can correlate an image with the
/// Dockerfile that built it and the manifests that deploy it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"
#include "analyzer/image/image.h"
#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/kube_model.h"
#include "analyzer/runtime.h"

namespace imglint {

/// Options that change what rules conclude (not how output looks).
struct LintOptions {
  Runtime runtime = Runtime::kAuto;
  std::string target_stage;                       // --target
  std::map<std::string, std::string> build_args;  // --build-arg
};

/// A parsed Dockerfile with its build semantics (stages, users, ports).
struct DockerfileTarget {
  std::string path;  // as given on the command line
  dockerfile::Dockerfile ast;
  dockerfile::BuildModel build;
};

struct Workspace {
  std::vector<ImageTarget> images;
  std::vector<DockerfileTarget> dockerfiles;
  std::vector<KubeFile> kubernetes;
  std::vector<ComposeFile> compose;
  /// Text of every Dockerfile and YAML target by path, for pragmas and
  /// source excerpts.
  std::map<std::string, std::string> sources;
  LintOptions options;
};

}  // namespace imglint
