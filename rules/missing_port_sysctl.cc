// SPDX-License-Identifier: Apache-2.0
// IL303 missing-port-sysctl: a non-root container will fail to bind its low port.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/sysctl_advice.h"
#include "rules/rule.h"
#include "rules/sysctl_fix.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL303",
    .name = "missing-port-sysctl",
    .title = "Non-root container cannot bind its port below 1024",
    .severity = Severity::kError,
    .rationale = R"md(A container that runs as a non-root user and listens on a port below
1024 binds it only if `net.ipv4.ip_unprivileged_port_start` in its network namespace is at
most that port. Docker Engine >= 20.10, containerd >= 2.0 (CRI) and nerdctl >= 2.2.1 set it
to 0; Podman, CRI-O and containerd 1.x leave the kernel default of 1024, and a Kubernetes pod
gets whatever its node's runtime does. Without the sysctl the process fails at start with
`bind: permission denied` — and the usual "fix" is to go back to root.

With host networking (`hostNetwork: true`, `network_mode: host`) no runtime default applies
and Kubernetes and Compose reject `net.*` sysctls: the host's own setting decides.

imglint checks this for Kubernetes manifests and Compose files, and for images and
Dockerfiles when `--runtime` names where they run; a bare image with no runtime named gets
IL301 instead. For manifests the runtime defaults to Kubernetes (which never sets the sysctl
by itself, so a portable manifest sets it) and to Docker for Compose files (which does,
except with host networking). A container counts as non-root by its `runAsUser` /
`user:`, else by the user of the image (or `build:` Dockerfile) linted with it, else by
`runAsNonRoot: true`; its ports are its own, else those the image exposes. One finding per
container, at its lowest port that cannot be bound.

A manifest that sets the sysctl together with `hostNetwork: true` / `network_mode: host` is
reported too: Kubernetes and Docker reject `net.*` sysctls in the host's network namespace,
so the pod is not admitted or the container does not start.)md",
    .remediation = R"md(Set the sysctl for the pod or container:

```yaml
spec:
  securityContext:
    sysctls:
    - name: net.ipv4.ip_unprivileged_port_start
      value: "0"
```
Compose: `sysctls: {net.ipv4.ip_unprivileged_port_start: 0}`; Podman:
`podman run --sysctl net.ipv4.ip_unprivileged_port_start=0` or containers.conf
`default_sysctls`; containerd 1.x: `enable_unprivileged_ports = true` in the CRI plugin
config. Or listen on a port >= 1024.)md",
    .bad_example = R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsUser: 101, runAsNonRoot: true}
  containers:
  - name: web
    image: nginx-unprivileged
    ports: [{containerPort: 80}]
)",
    .good_example = R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    runAsUser: 101
    runAsNonRoot: true
    sysctls:
    - name: net.ipv4.ip_unprivileged_port_start
      value: "0"
  containers:
  - name: web
    image: nginx-unprivileged
    ports: [{containerPort: 80}]
)",
    .references =
        R"md(- [Kubernetes: using sysctls in a cluster](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
- [containerd#9348: enable unprivileged ports by default](https://github.com/containerd/containerd/pull/9348)
- [moby/moby#41030](https://github.com/moby/moby/pull/41030))md",
    .cwe = "CWE-1188",
    .precision = "high",
    .security_severity = "4.0",
    .linux_only = true,
    .fix = R"md(`imglint fix` sets `net.ipv4.ip_unprivileged_port_start` to `"0"` in the pod's
`securityContext.sysctls` (creating `securityContext` and `sysctls` as needed, adding to an
existing list, or correcting an entry whose value is too high) and in a Compose service's
`sysctls:` (map or list form, as the file writes it). It leaves pods with `hostNetwork: true`
and services with `network_mode: host` alone and says why.)md",
};

const std::string kSysctl(kPortSysctl);

// "set the sysctl=0 (or <= PORT)" then `separator` and the snippet.
std::string SetSysctl(int port, const std::string& snippet, std::string_view separator) {
  return "set " + kSysctl + "=0 (or <= " + std::to_string(port) + std::string(separator) + snippet;
}

std::string WillFail(Runtime runtime) {
  return ", but " + std::string(InfoFor(runtime).display_name) + " does not set " + kSysctl +
         ": binding will fail with permission denied";
}

