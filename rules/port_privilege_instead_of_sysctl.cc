// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl: privilege granted just to bind a low port.
#include <memory>
#include <string>

#include "analyzer/manifest/capability_name.h"
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
};

std::string Recommendation(Runtime runtime) {
  return "run as a non-root user and set " + std::string(kPortSysctl) +
         "=0 instead of the privilege, " + SysctlSnippet(runtime);
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
  // Kubernetes and Compose: a container listening below 1024 (its own ports,
  // else the image's) that is granted privilege for it: NET_BIND_SERVICE (or
  // ALL) in capabilities.add / cap_add, root, privileged mode; and, with
  // allowPrivilegeEscalation: false, a file capability in the image that
  // no_new_privs makes inert. Each reported at the setting that grants it.
  static void CheckManifests(const Workspace& workspace, Emitter& emit) {
    ForEachContainer(workspace, [&](const KubeFile& file, const Workload& workload,
                                    const Container& container, const ImageSide& image) {
      const std::vector<LowPort> ports = KubeLowPorts(file.path, container, image);
      const LowPort* port = Lowest(ports);
      if (port == nullptr) return;
      const int number = port->spec.start;
      const EffectiveUser user = KubeContainerUser(file.path, container, image);
      const PortSysctl state =
          KubePortSysctl(file.path, workload.pod, KubernetesRuntime(workspace));
      const std::string key = ContainerKey(workload, container);
      const std::string label = ContainerLabel(container);
      const std::string fix =
          ManifestFix(state, number, [&] { return KubeSysctlAdvice(workload, state, number); });
      for (const Located<std::string>& cap : container.sc.cap_add) {
        const std::string name = NormalizeCapabilityName(cap.value);
        if (name != "NET_BIND_SERVICE" && name != "ALL") continue;
        std::string message =
            "capabilities.add: " + cap.value + " grants " +
            (name == "ALL" ? "every capability, NET_BIND_SERVICE included," : "NET_BIND_SERVICE") +
            " to " + label + " for " + port->what;
        if (user.non_root()) {
          message +=
              ", but Kubernetes grants a non-root container no ambient capabilities: "
              "it still cannot bind the port";
        } else if (state.Allows(number)) {
          message += ", which " + std::string(kPortSysctl) + " already allows without it";
        }
        Finding& f =
            emit.Report(std::move(message), "drop the capability; " + fix,
                        YamlLocation(file.path, cap.pos), key + ".capabilities.add[" + name + "]");
        f.related.push_back(port->location);
      }
      if (user.root()) {
        Finding& f = emit.Report(
            label + " runs as root (" + user.description + ") and listens on " + port->what,
            "run as a non-root user (runAsUser: 10001, runAsNonRoot: "
            "true); " +
                fix,
            user.location, key + ".root[" + FormatPortSpec(port->spec) + "]");
        for (const Location& l : user.related) f.related.push_back(l);
        if (!(f.location.line == port->location.line &&
              f.location.column == port->location.column)) {
          f.related.push_back(port->location);
        }
      }
      if (container.Privileged()) {
        Finding& f = emit.Report(
            "privileged: true gives " + label + " every capability and device for " + port->what,
            "drop privileged mode; " + fix, YamlLocation(file.path, container.sc.privileged->pos),
            key + ".privileged");
        f.related.push_back(port->location);
      }
      const auto& escalation = container.sc.allow_privilege_escalation;
      if (escalation && !escalation->value && !container.Privileged() && !user.root()) {
        for (const auto& [what, where] : FileCapabilities(image)) {
          Finding& f = emit.Report(
              "allowPrivilegeEscalation: false makes the cap_net_bind_service file capability "
              "of " +
                  what + " inert (no_new_privs): " + label + " cannot bind " + port->what +
                  " with it",
              "remove the file capability from the image and set " + std::string(kPortSysctl) +
                  "=0; " + KubeSysctlAdvice(workload, state, number),
              YamlLocation(file.path, escalation->pos), key + ".allowPrivilegeEscalation");
          f.related.push_back(where);
          f.related.push_back(port->location);
          break;
        }
      }
    });
    ForEachService(workspace, [&](const ComposeFile& file, const Service& service,
                                  const ImageSide& image) {
      const std::vector<LowPort> ports = ComposeLowPorts(file.path, service, image);
      const LowPort* port = Lowest(ports);
      if (port == nullptr) return;
      const int number = port->spec.start;
      const EffectiveUser user = ComposeServiceUser(file.path, service, image);
      const PortSysctl state =
          ComposePortSysctl(file.path, file, service, ComposeRuntime(workspace));
      const std::string key = ServiceKey(service);
      const std::string label = "service " + service.name.value;
      const std::string fix =
          ManifestFix(state, number, [&] { return ComposeSysctlAdvice(service, state, number); });
      std::string already;
      if (state.Allows(number)) {
        already = state.from_runtime
                      ? ", which " + std::string(InfoFor(state.runtime).display_name) +
                            " already allows without it (it sets " + std::string(kPortSysctl) +
                            "=0)"
                      : ", which " + std::string(kPortSysctl) + " already allows without it";
      }
      for (const Located<std::string>& cap : service.cap_add) {
        const std::string name = NormalizeCapabilityName(cap.value);
        if (name != "NET_BIND_SERVICE" && name != "ALL") continue;
        Finding& f = emit.Report("cap_add: " + cap.value + " grants " +
                                     (name == "ALL" ? "every capability, NET_BIND_SERVICE included,"
                                                    : "NET_BIND_SERVICE") +
                                     " to " + label + " for " + port->what + already,
                                 "drop the capability; " + fix, YamlLocation(file.path, cap.pos),
                                 key + ".cap_add[" + name + "]");
        f.related.push_back(port->location);
      }
      if (user.root()) {
        Finding& f = emit.Report(label + " runs as root (" + user.description +
                                     ") and listens on " + port->what + already,
                                 "run as a non-root user (user: \"10001:10001\"); " + fix,
                                 user.location, key + ".root[" + FormatPortSpec(port->spec) + "]");
        for (const Location& l : user.related) f.related.push_back(l);
        if (!(f.location.line == port->location.line &&
              f.location.column == port->location.column)) {
          f.related.push_back(port->location);
        }
      }
      if (service.privileged && service.privileged->value) {
        Finding& f =
            emit.Report("privileged: true gives " + label + " every capability and device for " +
                            port->what + already,
                        "drop privileged mode; " + fix,
                        YamlLocation(file.path, service.privileged->pos), key + ".privileged");
        f.related.push_back(port->location);
      }
    });
  }

  // The sysctl part of a manifest recommendation: nothing to add when the
  // sysctl already allows the port where it runs.
  template <typename Advice>
  static std::string ManifestFix(const PortSysctl& state, int port, Advice&& advice) {
    if (state.Allows(port)) {
      return state.from_runtime
                 ? std::string(InfoFor(state.runtime).display_name) + " sets " +
                       std::string(kPortSysctl) + "=0 already"
                 : "the sysctl that allows port " + std::to_string(port) + " is already set";
    }
    return "set " + std::string(kPortSysctl) + "=0 instead; " + advice();
  }

  // Executables in the image (or setcap steps in its Dockerfile) that carry
  // cap_net_bind_service: (what, where).
  static std::vector<std::pair<std::string, Location>> FileCapabilities(const ImageSide& image) {
    std::vector<std::pair<std::string, Location>> out;
    if (image.image != nullptr) {
      for (const FileEntry& entry : image.image->files) {
        if (IsExecutableKind(entry) && GrantsNetBindService(entry.capabilities)) {
          out.emplace_back(entry.path, FileLocation(*image.image_target, *image.image, entry));
        }
      }
    } else if (image.dockerfile != nullptr) {
      for (const SetcapStep& step : SetcapSteps(*image.dockerfile)) {
        if (step.net_bind_service) out.emplace_back(step.file, step.location);
      }
    }
    return out;
  }

  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) {
        std::vector<PortSpec> ports = ExposedPorts(image);
        const PortSpec* port = LowestPrivilegedPort(ports);
        if (!port) continue;
        ResolvedUser user = ResolveUser(image.config.user, image.passwd, image.group, true);
        if (user.is_root) {
          emit.Report("the image exposes port " + FormatPortSpec(*port) + " and runs as root (" +
                          user.reason + ")",
                      Recommendation(workspace.options.runtime), ImageLocation(target, image),
                      "root:" + FormatPortSpec(*port));
        }
        for (const FileEntry& entry : image.files) {
          if (!IsExecutableKind(entry) || !GrantsNetBindService(entry.capabilities)) continue;
          emit.Report("the image exposes port " + FormatPortSpec(*port) + " and " + entry.path +
                          " has " + entry.capabilities + " to bind it",
                      "remove the capability in the build (RUN setcap -r " + entry.path + "), " +
                          Recommendation(workspace.options.runtime),
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
