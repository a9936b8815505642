// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl for Kubernetes workloads and Compose
// services.
#include <string>
#include <utility>
#include <vector>

#include "analyzer/capabilities.h"
#include "analyzer/sysctl_advice.h"
#include "rules/port_privilege_instead_of_sysctl.h"

namespace imglint {
namespace {

const std::string kSysctl(kPortSysctl);

// The sysctl part of a manifest recommendation: nothing to add when the
// sysctl already allows the port where it runs.
std::string ManifestFix(const PortSysctl& state, int port, const std::string& advice) {
  if (!state.Allows(port)) return "set " + kSysctl + "=0 instead; " + advice;
  return state.from_runtime
             ? std::string(InfoFor(state.runtime).display_name) + " sets " + kSysctl + "=0 already"
             : "the sysctl that allows port " + std::to_string(port) + " is already set";
}

std::string Grants(const std::string& name) {
  return name == "ALL" ? "every capability, NET_BIND_SERVICE included," : "NET_BIND_SERVICE";
}

void ReportRoot(Emitter& emit, const std::string& label, const EffectiveUser& user,
                const LowPort& port, const std::string& already, std::string fix,
                const std::string& key) {
  Finding& f = emit.Report(
      label + " runs as root (" + user.description + ") and listens on " + port.what + already,
      std::move(fix), user.location,
      Subject::Setting(key + ".root[" + FormatPortSpec(port.spec) + "]"));
  f.related.insert(f.related.end(), user.related.begin(), user.related.end());
  if (f.location.line != port.location.line || f.location.column != port.location.column) {
    f.related.push_back(port.location);
  }
}

// A container listening below 1024 (its own ports, else the image's) that
// is granted privilege for it, each reported at the setting that grants it:
// NET_BIND_SERVICE (or ALL), root, privileged mode; and, with
// allowPrivilegeEscalation: false, a file capability no_new_privs makes inert.
void CheckContainer(const Workspace& workspace, const ContainerFacts& c, Emitter& emit) {
  const LowPort* port = LowestPrivileged(c.low_ports, [](const LowPort& p) { return &p.spec; });
  if (port == nullptr) return;
  const int number = port->spec.start;
  const PortSysctl& state = workspace.pods[c.pod].sysctl;
  const std::string advice = KubeSysctlAdvice(*c.workload, state, number);
  const std::string fix = ManifestFix(state, number, advice);
  const Container& container = *c.container;
  const std::string& path = c.file->path;
  for (const Located<std::string>& cap : container.sc.cap_add) {
    const std::string name = AddedBindCapability(cap.value);
    if (name.empty()) continue;
    std::string message = "capabilities.add: " + cap.value + " grants " + Grants(name) + " to " +
                          c.label + " for " + port->what;
    if (c.user.non_root()) {
      message +=
          ", but Kubernetes grants a non-root container no ambient capabilities: it "
          "still cannot bind the port";
    } else if (state.Allows(number)) {
      message += ", which " + kSysctl + " already allows without it";
    }
    emit.Report(std::move(message), "drop the capability; " + fix, YamlLocation(path, cap.pos),
                Subject::Setting(c.key + ".capabilities.add[" + name + "]"))
        .related.push_back(port->location);
  }
  if (c.user.root()) {
    ReportRoot(emit, c.label, c.user, *port, "",
               "run as a non-root user (runAsUser: 10001, runAsNonRoot: true); " + fix, c.key);
  }
  if (container.Privileged()) {
    emit.Report(
            "privileged: true gives " + c.label + " every capability and device for " + port->what,
            "drop privileged mode; " + fix, YamlLocation(path, container.sc.privileged->pos),
            Subject::Setting(c.key + ".privileged"))
        .related.push_back(port->location);
  }
  if (c.no_new_privs && !container.Privileged() && !c.user.root() &&
      !c.image.bind_capabilities.empty()) {
    const auto& [what, where] = c.image.bind_capabilities.front();
    Finding& f = emit.Report(
        "allowPrivilegeEscalation: false makes the cap_net_bind_service file capability of " +
            what + " inert (no_new_privs): " + c.label + " cannot bind " + port->what + " with it",
        "remove the file capability from the image and set " + kSysctl + "=0; " + advice,
        *c.no_new_privs, Subject::Setting(c.key + ".allowPrivilegeEscalation"));
    f.related.push_back(where);
    f.related.push_back(port->location);
  }
}

void CheckService(const ServiceFacts& s, Emitter& emit) {
  const LowPort* port = LowestPrivileged(s.low_ports, [](const LowPort& p) { return &p.spec; });
  if (port == nullptr) return;
  const int number = port->spec.start;
  const PortSysctl& state = s.sysctl;
  const std::string fix =
      ManifestFix(state, number, ComposeSysctlAdvice(*s.service, state, number));
  std::string already;
  if (state.Allows(number)) {
    already = state.from_runtime ? ", which " + std::string(InfoFor(state.runtime).display_name) +
                                       " already allows without it (it sets " + kSysctl + "=0)"
                                 : ", which " + kSysctl + " already allows without it";
  }
  const std::string& path = s.file->path;
  const std::string useless =
      s.cap_add_inert ? ", but " + std::string(InfoFor(state.runtime).display_name) +
                            " gives a non-root user no ambient capabilities: it does not help"
                      : already;
  for (const Located<std::string>& cap : s.service->cap_add) {
    const std::string name = AddedBindCapability(cap.value);
    if (name.empty()) continue;
    emit.Report("cap_add: " + cap.value + " grants " + Grants(name) + " to " + s.label + " for " +
                    port->what + useless,
                "drop the capability; " + fix, YamlLocation(path, cap.pos),
                Subject::Setting(s.key + ".cap_add[" + name + "]"))
        .related.push_back(port->location);
  }
  if (s.user.root()) {
    ReportRoot(emit, s.label, s.user, *port, already,
               "run as a non-root user (user: \"10001:10001\"); " + fix, s.key);
  }
  const auto& privileged = s.service->privileged;
  if (privileged && privileged->value) {
    emit.Report("privileged: true gives " + s.label + " every capability and device for " +
                    port->what + already,
                "drop privileged mode; " + fix, YamlLocation(path, privileged->pos),
                Subject::Setting(s.key + ".privileged"))
        .related.push_back(port->location);
  }
}

}  // namespace

void CheckPortPrivilegeInWorkloads(const Workspace& workspace, Emitter& emit) {
  for (const ContainerFacts& c : workspace.containers) CheckContainer(workspace, c, emit);
  for (const ServiceFacts& s : workspace.services) CheckService(s, emit);
}

}  // namespace imglint
