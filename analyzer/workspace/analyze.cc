// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/analyze.h"

#include <algorithm>

#include "analyzer/dockerfile/inherited_changes.h"
#include "analyzer/port_spec.h"
#include "analyzer/source/image_ref.h"

namespace imglint {
namespace {

// The base's config says so; unread, a well-known Windows name does.
bool IsWindowsBuild(const DockerfileTarget& target) {
  if (target.link != nullptr) return target.link->image->config.IsWindows();
  if (target.base) return target.base->config.IsWindows();
  const auto& user = target.facts.final_user;
  ImageRef ref;
  return user && user->external_base_resolved &&
         ParseImageRef(user->external_base, &ref, nullptr) && IsWellKnownWindowsImage(ref);
}

// The final image inherits the base's ExposedPorts (Docker and BuildKit
// copy them into the new config): they count as the final stage's, reported
// at the FROM that names the base.
void AddBasePorts(DockerfileTarget* target) {
  auto& ports = target->facts.final_ports;
  std::erase_if(ports, [](const dockerfile::PortFact& p) { return !p.base_image.empty(); });
  if (!target->base || !target->facts.final_user) return;
  for (const std::string& exposed : target->base->config.exposed_ports) {
    dockerfile::PortFact port;
    port.raw = exposed;
    port.value = exposed;
    port.spec = ParsePortSpec(exposed);
    port.base_image = target->facts.final_user->external_base;
    port.location = target->facts.final_user->external_from;
    const bool written = std::any_of(ports.begin(), ports.end(), [&](const auto& p) {
      return !p.unresolved && p.spec.valid && port.spec.valid &&
             FormatPortSpec(p.spec) == FormatPortSpec(port.spec);
    });
    if (!written) ports.push_back(std::move(port));
  }
}

// Base files with a privilege the final image keeps: those the build's final
// chain cannot reach (docs/design.md §3).
void FindInheritedFiles(DockerfileTarget* target) {
  target->inherited_files.clear();
  if (!target->base || !target->base->image || target->link != nullptr) return;
  const dockerfile::InheritedFileChanges changes =
      dockerfile::ChangesToInheritedFiles(target->ast, target->build, target->facts.final_chain);
  if (changes.anything) return;
  for (const FileEntry& entry : target->base->image->files) {
    const bool privileged = (entry.mode & 06000) != 0 || !entry.capabilities.empty();
    if (privileged && IsExecutableKind(entry) && !changes.MayChange(entry.path)) {
      target->inherited_files.push_back(&entry);
    }
  }
}

}  // namespace

Location InheritedFileLocation(const DockerfileTarget& target, const FileEntry& entry) {
  Location location = target.facts.final_user->external_from;
  location.image_path = entry.path;
  location.layer_digest = std::string(target.base->image->LayerDigest(entry));
  return location;
}

void Analyze(Workspace* workspace) {
  workspace->image_facts.clear();
  for (const ImageTarget& target : workspace->images) {
    for (const Image& image : target.images) {
      workspace->image_facts.push_back(AnalyzeImage(target, image));
    }
  }
  workspace->links = LinkBuilds(workspace->images, workspace->dockerfiles);
  for (DockerfileTarget& target : workspace->dockerfiles) {
    target.link = LinkOf(workspace->links, target);
    target.final_user.reset();
    const std::optional<dockerfile::FinalUser>& user = target.facts.final_user;
    if (user && !user->unresolved) {
      target.final_user =
          ResolveFinalUser(*user, target.link != nullptr ? target.link->image : nullptr,
                           target.base.get(), target.facts.may_add_users);
    }
    target.windows = IsWindowsBuild(target);
    AddBasePorts(&target);
    FindInheritedFiles(&target);
  }
  workspace->pods.clear();
  workspace->containers.clear();
  workspace->services.clear();
  AnalyzeWorkloads(*workspace, &workspace->pods, &workspace->containers, &workspace->services);
  // An image a linted workload runs is judged through that workload.
  for (ImageFacts& facts : workspace->image_facts) {
    for (const ContainerFacts& c : workspace->containers) {
      facts.run_by_workload = facts.run_by_workload || c.image.image == facts.image;
    }
    for (const ServiceFacts& s : workspace->services) {
      facts.run_by_workload = facts.run_by_workload || s.image.image == facts.image;
    }
  }
}

}  // namespace imglint
