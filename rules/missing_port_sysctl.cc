// SPDX-License-Identifier: Apache-2.0
// IL303 missing-port-sysctl: a non-root container will fail to bind its low port.
// Metadata, fix and dispatch; the judgement per input kind is in
// missing_port_sysctl_images.cc and missing_port_sysctl_workloads.cc.
#include "rules/missing_port_sysctl.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/sysctl_advice.h"
#include "analyzer/workspace/fix_request_sysctl.h"

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
      CheckMissingSysctlInImages(workspace, runtime, emit);
    }
    CheckMissingSysctlInWorkloads(workspace, emit);
  }
};

}  // namespace

std::string SetPortSysctl(int port, const std::string& snippet, std::string_view separator) {
  return "set " + kSysctl + "=0 (or <= " + std::to_string(port) + std::string(separator) + snippet;
}

std::unique_ptr<Rule> MakeMissingPortSysctl() { return std::make_unique<MissingPortSysctl>(); }

}  // namespace imglint
