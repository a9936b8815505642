// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl: privilege granted just to bind a low port.
// Metadata, fix and dispatch; the judgement per input kind is in
// port_privilege_instead_of_sysctl_images.cc and _workloads.cc.
#include "rules/port_privilege_instead_of_sysctl.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/workspace/fix_request_dockerfile.h"
#include "analyzer/workspace/fix_request_sysctl.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL304",
    .name = "port-privilege-instead-of-sysctl",
    .title = "Privilege granted to bind a port below 1024",
    .severity = Severity::kWarning,
    .rationale = R"md(Running as root, shipping a setuid binary, giving a file
`cap_net_bind_service`, or adding `NET_BIND_SERVICE` to the container's capabilities are all
ways to bind a port below 1024 — and all grant far more than that. Since Linux 4.11 the
namespaced sysctl `net.ipv4.ip_unprivileged_port_start=0` lets an unprivileged process bind
any port in its own network namespace, with no privilege at all.

The capability route is also often broken: Kubernetes grants no ambient capabilities, so a
non-root container with `capabilities.add: [NET_BIND_SERVICE]` still cannot bind port 80, and
`allowPrivilegeEscalation: false` makes setuid bits and file capabilities inert.)md",
    .remediation = R"md(Run as a non-root user, drop the capability, and set the sysctl where
the container runs:

```dockerfile
USER 10001:10001
EXPOSE 80
```
```yaml
securityContext:
  sysctls:
  - name: net.ipv4.ip_unprivileged_port_start
    value: "0"
```
`docker run`/`podman run --sysctl net.ipv4.ip_unprivileged_port_start=0`.)md",
    .bad_example =
        "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/sbin/server\nEXPOSE 80\n",
    .good_example =
        "FROM debian:12\nUSER 10001\nEXPOSE 80\n# run with --sysctl "
        "net.ipv4.ip_unprivileged_port_start=0\n",
    .references =
        R"md(- [Linux ip-sysctl: ip_unprivileged_port_start](https://docs.kernel.org/networking/ip-sysctl.html)
- [Kubernetes: safe sysctls](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html))md",
    .cwe = "CWE-250",
    .precision = "high",
    .security_severity = "5.0",
    .linux_only = true,
    .fix = R"md(For an added `NET_BIND_SERVICE` in a Kubernetes container's `capabilities.add` or a
Compose service's `cap_add`, `imglint fix` removes the capability (and the key when the list
empties) and sets `net.ipv4.ip_unprivileged_port_start` to `"0"` for the pod or service instead,
unless the manifest's own setting already allows the port. In a Dockerfile it takes a `setcap`
that grants only `cap_net_bind_service` out of its `RUN` (as IL203 does) and, for a final stage
that runs as root, says where to add `USER <non-root>` without picking one. Root users in
manifests, `privileged: true`, `ALL` and image privileges are left to you; host networking is
refused.)md",
};

// The manifest's own sysctl entry (not a runtime default) lets a non-root
// process bind the lowest of `ports`.
bool AllowedByManifest(const PortSysctl& state, const std::vector<LowPort>& ports) {
  const LowPort* port = LowestPrivileged(ports, [](const LowPort& p) { return &p.spec; });
  return port != nullptr && state.setting != nullptr && !state.from_runtime &&
         state.Allows(port->spec.start);
}

class PortPrivilegeInsteadOfSysctl final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  // An added NET_BIND_SERVICE in a manifest: removed, and the sysctl set
  // unless the manifest's own entry already allows the port.
  FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const override {
    // Dockerfiles: the setcap step taken out; a root user only advised.
    if (FindingDockerfile(workspace, finding)) {
      if (finding.subject.kind == Subject::Kind::kBindCapability)
        return UndoRunStep(workspace, finding, FixIntent::Kind::kRemoveSetcap);
      if (finding.subject.kind == Subject::Kind::kRootOnPort)
        return NonRootUserAdvice(workspace, finding);
      return {};
    }
    FixRequest request;
    const std::string& subject = finding.subject.value;
    const std::string cap = "NET_BIND_SERVICE";
    if (std::optional<size_t> c = FindingContainer(workspace, finding)) {
      const ContainerFacts& facts = workspace.containers[*c];
      if (subject != facts.key + ".capabilities.add[" + cap + "]") return request;
      if (!AllowedByManifest(workspace.pods[facts.pod].sysctl, facts.low_ports) &&
          !AddPodSysctl(workspace, facts.pod, &request)) {
        return request;
      }
      request.intents.push_back({FixIntent::Kind::kDropContainerCapability, *c, cap});
    } else if (std::optional<size_t> s = FindingService(workspace, finding)) {
      const ServiceFacts& facts = workspace.services[*s];
      if (subject != facts.key + ".cap_add[" + cap + "]") return request;
      if (!AllowedByManifest(facts.sysctl, facts.low_ports) &&
          !AddServiceSysctl(workspace, *s, &request)) {
        return request;
      }
      request.intents.push_back({FixIntent::Kind::kDropServiceCapability, *s, cap});
    }
    return request;
  }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckPortPrivilegeInImages(workspace, workspace.options.runtime, emit);
    CheckPortPrivilegeInWorkloads(workspace, emit);
  }
};

}  // namespace

std::unique_ptr<Rule> MakePortPrivilegeInsteadOfSysctl() {
  return std::make_unique<PortPrivilegeInsteadOfSysctl>();
}

}  // namespace imglint
