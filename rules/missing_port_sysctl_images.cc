// SPDX-License-Identifier: Apache-2.0
// IL303 missing-port-sysctl for container images and Dockerfiles.
#include <string>

#include "analyzer/sysctl_advice.h"
#include "rules/missing_port_sysctl.h"

namespace imglint {
namespace {

std::string WillFail(Runtime runtime) {
  return ", but " + std::string(InfoFor(runtime).display_name) + " does not set " +
         std::string(kPortSysctl) + ": binding will fail with permission denied";
}

// The final stage must be known to run non-root (an unexpandable USER is
// not guessed) and not rely on a setcap'd cap_net_bind_service (IL304).
void CheckDockerfile(const DockerfileTarget& target, Emitter& emit, Runtime runtime) {
  const dockerfile::Facts& facts = target.facts;
  const dockerfile::PortFact* port = facts.LowestPrivilegedPort();
  // Without USER only a base read by --resolve-base says who runs.
  if (!target.final_user || target.final_user->is_root ||
      !(facts.final_user->has_user || target.base) || port == nullptr ||
      facts.SetcapsNetBindService()) {
    return;
  }
  const std::string who = facts.final_user->has_user
                              ? "USER " + facts.final_user->raw
                              : "the base image's user \"" + target.base->config.user + "\"";
  Finding& f = emit.Report(who + " is not root and " + port->Describe() + " (" +
                               FormatPortSpec(port->spec) + ") is below 1024" + WillFail(runtime),
                           SetPortSysctl(port->spec.start, SysctlSnippet(runtime), "): "),
                           port->location, Subject::Expose(port->raw, port->value));
  f.related.push_back(facts.final_user->location);
}

}  // namespace

void CheckMissingSysctlInImages(const Workspace& workspace, Runtime runtime, Emitter& emit) {
  for (const ImageFacts& image : workspace.image_facts) {
    const PortSpec* port = image.LowestPrivilegedPort();
    // The entrypoint's file capability binds the port (IL304), and a
    // linted workload that runs the image decides for it.
    if (image.user.is_root || port == nullptr || image.EntrypointBindsLowPorts() ||
        image.run_by_workload) {
      continue;
    }
    emit.Report("the image runs as non-root user \"" + image.image->config.user +
                    "\" and exposes port " + FormatPortSpec(*port) + WillFail(runtime),
                SetPortSysctl(port->start, SysctlSnippet(runtime), "): "), image.location,
                Subject::Port(FormatPortSpec(*port)));
  }
  for (const DockerfileTarget& target : workspace.dockerfiles) {
    CheckDockerfile(target, emit, runtime);
  }
}

}  // namespace imglint
