// SPDX-License-Identifier: Apache-2.0
/// The one entry point from the command line's targets to the model the rules
/// read (docs/design.md §2): discovery (what each target is, what a directory
/// holds), reading (images and text targets at once within --jobs), the
/// status of every target, the sources kept for suppressions and excerpts,
/// then the analysis (analyze.h). An unreadable target is recorded, never
/// fatal; nothing throws for bad input.
///
/// New kinds of image targets plug in through `LoadRequest::read_image`: a
/// registry or a daemon yields an ImageTarget for a target string the way
/// ReadImage does for a path.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/image/image_reader.h"
#include "analyzer/manifest/yaml_types.h"
#include "analyzer/path_pattern.h"
#include "analyzer/source/base_image.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

/// Reads one image target as named on the command line (a path, "-", or,
/// with image sources, a reference or transport) into *out; false with *err.
using ImageReader = std::function<bool(const std::string& target, const ImageReadOptions& options,
                                       ImageTarget* out, std::string* err)>;

/// Told how the image reads progress, for a progress line. Called from the
/// reading threads.
class LoadObserver {
 public:
  virtual ~LoadObserver() = default;
  /// Whether Begin and per-layer progress are wanted (a callback per layer).
  virtual bool WantsProgress() const = 0;
  virtual void Begin(const std::string& target) = 0;
  virtual void Layers(const std::string& target, std::size_t done, std::size_t total) = 0;
  virtual void End(const std::string& target) = 0;
};

struct LoadRequest {
  std::vector<std::string> targets;      ///< as given: paths, directories, "-", references
  std::vector<std::string> dockerfiles;  ///< --dockerfile: Dockerfiles whatever their names
  std::vector<std::shared_ptr<const PathPattern>> exclude;  ///< skipped inside directories
  LintOptions options;                                      ///< runtime, --target, --build-arg
  ImageReadOptions image;  ///< --platform and image limits (jobs come from `jobs`)
  Limits yaml_limits;      ///< --max-yaml-*
  int jobs = 0;            ///< --jobs; 0 = number of cores
  ImageReader read_image;  ///< empty: ReadImage (paths and "-")
  /// The name standard input ("-") gets in reports (--stdin-name); empty:
  /// "<stdin>".
  std::string stdin_name;
  /// Text read instead of a file's, by target path: `imglint fix` lints its
  /// edits through the same pipeline before it writes them.
  std::map<std::string, std::string> text_overrides;
  /// --resolve-base: reads each Dockerfile's external base image; null = off.
  BaseImageResolver* resolve_base = nullptr;
  LoadObserver* observer = nullptr;
  /// Keep every Dockerfile's syntax tree and build model (DockerfileTarget's
  /// `ast` and `build`) once its facts exist: fix planning reads them. When
  /// false they are dropped as soon as the facts are computed, unless an
  /// image target or --resolve-base needs them for the image links; the rules
  /// read only the facts. Dropping them keeps a run over thousands of
  /// Dockerfiles from holding every tree until the end.
  bool keep_dockerfile_syntax = true;
};

/// Discovers, reads and analyses every target of `request`.
Workspace LoadWorkspace(const LoadRequest& request);

/// Reads `text` as a target of `kind` named `path` into `workspace` (its
/// status appended to workspace->targets), without analysing it: for
/// callers that hold a target's text already, such as tests.
void AddTextTarget(const std::string& path, TargetKind kind, std::string text,
                   const LoadRequest& request, Workspace* workspace);

}  // namespace imglint
