// SPDX-License-Identifier: Apache-2.0
// IL301 privileged-port: a port below 1024 is declared. Metadata, fix,
// dispatch, images and Dockerfiles; workloads in privileged_port_workloads.cc.
#include "rules/privileged_port.h"

#include <memory>
#include <optional>
#include <string>

#include "analyzer/sysctl_advice.h"
#include "analyzer/workspace/fix_request_sysctl.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL301",
    .name = "privileged-port",
    .title = "Port below 1024 declared",
    .severity = Severity::kWarning,
    .rationale = R"md(Ports below 1024 are "privileged": by default only a process with
`CAP_NET_BIND_SERVICE` (root, in practice) may bind them. Whether a non-root container can
listen on port 80 depends on where it runs: since Linux 4.11 the namespaced sysctl
`net.ipv4.ip_unprivileged_port_start` moves that limit, and Docker Engine >= 20.10,
containerd >= 2.0 (CRI) and nerdctl >= 2.2.1 set it to 0 in every container, while Podman,
CRI-O and containerd 1.x do not and Kubernetes leaves it to the node's runtime. A low port
therefore either pushes the image towards root or capabilities, or fails to bind on half of
the runtimes.

Ranges count when any port in them is below 1024 (`1000-1100`).

In Kubernetes manifests (`containerPort`) and Compose files (`ports:` container side, short
and long form, and `expose:`) the deployment is known, so a low port is only reported where
a non-root process could not bind it: not when the pod's `securityContext.sysctls` or the
service's `sysctls:` sets the sysctl at or below the port, nor when the runtime sets it
(Docker, the default for Compose, for a service with its own network namespace). Under host
networking the host's own setting applies and the port is always reported.)md",
    .remediation = R"md(Prefer a port >= 1024 inside the container and map it outside
(`-p 80:8080`, a Kubernetes Service `port: 80` → `targetPort: 8080`). If the process must
listen on the low port, run it as non-root and set the sysctl where it runs:

```yaml
securityContext:
  sysctls:
  - name: net.ipv4.ip_unprivileged_port_start
    value: "0"
```
`docker run --sysctl net.ipv4.ip_unprivileged_port_start=0` (Docker's default anyway),
`podman run --sysctl net.ipv4.ip_unprivileged_port_start=0`.)md",
    .bad_example = "FROM nginx:1.27\nEXPOSE 80\n",
    .good_example = "FROM nginxinc/nginx-unprivileged:1.27\nEXPOSE 8080\n",
    .references =
        R"md(- [Linux ip-sysctl: ip_unprivileged_port_start](https://docs.kernel.org/networking/ip-sysctl.html)
- [moby/moby#41030: set ip_unprivileged_port_start=0 by default](https://github.com/moby/moby/pull/41030)
- [Kubernetes: safe sysctls](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/))md",
    .cwe = "CWE-250",
    .precision = "high",
    .security_severity = "3.0",
    .linux_only = true,
};

// One sentence per port: which runtimes set the sysctl (docs/design.md §3), not the
// whole runtime table, which the snippet carries.
std::string BindOnlyWhere(int port) {
  return ": a non-root process can bind it only where " + std::string(kPortSysctl) +
         " <= " + std::to_string(port) + " (" + RuntimesThatSetSysctl() + " set it to 0)";
}

std::string ListenHigher(Runtime runtime) {
  return "listen on a port >= 1024 and map it, or run non-root with " + std::string(kPortSysctl) +
         "=0: " + SysctlSnippet(runtime);
}

class PrivilegedPort final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    const Runtime runtime = workspace.options.runtime;
    for (const ImageFacts& image : workspace.image_facts) {
      for (const PortSpec& port : image.ports) {
        if (!IsPrivilegedPort(port)) continue;
        emit.Report("the image exposes port " + FormatPortSpec(port) + ", below 1024" +
                        BindOnlyWhere(port.start),
                    ListenHigher(runtime), image.location, Subject::Port(FormatPortSpec(port)));
      }
    }
    // Dockerfiles: the EXPOSE entries of the final stage (inherited included),
    // variables expanded; ranges count when any port in them is below 1024.
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      for (const dockerfile::PortFact& port : target.facts.final_ports) {
        if (port.unresolved || !IsPrivilegedPort(port.spec)) continue;
        std::string what = port.Describe();
        if (!port.base_image.empty()) what += ", inherited by the final image,";
        what += port.spec.IsRange() ? " includes ports below 1024" : " is below 1024";
        emit.Report(what + BindOnlyWhere(port.spec.start), ListenHigher(runtime), port.location,
                    Subject::Expose(port.raw, port.value));
      }
    }
    CheckPrivilegedPortWorkloads(workspace, emit);
  }

  // A manifest port below 1024 is no longer reported once the sysctl is set
  // for its pod or service; `imglint fix` sets it only for IL303 and IL304.
  FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const override {
    FixRequest request;
    request.only_with_others = true;
    if (std::optional<size_t> c = FindingContainer(workspace, finding)) {
      AddPodSysctl(workspace, workspace.containers[*c].pod, &request);
    } else if (std::optional<size_t> s = FindingService(workspace, finding)) {
      AddServiceSysctl(workspace, *s, &request);
    }
    request.refusal.clear();  // never fixed on its own: nothing to refuse
    return request;
  }
};

}  // namespace

std::unique_ptr<Rule> MakePrivilegedPort() { return std::make_unique<PrivilegedPort>(); }

}  // namespace imglint
