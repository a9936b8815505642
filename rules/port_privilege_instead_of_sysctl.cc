// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl: privilege granted just to bind a low port.
#include <memory>
#include <string>

#include "rules/build_correlation.h"
#include "rules/dockerfile_facts.h"
#include "rules/image_files.h"
#include "rules/rule.h"
#include "rules/sysctl_advice.h"
#include "rules/user_resolution.h"

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
    .bad_example = "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/sbin/server\nEXPOSE 80\n",
    .good_example = "FROM debian:12\nUSER 10001\nEXPOSE 80\n# run with --sysctl net.ipv4.ip_unprivileged_port_start=0\n",
    .references = R"md(- [Linux ip-sysctl: ip_unprivileged_port_start](https://docs.kernel.org/networking/ip-sysctl.html)
- [Kubernetes: safe sysctls](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html))md",
    .cwe = "CWE-250",
    .precision = "high",
    .security_severity = "5.0",
};

std::string Recommendation(Runtime runtime) {
  return "run as a non-root user and set " + std::string(kPortSysctl) +
         "=0 instead of the privilege: " + SysctlSnippet(runtime);
}

class PortPrivilegeInsteadOfSysctl final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckImages(workspace, emit);
    CheckDockerfiles(workspace, emit);
    CheckManifests(workspace, emit);
  }

 private:
  // Dockerfiles: the final stage exposes a port below 1024 and runs as root
  // (reported at the USER, or the final FROM without USER) or a needed stage
  // setcaps cap_net_bind_service (reported at the capability text).
  static void CheckDockerfiles(const Workspace& workspace, Emitter& emit) {
    if (workspace.dockerfiles.empty()) return;
    const std::vector<BuildLink> links = LinkBuilds(workspace);
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      std::vector<DockerfilePort> ports = FinalStagePorts(target);
      const DockerfilePort* port = LowestPrivileged(ports);
      if (port == nullptr) continue;
      const std::string spec = FormatPortSpec(port->spec);
      std::optional<FinalUser> user = FinalStageUser(target);
      if (user && !user->unresolved) {
        const BuildLink* link = LinkOf(links, target);
        if (ResolveFinalUser(*user, link != nullptr ? link->image : nullptr).is_root) {
          const std::string who = user->setting != nullptr ? "USER " + user->raw : "no USER";
          Finding& f = emit.Report(
              "the final stage exposes port " + spec + " and runs as root (" + who + ")",
              Recommendation(workspace.options.runtime), user->location, "root:" + spec);
          f.related.push_back(port->location);
        }
      }
      for (const SetcapStep& step : SetcapSteps(target)) {
        if (!step.net_bind_service) continue;
        Finding& f =
            emit.Report("setcap " + step.caps + " " + step.file +
                            " grants cap_net_bind_service to bind port " + spec,
                        Recommendation(workspace.options.runtime) + "; then drop the setcap step",
                        step.location, "cap:" + step.key);
        f.related.push_back(port->location);
      }
    }
  }
  // Kubernetes and Compose: filled by the manifest side.
  static void CheckManifests(const Workspace&, Emitter&) {}

  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) {
        std::vector<PortSpec> ports = ExposedPorts(image);
        const PortSpec* port = LowestPrivilegedPort(ports);
        if (!port) continue;
        ResolvedUser user = ResolveUser(image.config.user, image.passwd, image.group, true);
        if (user.is_root) {
          emit.Report("the image exposes port " + FormatPortSpec(*port) +
                          " and runs as root (" + user.reason + ")",
                      Recommendation(workspace.options.runtime), ImageLocation(target, image),
                      "root:" + FormatPortSpec(*port));
        }
        for (const FileEntry& entry : image.files) {
          if (!IsExecutableKind(entry) || !GrantsNetBindService(entry.capabilities)) continue;
          emit.Report("the image exposes port " + FormatPortSpec(*port) + " and " + entry.path +
                          " has " + entry.capabilities + " to bind it",
                      Recommendation(workspace.options.runtime) + "; then RUN setcap -r " +
                          entry.path,
                      FileLocation(target, image, entry), "cap:" + entry.path);
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakePortPrivilegeInsteadOfSysctl() {
  return std::make_unique<PortPrivilegeInsteadOfSysctl>();
}

}  // namespace imglint
