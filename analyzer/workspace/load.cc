// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/load.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <utility>

#include "analyzer/dockerfile/parser.h"
#include "analyzer/manifest/classify.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"
#include "analyzer/parallel.h"
#include "analyzer/pragma_scan.h"
#include "analyzer/workspace/analyze.h"
#include "analyzer/workspace/discovery.h"
#include "analyzer/workspace/read_text.h"
#include "analyzer/workspace/resolve_bases.h"

namespace imglint {
namespace {

// One target as read, before it joins the workspace in command-line order.
// All slots are made before the reading starts, so the models are held by
// pointer: slots for 2,000 targets are a few hundred KiB, not megabytes the
// main thread zeroes (a DockerfileTarget alone is over 1 KiB) while the
// reading threads wait.
struct Loaded {
  TargetStatus status;
  std::unique_ptr<ImageTarget> image;
  std::unique_ptr<DockerfileTarget> dockerfile;
  std::unique_ptr<KubeFile> kube;
  std::unique_ptr<ComposeFile> compose;
  std::string text;               // Dockerfile and YAML targets: kept for suppressions and excerpts
  bool may_have_pragmas = false;  // MayHavePragmas(text)
  std::string input;              // what to open: status.path, or "-" for standard input
  bool text_read = false;         // standard input: `text` holds it already
  bool regular_file = false;      // discovery knows `input` is a regular file
  std::string stdin_prefix;       // standard input, an image: the bytes read to recognise it
};

// Standard input is recognised by content like a file (docs/design.md §2): a tarball
// is streamed to the image reader after the bytes read here; text is read
// whole (up to the text limit) and classified as a Dockerfile or YAML.
void RecognizeStdin(const LoadRequest& request, Loaded* item) {
  item->input = "-";
  std::string head;
  char buffer[64 * 1024];
  while (head.size() < sizeof buffer) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer - head.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    head.append(buffer, static_cast<size_t>(n));
  }
  // Through a string_view: assigning the literal makes GCC 12 -O3 warn falsely (-Wrestrict).
  const std::string_view name =
      request.stdin_name.empty() ? std::string_view("<stdin>") : request.stdin_name;
  item->status.path.assign(name);
  if (StartsWithTarHeader(head)) {
    item->status.kind = TargetKind::kImage;
    item->stdin_prefix = std::move(head);
    return;
  }
  if (head.empty()) {
    item->status.error = "standard input is empty";
    return;
  }
  if (head.find('\0') != std::string::npos) {
    item->status.error =
        "not recognised: standard input is binary but not a tar archive (a compressed "
        "tarball must be decompressed first, as for docker load)";
    return;
  }
  item->text = std::move(head);
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    item->text.append(buffer, static_cast<size_t>(n));
    if (item->text.size() > kMaxTextTargetBytes) {
      item->status.error = "standard input is larger than 64 MiB";
      return;
    }
  }
  item->text_read = true;
  if (LooksLikeDockerfile(item->text.substr(0, 64 << 10))) {
    item->status.kind = TargetKind::kDockerfile;
    return;
  }
  ReadError error;
  switch (ClassifyYaml(item->text, &error, request.yaml_limits)) {
    case YamlKind::kKubernetes:
    case YamlKind::kHelmTemplate:
      item->status.kind = TargetKind::kKubernetes;
      return;
    case YamlKind::kCompose:
      item->status.kind = TargetKind::kCompose;
      return;
    case YamlKind::kInvalid:
    case YamlKind::kOther:
      break;
  }
  item->status.error =
      "not recognised: standard input is not an image tarball, Dockerfile, Kubernetes manifest "
      "or Compose file";
}

void ParseDockerfileTarget(const LintOptions& options, bool keep_syntax, Loaded* loaded) {
  TargetStatus& status = loaded->status;
  auto made = std::make_unique<DockerfileTarget>();
  DockerfileTarget& target = *made;
  target.path = status.path;
  dockerfile::ParseError error;
  if (!dockerfile::ParseDockerfile(loaded->text, &target.ast, &error) ||
      !dockerfile::CheckKnownInstructions(target.ast, &error)) {
    status.error = error.message;
    status.error_line = error.line;
    status.error_column = error.column;
    return;
  }
  target.build = dockerfile::AnalyzeBuild(
      target.ast, {.target = options.target_stage, .build_args = options.build_args});
  if (target.build.target < 0) {
    // No stage to lint: no FROM at all, or --target names no stage.
    status.error = target.build.diagnostics.empty() ? "no build stage"
                                                    : target.build.diagnostics.back().message;
    return;
  }
  target.facts = dockerfile::AnalyzeDockerfile(target.path, loaded->text, target.ast, target.build);
  if (!keep_syntax) {
    // Freed here, on the reading thread, so the next Dockerfile reuses the memory.
    target.ast = {};
    target.build = {};
  }
  loaded->dockerfile = std::move(made);
}

void ParseManifestTarget(const LoadRequest& request, Loaded* loaded) {
  TargetStatus& status = loaded->status;
  ReadError error;
  bool ok = false;
  if (status.kind == TargetKind::kCompose) {
    ComposeFile file;
    ok = ReadCompose(loaded->text, status.path, &file, &error, request.yaml_limits);
    if (ok) loaded->compose = std::make_unique<ComposeFile>(std::move(file));
  } else {
    KubeFile file;
    ok = ReadKubernetes(loaded->text, status.path, &file, &error, request.yaml_limits);
    if (ok) loaded->kube = std::make_unique<KubeFile>(std::move(file));
  }
  if (!ok) {
    status.error = error.message;
    status.error_line = error.line;
    status.error_column = error.column;
  }
}

