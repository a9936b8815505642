// SPDX-License-Identifier: Apache-2.0
// IL304 port-privilege-instead-of-sysctl: privilege granted just to bind a low port.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/capabilities.h"
#include "analyzer/sysctl_advice.h"
#include "rules/dockerfile_fix.h"
#include "rules/rule.h"
#include "rules/sysctl_fix.h"

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

const std::string kSysctl(kPortSysctl);

std::string Recommendation(Runtime runtime) {
  return "run as a non-root user and set " + kSysctl + "=0 instead of the privilege, " +
         SysctlSnippet(runtime);
}

// The sysctl part of a manifest recommendation: nothing to add when the
// sysctl already allows the port where it runs.
std::string ManifestFix(const PortSysctl& state, int port, const std::string& advice) {
  if (!state.Allows(port)) return "set " + kSysctl + "=0 instead; " + advice;
  return state.from_runtime
             ? std::string(InfoFor(state.runtime).display_name) + " sets " + kSysctl + "=0 already"
             : "the sysctl that allows port " + std::to_string(port) + " is already set";
}

// NET_BIND_SERVICE or ALL in capabilities.add / cap_add: the normalised name.
std::string BindCapability(const Located<std::string>& cap) {
  const std::string name = NormalizeCapabilityName(cap.value);
  return name == "NET_BIND_SERVICE" || name == "ALL" ? name : "";
}

std::string Grants(const std::string& name) {
  return name == "ALL" ? "every capability, NET_BIND_SERVICE included," : "NET_BIND_SERVICE";
}

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
    const Runtime runtime = workspace.options.runtime;
    for (const ImageFacts& image : workspace.image_facts) {
      const PortSpec* port = image.LowestPrivilegedPort();
      if (port == nullptr) continue;
      const std::string spec = FormatPortSpec(*port);
      if (image.user.is_root) {
        emit.Report(
            "the image exposes port " + spec + " and runs as root (" + image.user.reason + ")",
            Recommendation(runtime), image.location, Subject::RootOnPort(spec));
      }
      for (const FileEntry* entry : image.bind_capability_files) {
        emit.Report("the image exposes port " + spec + " and " + entry->path + " has " +
                        entry->capabilities + " to bind it",
                    "remove the capability in the build (RUN setcap -r " + entry->path + "), " +
                        Recommendation(runtime),
                    FileLocation(*image.target, *image.image, *entry),
                    Subject::BindCapability(entry->path));
      }
    }
    for (const DockerfileTarget& target : workspace.dockerfiles)
      CheckDockerfile(target, emit, runtime);
    for (const ContainerFacts& c : workspace.containers) CheckContainer(workspace, c, emit);
    for (const ServiceFacts& s : workspace.services) CheckService(s, emit);
  }

 private:
  // The final stage exposes a port below 1024 and runs as root (reported at
  // the USER, or the final FROM without USER) or a needed stage setcaps
  // cap_net_bind_service (reported at the capability text).
  static void CheckDockerfile(const DockerfileTarget& target, Emitter& emit, Runtime runtime) {
    const dockerfile::PortFact* port = target.facts.LowestPrivilegedPort();
    if (port == nullptr) return;
    const std::string spec = FormatPortSpec(port->spec);
    if (target.final_user && target.final_user->is_root) {
      const dockerfile::FinalUser& user = *target.facts.final_user;
      Finding& f = emit.Report("the final stage exposes port " + spec + " and runs as root (" +
                                   (user.has_user ? "USER " + user.raw : "no USER") + ")",
                               Recommendation(runtime), user.location, Subject::RootOnPort(spec));
      f.related.push_back(port->location);
    }
    for (const dockerfile::SetcapStep& step : target.facts.setcap_steps) {
      if (!step.net_bind_service) continue;
      Finding& f = emit.Report("setcap " + step.caps + " " + step.file +
                                   " grants cap_net_bind_service to bind port " + spec,
                               Recommendation(runtime) + "; then drop the setcap step",
                               step.location, Subject::BindCapability(step.key));
      f.related.push_back(port->location);
    }
  }

  // A container listening below 1024 (its own ports, else the image's) that
  // is granted privilege for it, each reported at the setting that grants it:
  // NET_BIND_SERVICE (or ALL), root, privileged mode; and, with
  // allowPrivilegeEscalation: false, a file capability no_new_privs makes inert.
  static void CheckContainer(const Workspace& workspace, const ContainerFacts& c, Emitter& emit) {
    const LowPort* port = LowestPrivileged(c.low_ports, [](const LowPort& p) { return &p.spec; });
    if (port == nullptr) return;
    const int number = port->spec.start;
    const PortSysctl& state = workspace.pods[c.pod].sysctl;
    const std::string advice = KubeSysctlAdvice(*c.workload, state, number);
    const std::string fix = ManifestFix(state, number, advice);
    const Container& container = *c.container;
    const std::string& path = c.file->path;
    for (const Located<std::string>& cap : container.sc.cap_add) {
      const std::string name = BindCapability(cap);
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
      emit.Report("privileged: true gives " + c.label + " every capability and device for " +
                      port->what,
                  "drop privileged mode; " + fix, YamlLocation(path, container.sc.privileged->pos),
                  Subject::Setting(c.key + ".privileged"))
          .related.push_back(port->location);
    }
    const auto& escalation = container.sc.allow_privilege_escalation;
    if (escalation && !escalation->value && !container.Privileged() && !c.user.root() &&
        !c.image.bind_capabilities.empty()) {
      const auto& [what, where] = c.image.bind_capabilities.front();
      Finding& f = emit.Report(
          "allowPrivilegeEscalation: false makes the cap_net_bind_service file capability of " +
              what + " inert (no_new_privs): " + c.label + " cannot bind " + port->what +
              " with it",
          "remove the file capability from the image and set " + kSysctl + "=0; " + advice,
          YamlLocation(path, escalation->pos),
          Subject::Setting(c.key + ".allowPrivilegeEscalation"));
      f.related.push_back(where);
      f.related.push_back(port->location);
    }
  }

  static void CheckService(const ServiceFacts& s, Emitter& emit) {
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
    for (const Located<std::string>& cap : s.service->cap_add) {
      const std::string name = BindCapability(cap);
      if (name.empty()) continue;
      // Docker gives a non-root user no ambient capabilities: the added one
      // never reaches the process.
      const RuntimeInfo& runtime = InfoFor(state.runtime);
      const std::string useless =
          s.user.non_root() && !runtime.ambient_capabilities_for_non_root
              ? ", but " + std::string(runtime.display_name) +
                    " gives a non-root user no ambient capabilities: it does not help"
              : already;
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

  static void ReportRoot(Emitter& emit, const std::string& label, const EffectiveUser& user,
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
};

}  // namespace

std::unique_ptr<Rule> MakePortPrivilegeInsteadOfSysctl() {
  return std::make_unique<PortPrivilegeInsteadOfSysctl>();
}

}  // namespace imglint
