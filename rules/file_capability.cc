// SPDX-License-Identifier: Apache-2.0
// IL203 file-capability: a file grants capabilities to whoever executes it.
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "rules/image_files.h"
#include "rules/rule.h"
#include "rules/sysctl_advice.h"

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

The text in the message is what `getcap` prints for the file.)md",
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
    .references = R"md(- [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html))md",
    .cwe = "CWE-250",
    .precision = "very-high",
    .security_severity = "6.0",
};

// Capabilities that give root-equivalent power (escape, arbitrary file
// access, identity change) and so make the finding an error.
constexpr std::array<std::string_view, 16> kDangerous{
    "cap_sys_admin", "cap_sys_module", "cap_sys_ptrace",  "cap_sys_rawio",
    "cap_dac_override", "cap_dac_read_search", "cap_setuid", "cap_setgid",
    "cap_setfcap",   "cap_setpcap",    "cap_fowner",      "cap_chown",
    "cap_bpf",       "cap_sys_boot",   "cap_mac_admin",   "cap_mac_override"};

// getcap prints "=ep" (no names) for the full set.
bool GrantsAll(std::string_view text) { return !text.empty() && text[0] == '='; }

class FileCapability final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckImages(workspace, emit);
    CheckDockerfiles(workspace, emit);
  }

 private:
  // Dockerfiles: filled by the Dockerfile side.
  static void CheckDockerfiles(const Workspace&, Emitter&) {}

  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) {
        for (const FileEntry& entry : image.files) {
          if (entry.capabilities.empty() || !IsExecutableKind(entry)) continue;
          bool dangerous = GrantsAll(entry.capabilities);
          for (std::string_view cap : kDangerous) dangerous |= ContainsCap(entry.capabilities, cap);
          std::string recommendation =
              "remove it in the build (RUN setcap -r " + entry.path + ")";
          if (GrantsNetBindService(entry.capabilities)) {
            recommendation += "; to bind a port below 1024 without a capability set " +
                              std::string(kPortSysctl) + "=0: " + SysctlSnippet(Runtime::kUnknown);
          }
          Finding& f = emit.Report(entry.path + " has file capabilities " + entry.capabilities +
                                       (dangerous ? " (root-equivalent)" : ""),
                                   std::move(recommendation), FileLocation(target, image, entry),
                                   entry.path);
          if (dangerous) f.severity = Severity::kError;
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeFileCapability() { return std::make_unique<FileCapability>(); }

}  // namespace imglint
