// SPDX-License-Identifier: Apache-2.0
// IL303 missing-port-sysctl: a non-root container will fail to bind its low port.
#include <memory>
#include <string>

#include "rules/build_correlation.h"
#include "rules/dockerfile_facts.h"
#include "rules/image_files.h"
#include "rules/rule.h"
#include "rules/sysctl_advice.h"
#include "rules/user_resolution.h"
#include "rules/workload_facts.h"

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
};

class MissingPortSysctl final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckImages(workspace, emit);
    CheckDockerfiles(workspace, emit);
    CheckManifests(workspace, emit);
  }

 private:
  // Dockerfiles: like images, only with --runtime naming a runtime that does
  // not set the sysctl; the final stage must be known to run non-root (an
  // unexpandable USER is not guessed) and not rely on a setcap'd
  // cap_net_bind_service (IL304 covers that).
  static void CheckDockerfiles(const Workspace& workspace, Emitter& emit) {
    Runtime runtime = workspace.options.runtime;
    if (runtime == Runtime::kAuto || InfoFor(runtime).sets_unprivileged_port_sysctl) return;
    const std::vector<BuildLink> links = LinkBuilds(workspace);
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      std::optional<FinalUser> user = FinalStageUser(target);
      if (!user || user->setting == nullptr || user->unresolved) continue;
      const BuildLink* link = LinkOf(links, target);
      if (ResolveFinalUser(*user, link != nullptr ? link->image : nullptr).is_root) continue;
      std::vector<DockerfilePort> ports = FinalStagePorts(target);
      const DockerfilePort* port = LowestPrivileged(ports);
      if (port == nullptr) continue;
      bool has_cap = false;
      for (const SetcapStep& step : SetcapSteps(target)) has_cap |= step.net_bind_service;
      if (has_cap) continue;
      Finding& f = emit.Report(
          "USER " + user->raw + " is not root and EXPOSE " + port->raw + " (" +
              FormatPortSpec(port->spec) + ") is below 1024, but " +
              std::string(InfoFor(runtime).display_name) + " does not set " +
              std::string(kPortSysctl) + ": binding will fail with permission denied",
          "set " + std::string(kPortSysctl) + "=0 (or <= " + std::to_string(port->spec.start) +
              "): " + SysctlSnippet(runtime),
          port->location, port->key);
      f.related.push_back(user->location);
    }
  }
  // Kubernetes and Compose: a container known to run non-root (its own
  // settings, else the image or Dockerfile behind it) listens below 1024 and
  // the sysctl where it runs is missing or too high: reported once per
  // container, at its lowest such port. Also: a manifest that sets the
  // sysctl under host networking, which Kubernetes and Docker reject.
  static void CheckManifests(const Workspace& workspace, Emitter& emit) {
    const std::string sysctl(kPortSysctl);
    for (const KubeFile& file : workspace.kubernetes) {
      for (const Workload& workload : file.workloads) {
        const PortSysctl state =
            KubePortSysctl(file.path, workload.pod, KubernetesRuntime(workspace));
        if (state.host_network && state.setting != nullptr) {
          Finding& f = emit.Report(
              sysctl +
                  " cannot be set with hostNetwork: true: Kubernetes rejects net.* sysctls "
                  "in the node's network namespace, so the pod is not admitted",
              "remove the sysctl; " + HostSysctlAdvice(0), state.setting_location,
              PodKey(workload) + ".securityContext.sysctls[" + sysctl + "]");
          f.related.push_back(state.host_network_location);
        }
      }
    }
    ForEachContainer(workspace, [&](const KubeFile& file, const Workload& workload,
                                    const Container& container, const ImageSide& image) {
      const EffectiveUser user = KubeContainerUser(file.path, container, image);
      if (!user.non_root()) return;
      const PortSysctl state =
          KubePortSysctl(file.path, workload.pod, KubernetesRuntime(workspace));
      const std::vector<LowPort> ports = KubeLowPorts(file.path, container, image);
      Report(emit, state, user, ports, ContainerLabel(container), ContainerKey(workload, container),
             [&](int port) { return KubeSysctlAdvice(workload, state, port); });
    });
    for (const ComposeFile& file : workspace.compose) {
      for (const Service& service : file.services) {
        const PortSysctl state =
            ComposePortSysctl(file.path, file, service, ComposeRuntime(workspace));
        if (state.host_network && state.setting != nullptr && service.HostNetwork()) {
          Finding& f = emit.Report(
              sysctl +
                  " cannot be set with network_mode: host: Docker rejects net.* sysctls "
                  "in the host's network namespace, so the container does not start",
              "remove the sysctl; " + HostSysctlAdvice(0), state.setting_location,
              ServiceKey(service) + ".sysctls[" + sysctl + "]");
          f.related.push_back(state.host_network_location);
        }
      }
    }
    ForEachService(
        workspace, [&](const ComposeFile& file, const Service& service, const ImageSide& image) {
          // A capability or privileged mode is IL304's concern; whether the
          // runtime then lets a non-root process use it differs between engines.
          if (service.AddsCapability("NET_BIND_SERVICE") ||
              (service.privileged && service.privileged->value)) {
            return;
          }
          const EffectiveUser user = ComposeServiceUser(file.path, service, image);
          if (!user.non_root()) return;
          const PortSysctl state =
              ComposePortSysctl(file.path, file, service, ComposeRuntime(workspace));
          const std::vector<LowPort> ports = ComposeLowPorts(file.path, service, image);
          Report(emit, state, user, ports, "service " + service.name.value, ServiceKey(service),
                 [&](int port) { return ComposeSysctlAdvice(service, state, port); });
        });
  }

  template <typename Advice>
  static void Report(Emitter& emit, const PortSysctl& state, const EffectiveUser& user,
                     const std::vector<LowPort>& ports, const std::string& label,
                     const std::string& key, Advice&& advice) {
    if (state.unknown_namespace) return;
    std::vector<LowPort> failing;
    for (const LowPort& port : ports) {
      if (!state.Allows(port.spec.start)) failing.push_back(port);
    }
    const LowPort* lowest = Lowest(failing);
    if (lowest == nullptr) return;
    const int number = lowest->spec.start;
    std::string message =
        label + " runs as non-root (" + user.description + ") and listens on " + lowest->what;
    if (failing.size() > 1) {
      message += " (and " + std::to_string(failing.size() - 1) + " more below 1024)";
    }
    message += ", but " + state.WhyMissing(number) + ": the bind fails with permission denied";
    if (!state.host_network && state.setting == nullptr) {
      message += ". " + RuntimesThatSetSysctl() + " set it by default";
    }
    std::string recommendation = state.host_network ? advice(number)
                                                    : "set " + std::string(kPortSysctl) +
                                                          "=0 (or <= " + std::to_string(number) +
                                                          "); " + advice(number);
    Finding& f = emit.Report(std::move(message), std::move(recommendation), lowest->location,
                             key + "." + lowest->key);
    for (const Location& l : user.related) f.related.push_back(l);
    for (const Location& l : lowest->related) f.related.push_back(l);
    if (state.host_network) {
      f.related.push_back(state.host_network_location);
    } else if (state.setting != nullptr) {
      f.related.push_back(state.setting_location);
    }
  }

  // A bare image is only judged when --runtime names a runtime (DESIGN §3).
  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    Runtime runtime = workspace.options.runtime;
    if (runtime == Runtime::kAuto || InfoFor(runtime).sets_unprivileged_port_sysctl) return;
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) {
        ResolvedUser user = ResolveUser(image.config.user, image.passwd, image.group, true);
        if (user.is_root) continue;
        std::vector<PortSpec> ports = ExposedPorts(image);
        const PortSpec* port = LowestPrivilegedPort(ports);
        if (!port) continue;
        emit.Report("the image runs as non-root user \"" + image.config.user +
                        "\" and exposes port " + FormatPortSpec(*port) + ", but " +
                        std::string(InfoFor(runtime).display_name) + " does not set " +
                        std::string(kPortSysctl) + ": binding will fail with permission denied",
                    "set " + std::string(kPortSysctl) + "=0 (or <= " + std::to_string(port->start) +
                        "): " + SysctlSnippet(runtime),
                    ImageLocation(target, image), "port:" + FormatPortSpec(*port));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeMissingPortSysctl() { return std::make_unique<MissingPortSysctl>(); }

}  // namespace imglint