class MissingPortSysctl final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  // A Kubernetes or Compose finding about a container: the sysctl for its pod
  // or service. Findings about images, Dockerfiles or a sysctl set under
  // host networking have no automatic fix.
  FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const override {
    FixRequest request;
    if (finding.subject.value.find("[" + kSysctl + "]") != std::string::npos) return request;
    if (std::optional<size_t> c = FindingContainer(workspace, finding)) {
      AddPodSysctl(workspace, workspace.containers[*c].pod, &request);
    } else if (std::optional<size_t> s = FindingService(workspace, finding)) {
      AddServiceSysctl(workspace, *s, &request);
    }
    return request;
  }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    const Runtime runtime = workspace.options.runtime;
    // A bare image or Dockerfile is only judged when --runtime names a runtime
    // that does not set the sysctl (docs/design.md §3).
    if (runtime != Runtime::kAuto && !InfoFor(runtime).sets_unprivileged_port_sysctl) {
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
                    SetSysctl(port->start, SysctlSnippet(runtime), "): "), image.location,
                    Subject::Port(FormatPortSpec(*port)));
      }
      for (const DockerfileTarget& target : workspace.dockerfiles)
        CheckDockerfile(target, emit, runtime);
    }
    CheckManifests(workspace, emit);
  }

 private:
  // The final stage must be known to run non-root (an unexpandable USER is
  // not guessed) and not rely on a setcap'd cap_net_bind_service (IL304).
  static void CheckDockerfile(const DockerfileTarget& target, Emitter& emit, Runtime runtime) {
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
                             SetSysctl(port->spec.start, SysctlSnippet(runtime), "): "),
                             port->location, Subject::Expose(port->raw, port->value));
    f.related.push_back(facts.final_user->location);
  }

  // Kubernetes and Compose: a container known to run non-root (its own
  // settings, else the image or Dockerfile behind it) listens below 1024 and
  // the sysctl where it runs is missing or too high: reported once per
  // container, at its lowest such port. Also: a manifest that sets the
  // sysctl under host networking, which Kubernetes and Docker reject.
  static void CheckManifests(const Workspace& workspace, Emitter& emit) {
    for (const PodFacts& pod : workspace.pods) {
      if (pod.sysctl.host_network && pod.sysctl.setting != nullptr) {
        RejectedSysctl(emit, pod.sysctl, "hostNetwork: true", "node's", "the pod is not admitted",
                       pod.key + ".securityContext.sysctls");
      }
    }
    for (const ContainerFacts& c : workspace.containers) {
      if (!c.user.non_root()) continue;
      // The entrypoint's own file capability binds the port (IL304), unless
      // allowPrivilegeEscalation: false (no_new_privs) makes it inert.
      const auto& escalation = c.container->sc.allow_privilege_escalation;
      if (!c.image.entrypoint_capability.empty() && !(escalation && !escalation->value)) continue;
      const PortSysctl& state = workspace.pods[c.pod].sysctl;
      Report(emit, state, c.user, c.low_ports, c.label, c.key, "",
             [&](int port) { return KubeSysctlAdvice(*c.workload, state, port); });
    }
    for (const ServiceFacts& s : workspace.services) {
      if (s.sysctl.host_network && s.sysctl.setting != nullptr && s.service->HostNetwork()) {
        RejectedSysctl(emit, s.sysctl, "network_mode: host", "host's",
                       "the container does not start", s.key + ".sysctls");
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
      const RuntimeInfo& runtime = InfoFor(s.sysctl.runtime);
      if (adds && runtime.ambient_capabilities_for_non_root) continue;
      const std::string note = adds ? std::string(" (cap_add: NET_BIND_SERVICE does not help: ") +
                                          std::string(runtime.display_name) +
                                          " gives a non-root user no ambient capabilities)"
                                    : "";
      Report(emit, s.sysctl, s.user, s.low_ports, s.label, s.key, note,
             [&](int port) { return ComposeSysctlAdvice(service, s.sysctl, port); });
    }
  }

  static void RejectedSysctl(Emitter& emit, const PortSysctl& state, const std::string& where,
                             const std::string& whose, const std::string& outcome,
                             const std::string& key) {
    Finding& f =
        emit.Report(kSysctl + " cannot be set with " + where + ": " + state.HostNetworkRejecter() +
                        " net.* sysctls in the " + whose + " network namespace, so " + outcome,
                    "remove the sysctl; " + HostSysctlAdvice(0), state.setting_location,
                    Subject::Setting(key + "[" + kSysctl + "]"));
    f.related.push_back(state.host_network_location);
  }

  template <typename Advice>
  static void Report(Emitter& emit, const PortSysctl& state, const EffectiveUser& user,
                     const std::vector<LowPort>& ports, const std::string& label,
                     const std::string& key, const std::string& note, Advice&& advice) {
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
    Finding& f =
        emit.Report(std::move(message),
                    state.host_network ? advice(number) : SetSysctl(number, advice(number), "); "),
                    lowest->location, Subject::Setting(key + "." + lowest->key));
    f.related.insert(f.related.end(), user.related.begin(), user.related.end());
    f.related.insert(f.related.end(), lowest->related.begin(), lowest->related.end());
    if (state.host_network) {
      f.related.push_back(state.host_network_location);
    } else if (state.setting != nullptr) {
      f.related.push_back(state.setting_location);
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeMissingPortSysctl() { return std::make_unique<MissingPortSysctl>(); }

}  // namespace imglint
