// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/analyze.h"

#include <algorithm>

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

}  // namespace

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