void ParseText(const LoadRequest& request, bool keep_syntax, Loaded* loaded) {
  loaded->may_have_pragmas = MayHavePragmas(loaded->text);
  if (loaded->status.kind == TargetKind::kDockerfile) {
    ParseDockerfileTarget(request.options, keep_syntax, loaded);
  } else {
    ParseManifestTarget(request, loaded);
  }
}

// Reads the image targets among `loaded` at once within --jobs: min(jobs,
// images) targets at a time, each decoding its layers with an equal share of
// the threads.
void ReadImages(const LoadRequest& request, const std::vector<size_t>& images,
                std::vector<Loaded>* loaded) {
  if (images.empty()) return;
  const int budget = ThreadBudget(request.jobs);
  const size_t workers = std::min<size_t>(static_cast<size_t>(budget), images.size());
  ImageReadOptions per_target = request.image;
  // One target keeps the caller's setting (0 = cores) for its layers.
  per_target.jobs = workers == 1 ? request.jobs : std::max(1, budget / static_cast<int>(workers));
  LoadObserver* observer = request.observer;
  ParallelFor(images.size(), static_cast<int>(workers), [&](size_t k) {
    Loaded& item = (*loaded)[images[k]];
    const std::string& path = item.status.path;
    ImageReadOptions options = per_target;
    options.stdin_prefix = std::move(item.stdin_prefix);
    if (observer != nullptr && observer->WantsProgress()) {
      observer->Begin(path);
      options.progress = [observer, &path](size_t done, size_t total) {
        observer->Layers(path, done, total);
      };
    }
    ImageTarget target;
    std::string error;
    const bool ok = request.read_image ? request.read_image(item.input, options, &target, &error)
                                       : ReadImage(item.input, options, &target, &error);
    item.status.source = target.source;
    if (ok) {
      target.path = path;
      item.image = std::make_unique<ImageTarget>(std::move(target));
    } else {
      item.status.error = std::move(error);
    }
    if (observer != nullptr) observer->End(path);
  });
}

void AddLoaded(Loaded loaded, Workspace* workspace) {
  if (loaded.image) workspace->images.push_back(std::move(*loaded.image));
  if (loaded.dockerfile) workspace->dockerfiles.push_back(std::move(*loaded.dockerfile));
  if (loaded.kube) workspace->kubernetes.push_back(std::move(*loaded.kube));
  if (loaded.compose) workspace->compose.push_back(std::move(*loaded.compose));
  if (loaded.dockerfile || loaded.kube || loaded.compose) {
    if (loaded.may_have_pragmas) workspace->pragma_sources.insert(loaded.status.path);
    workspace->sources[loaded.status.path] = std::move(loaded.text);
  }
  workspace->targets.push_back(std::move(loaded.status));
}

}  // namespace

Workspace LoadWorkspace(const LoadRequest& request) {
  std::vector<DiscoveredTarget> found =
      DiscoverTargets(request.targets, request.dockerfiles, request.exclude, request.yaml_limits);
  std::vector<Loaded> loaded(found.size());
  std::vector<size_t> images;
  std::vector<size_t> texts;
  bool stdin_seen = false;
  for (size_t i = 0; i < found.size(); ++i) {
    TargetStatus& status = loaded[i].status;
    loaded[i].input = found[i].path;
    status.path = std::move(found[i].path);
    status.kind = found[i].kind;
    loaded[i].regular_file = found[i].regular_file;
    if (!found[i].error.empty()) {
      status.error = std::move(found[i].error);
      continue;
    }
    if (status.path == "-") {
      if (stdin_seen) {
        status.error = "standard input can be read only once";
        continue;
      }
      stdin_seen = true;
      RecognizeStdin(request, &loaded[i]);
      if (status.error) continue;
    }
    (status.kind == TargetKind::kImage ? images : texts).push_back(i);
  }
  ReadImages(request, images, &loaded);
  // Images are linked to the Dockerfiles that built them, and base images are
  // checked against the build's steps, through the syntax trees.
  const bool keep_syntax =
      request.keep_dockerfile_syntax || !images.empty() || request.resolve_base != nullptr;
  ParallelFor(texts.size(), request.jobs, [&](size_t k) {
    Loaded& item = loaded[texts[k]];
    std::string error;
    const auto override_text = request.text_overrides.find(item.input);
    if (!item.text_read && override_text != request.text_overrides.end()) {
      item.text = override_text->second;
    } else if (!item.text_read &&
               !ReadTextFile(item.input, item.regular_file, &item.text, &error)) {
      item.status.error = error;
      return;
    }
    ParseText(request, keep_syntax, &item);
  });
  Workspace workspace;
  workspace.options = request.options;
  // Sized once: a DockerfileTarget is over 1 KiB, and growing the vector
  // target by target moved each several times into fresh pages.
  workspace.targets.reserve(loaded.size());
  workspace.dockerfiles.reserve(
      static_cast<size_t>(std::count_if(loaded.begin(), loaded.end(), [](const Loaded& item) {
        return item.dockerfile != nullptr;
      })));
  for (Loaded& item : loaded) AddLoaded(std::move(item), &workspace);
  if (request.resolve_base != nullptr)
    ResolveBases(*request.resolve_base, request.jobs, &workspace);
  Analyze(&workspace);
  return workspace;
}

void AddTextTarget(const std::string& path, TargetKind kind, std::string text,
                   const LoadRequest& request, Workspace* workspace) {
  Loaded loaded;
  loaded.status.path = path;
  loaded.status.kind = kind;
  loaded.text = std::move(text);
  ParseText(request, /*keep_syntax=*/true, &loaded);
  AddLoaded(std::move(loaded), workspace);
}

}  // namespace imglint
