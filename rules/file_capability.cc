// SPDX-License-Identifier: Apache-2.0
// IL203 file-capability: a file grants capabilities to whoever executes it.
#include <memory>
#include <string>

#include "analyzer/capabilities.h"
#include "analyzer/sysctl_advice.h"
#include "analyzer/workspace/analyze.h"
#include "analyzer/workspace/fix_request_dockerfile.h"
#include "rules/rule.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL203",
    .name = "file-capability",
    .title = "File carries Linux capabilities",
    .severity = Severity::kWarning,
    .rationale = R"md(A `security.capability` extended attribute gives whoever executes the file
the listed capabilities — a targeted setuid. `cap_net_bind_service` is the common one, there
only to bind a port below 1024, which `net.ipv4.ip_unprivileged_port_start=0` does without
any privilege. Sets that amount to root (`cap_sys_admin`, `cap_sys_ptrace`, `cap_sys_module`,
`cap_dac_override`, `cap_setuid`, …) are reported as errors.

The text in the message is what `getcap` prints for the file. In a Dockerfile, `setcap` steps
are reported, and with `--resolve-base=full` the base image's capability files that no step of
the build can change, at the `FROM`.)md",
    .remediation = R"md(Remove the capability in the build and, for low ports, set the sysctl
where the container runs:

```dockerfile
RUN setcap -r /usr/local/bin/server
```
```yaml
securityContext:
  sysctls:
  - name: net.ipv4.ip_unprivileged_port_start
    value: "0"
```
`allowPrivilegeEscalation: false` / `no-new-privileges` also keeps file capabilities from
being granted.)md",
    .bad_example = "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/local/bin/server\n",
    .good_example = "FROM debian:12\nUSER 10001\nEXPOSE 8080\n",
    .references =
        R"md(- [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html))md",
    .cwe = "CWE-250",
    .precision = "very-high",
    .security_severity = "6.0",
    .linux_only = true,
    .fix =
        R"md(In a Dockerfile, `imglint fix` takes a `setcap` that grants only `cap_net_bind_service` out
of its `RUN` — the whole `RUN` when it is the only command, `a && setcap … && b` becomes
`a && b`, a heredoc script loses the line — since `net.ipv4.ip_unprivileged_port_start` does
that job without privilege. A `setcap` that grants any other capability, and commands in `||`
lists, pipelines, subshells, `if` blocks or command substitution, are refused with the
reason. Images and the base image's files are left to you.)md",
};

std::string WithoutCapability(Runtime runtime) {
  return "; to bind a port below 1024 without a capability set " + std::string(kPortSysctl) +
         "=0: " + SysctlSnippet(runtime);
}

class FileCapability final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  // A Dockerfile setcap that grants only cap_net_bind_service: taken out of
  // its RUN (the sysctl does that job); any other setcap is refused.
  FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const override {
    if (finding.subject.kind != Subject::Kind::kBuildStep) return {};
    return UndoRunStep(workspace, finding, FixIntent::Kind::kRemoveSetcap);
  }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    auto report_file = [&](const FileEntry& entry, const std::string& origin, Location location,
                           Runtime runtime) {
      const bool dangerous = IsRootEquivalent(entry.capabilities);
      std::string fix = "remove it in the build (RUN setcap -r " + entry.path + ")";
      if (GrantsNetBindService(entry.capabilities)) fix += WithoutCapability(runtime);
      Finding& f = emit.Report(entry.path + " has file capabilities " + entry.capabilities +
                                   (dangerous ? " (root-equivalent)" : "") + origin,
                               std::move(fix), std::move(location),
                               Subject::File(entry.path, FilePrivilege::kCapability));
      if (dangerous) f.severity = Severity::kError;
    };
    for (const ImageFacts& facts : workspace.image_facts) {
      for (const FileEntry& entry : facts.image->files) {
        if (entry.capabilities.empty() || !IsExecutableKind(entry)) continue;
        report_file(entry, "", FileLocation(*facts.target, *facts.image, entry), Runtime::kUnknown);
      }
    }
    // Dockerfiles with --resolve-base=full: the base's files the build keeps.
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      for (const FileEntry* entry : target.inherited_files) {
        if (entry->capabilities.empty()) continue;
        report_file(*entry, " in the base image " + target.facts.final_user->external_base,
                    InheritedFileLocation(target, *entry), workspace.options.runtime);
      }
    }
    // Dockerfiles: `setcap CAPS FILE` in RUN (heredoc bodies included), in the
    // stages the target stage needs; `setcap -r` and clearing texts are not.
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      for (const dockerfile::SetcapStep& step : target.facts.setcap_steps) {
        std::string fix = "remove the setcap step (or RUN setcap -r " + step.file + ")";
        if (step.net_bind_service) fix += WithoutCapability(workspace.options.runtime);
        std::string message = "setcap " + step.caps + " " + step.file + " grants file capabilities";
        if (step.root_equivalent) message += " (root-equivalent)";
        if (!step.in_final_chain) message += " in stage " + step.stage_label;
        Finding& f = emit.Report(std::move(message), std::move(fix), step.location,
                                 Subject::BuildStep(step.key));
        if (step.root_equivalent) f.severity = Severity::kError;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeFileCapability() { return std::make_unique<FileCapability>(); }

}  // namespace imglint
