// SPDX-License-Identifier: Apache-2.0
// IL303 missing-port-sysctl for Kubernetes workloads and Compose services.
#include <string>
#include <utility>
#include <vector>

#include "analyzer/sysctl_advice.h"
#include "rules/missing_port_sysctl.h"

namespace imglint {
namespace {

const std::string kSysctl(kPortSysctl);

void RejectedSysctl(Emitter& emit, const PortSysctl& state, const std::string& where,
                    const std::string& whose, const std::string& outcome, const std::string& key) {
  Finding& f =
      emit.Report(kSysctl + " cannot be set with " + where + ": " + state.HostNetworkRejecter() +
                      " net.* sysctls in the " + whose + " network namespace, so " + outcome,
                  "remove the sysctl; " + HostSysctlAdvice(0), state.setting_location,
                  Subject::Setting(key + "[" + kSysctl + "]"));
  f.related.push_back(state.host_network_location);
}

// One finding for a container, at the lowest of `ports` the sysctl in
// effect does not allow.
template <typename Advice>
void Report(Emitter& emit, const PortSysctl& state, const EffectiveUser& user,
            const std::vector<LowPort>& ports, const std::string& label, const std::string& key,
            const std::string& note, Advice&& advice) {
  if (state.unknown_namespace) return;
  std::vector<LowPort> failing;
  for (const LowPort& port : ports) {
    if (!state.Allows(port.spec.start)) failing.push_back(port);
  }
  const LowPort* lowest = LowestPrivileged(failing, [](const LowPort& p) { return &p.spec; });
  if (lowest == nullptr) return;
  const int number = lowest->spec.start;
  std::string message =
      label + " runs as non-root (" + user.description + ") and listens on " + lowest->what;
  if (failing.size() > 1) {
    message += " (and " + std::to_string(failing.size() - 1) + " more below 1024)";
  }
  message += ", but " + state.WhyMissing(number);
  if (state.runtime == Runtime::kKubernetes && !state.host_network && state.setting == nullptr) {
    // Certain: the pod does not set it. Conditional: what the node does.
    message +=
        ": the bind fails with permission denied on nodes whose runtime leaves it at "
        "1024 (CRI-O, containerd 1.x); " +
        std::string(InfoFor(Runtime::kContainerd).display_name) + " sets it to 0";
  } else if (state.host_network) {
    // The host's own value decides, and imglint cannot see it.
    message += ": the bind fails with permission denied unless the host sets it to " +
               std::to_string(number) + " or lower";
  } else {
    message += ": the bind fails with permission denied";
    if (state.setting == nullptr) {
      message += " (" + RuntimesThatSetSysctl() + " set it by default)";
    }
  }
  message += note;
  Finding& f = emit.Report(
      std::move(message),
      state.host_network ? advice(number) : SetPortSysctl(number, advice(number), "); "),
      lowest->location, Subject::Setting(key + "." + lowest->key));
  f.related.insert(f.related.end(), user.related.begin(), user.related.end());
  f.related.insert(f.related.end(), lowest->related.begin(), lowest->related.end());
  if (state.host_network) {
    f.related.push_back(state.host_network_location);
  } else if (state.setting != nullptr) {
    f.related.push_back(state.setting_location);
  }
}

}  // namespace

void CheckMissingSysctlInWorkloads(const Workspace& workspace, Emitter& emit) {
  for (const PodFacts& pod : workspace.pods) {
    if (pod.sysctl.host_network && pod.sysctl.setting != nullptr) {
      RejectedSysctl(emit, pod.sysctl, "hostNetwork: true", "node's", "the pod is not admitted",
                     pod.key + ".securityContext.sysctls");
    }
  }
  for (const ContainerFacts& c : workspace.containers) {
    if (!c.user.non_root()) continue;
    // The entrypoint's own file capability binds the port (IL304), unless
    // no_new_privs makes it inert.
    if (!c.image.entrypoint_capability.empty() && !c.no_new_privs) continue;
    const PortSysctl& state = workspace.pods[c.pod].sysctl;
    Report(emit, state, c.user, c.low_ports, c.label, c.key, "",
           [&](int port) { return KubeSysctlAdvice(*c.workload, state, port); });
  }
  for (const ServiceFacts& s : workspace.services) {
    if (s.sysctl.host_network && s.sysctl.setting != nullptr && s.service->HostNetwork()) {
      RejectedSysctl(emit, s.sysctl, "network_mode: host", "host's", "the container does not start",
                     s.key + ".sysctls");
    }
  }
  for (const ServiceFacts& s : workspace.services) {
    const Service& service = *s.service;
    if ((service.privileged && service.privileged->value) || !s.user.non_root()) continue;
    // The entrypoint's file capability binds the port whatever the sysctl.
    if (!s.image.entrypoint_capability.empty()) continue;
    // An added NET_BIND_SERVICE helps a non-root process only where the
    // runtime raises it to an ambient capability (Podman; not Docker).
    const bool adds = service.AddsCapability("NET_BIND_SERVICE");
    if (adds && !s.cap_add_inert) continue;
    const std::string note = adds ? std::string(" (cap_add: NET_BIND_SERVICE does not help: ") +
                                        std::string(InfoFor(s.sysctl.runtime).display_name) +
                                        " gives a non-root user no ambient capabilities)"
                                  : "";
    Report(emit, s.sysctl, s.user, s.low_ports, s.label, s.key, note,
           [&](int port) { return ComposeSysctlAdvice(service, s.sysctl, port); });
  }
}

}  // namespace imglint
