// SPDX-License-Identifier: Apache-2.0
/// Everything one imglint invocation read and concluded, handed read-only to
/// every rule (docs/design.md §2). LoadWorkspace (load.h) builds it: the
/// targets as read, then the facts Analyze (analyze.h) computes once — per
/// image, per Dockerfile (on DockerfileTarget::facts), per image built by a
/// linted Dockerfile (links), per Kubernetes container and Compose service.
/// Rules see all targets at once so they can correlate an image with the
/// Dockerfile that built it and the manifests that deploy it.
///
/// Facts point into the targets, so a Workspace is moved, never copied.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"
#include "analyzer/dockerfile/facts.h"
#include "analyzer/image/image.h"
#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/kube_model.h"
#include "analyzer/runtime.h"
#include "analyzer/source/base_image.h"
#include "analyzer/workspace/build_link.h"
#include "analyzer/workspace/container_facts.h"
#include "analyzer/workspace/image_facts.h"
#include "analyzer/workspace/target.h"
#include "analyzer/workspace/user_resolution.h"

namespace imglint {

/// Options that change what the analysis concludes (not how output looks).
struct LintOptions {
  Runtime runtime = Runtime::kAuto;
  std::string target_stage;                       // --target
  std::map<std::string, std::string> build_args;  // --build-arg
};

/// A parsed Dockerfile with its build semantics and facts.
struct DockerfileTarget {
  std::string path;  // as given on the command line
  dockerfile::Dockerfile ast;
  dockerfile::BuildModel build;
  dockerfile::Facts facts;
  /// The (first) image this Dockerfile built, when linted together; set by Analyze.
  const BuildLink* link = nullptr;
  /// Who the final stage runs as (ResolveFinalUser against the linked image,
  /// else the resolved base); nullopt without a target stage or when its
  /// USER cannot be expanded.
  std::optional<ResolvedUser> final_user;
  /// The external base image (facts.final_user->external_base) as
  /// --resolve-base read it; null when not asked for or not readable.
  std::shared_ptr<const BaseImage> base;
  std::string base_error;  ///< why --resolve-base could not read it
  /// The base's setuid, setgid and capability files (--resolve-base=full)
  /// that no step of the build may change: the final image has them as they
  /// are. Empty when a built image of this Dockerfile is linted too (that
  /// image is judged instead).
  std::vector<const FileEntry*> inherited_files;
  /// The base is a Windows image (its config's os, or a well-known Windows
  /// name when it was not read): Linux-only rules do not apply.
  bool windows = false;
};

struct Workspace {
  Workspace() = default;
  Workspace(Workspace&&) = default;
  Workspace& operator=(Workspace&&) = default;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  /// Every target, read or not, in command-line (then directory) order.
  std::vector<TargetStatus> targets;
  std::vector<ImageTarget> images;
  std::vector<DockerfileTarget> dockerfiles;
  std::vector<KubeFile> kubernetes;
  std::vector<ComposeFile> compose;
  /// Text of every Dockerfile and YAML target by path, for inline
  /// suppressions and source excerpts.
  std::map<std::string, std::string> sources;
  /// The paths in `sources` whose text may hold an inline suppression
  /// (MayHavePragmas), tested while each file was read: the rules look at
  /// these only, not at every text again on one thread.
  std::set<std::string> pragma_sources;
  LintOptions options;

  // Facts, computed once by Analyze.
  std::vector<ImageFacts> image_facts;  ///< every platform image of every image target
  std::vector<BuildLink> links;         ///< images paired with the Dockerfile that built them
  std::vector<PodFacts> pods;           ///< every Kubernetes pod spec, in file order
  std::vector<ContainerFacts> containers;
  std::vector<ServiceFacts> services;  ///< every Compose service, in file order
};

}  // namespace imglint
