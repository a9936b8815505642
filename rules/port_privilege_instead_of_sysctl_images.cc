// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl for container images and Dockerfiles.
#include <string>

#include "analyzer/sysctl_advice.h"
#include "rules/port_privilege_instead_of_sysctl.h"

namespace imglint {
namespace {

const std::string kSysctl(kPortSysctl);

std::string Recommendation(Runtime runtime) {
  return "run as a non-root user and set " + kSysctl + "=0 instead of the privilege, " +
         SysctlSnippet(runtime);
}

// The final stage exposes a port below 1024 and runs as root (reported at
// the USER, or the final FROM without USER) or a needed stage setcaps
// cap_net_bind_service (reported at the capability text).
void CheckDockerfile(const DockerfileTarget& target, Emitter& emit, Runtime runtime) {
  const dockerfile::PortFact* port = target.facts.LowestPrivilegedPort();
  if (port == nullptr) return;
  const std::string spec = FormatPortSpec(port->spec);
  if (target.final_user && target.final_user->is_root) {
    const dockerfile::FinalUser& user = *target.facts.final_user;
    Finding& f = emit.Report("the final stage exposes port " + spec + " and runs as root (" +
                                 (user.has_user ? "USER " + user.raw : "no USER") + ")",
                             Recommendation(runtime), user.location, Subject::RootOnPort(spec));
    f.related.push_back(port->location);
  }
  for (const dockerfile::SetcapStep& step : target.facts.setcap_steps) {
    if (!step.net_bind_service) continue;
    Finding& f = emit.Report("setcap " + step.caps + " " + step.file +
                                 " grants cap_net_bind_service to bind port " + spec,
                             Recommendation(runtime) + "; then drop the setcap step", step.location,
                             Subject::BindCapability(step.key));
    f.related.push_back(port->location);
  }
}

}  // namespace

void CheckPortPrivilegeInImages(const Workspace& workspace, Runtime runtime, Emitter& emit) {
  for (const ImageFacts& image : workspace.image_facts) {
    const PortSpec* port = image.LowestPrivilegedPort();
    if (port == nullptr) continue;
    const std::string spec = FormatPortSpec(*port);
    if (image.user.is_root) {
      emit.Report(
          "the image exposes port " + spec + " and runs as root (" + image.user.reason + ")",
          Recommendation(runtime), image.location, Subject::RootOnPort(spec));
    }
    for (const FileEntry* entry : image.bind_capability_files) {
      emit.Report("the image exposes port " + spec + " and " + entry->path + " has " +
                      entry->capabilities + " to bind it",
                  "remove the capability in the build (RUN setcap -r " + entry->path + "), " +
                      Recommendation(runtime),
                  FileLocation(*image.target, *image.image, *entry),
                  Subject::BindCapability(entry->path));
    }
  }
  for (const DockerfileTarget& target : workspace.dockerfiles) {
    CheckDockerfile(target, emit, runtime);
  }
}

}  // namespace imglint
