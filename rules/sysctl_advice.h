// SPDX-License-Identifier: Apache-2.0
/// Ready-to-paste ways to set net.ipv4.ip_unprivileged_port_start for the
/// runtime in front of the user. Every low-port recommendation comes from here
/// so the snippets stay consistent and testable (tests parse them back).
///
/// Recommendations are multi-line text: a short sentence, then the lines to
/// paste (commands, YAML, TOML), each on its own line so the text, SARIF and
/// JSON outputs keep them copyable.
#pragma once

#include <string>

#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/kube_model.h"
#include "analyzer/runtime.h"

namespace imglint {

/// One or more lines of advice for `runtime` (kAuto/kUnknown: the common
/// ones), without a trailing newline. The first line is short, so callers
/// can append it to "…: ".
std::string SysctlSnippet(Runtime runtime);

/// `securityContext:\n  sysctls:\n  - name: …\n    value: "0"` indented by
/// `indent` spaces, for a Kubernetes pod spec.
std::string KubernetesSysctlSnippet(int indent);

/// `sysctls:\n  net.ipv4.ip_unprivileged_port_start: 0` indented by `indent`.
std::string ComposeSysctlSnippet(int indent);

/// The sentence every IL301 message ends with: which runtimes set the sysctl.
std::string RuntimeSysctlSentence();

/// What to change in a manifest so it sets the sysctl to 0, lined up with the
/// user's file.
struct SysctlEdit {
  /// "add to the pod spec spec.template.spec (line 7):" — ends with a colon.
  std::string intro;
  /// The lines to paste, indented as they must sit in the file.
  std::string snippet;
  /// 1-based line before which `snippet` is inserted verbatim to make the
  /// edit; 0 when it is not a plain insertion (flow style: merge the fragment
  /// by hand; an existing entry: `replace_line` instead).
  int insert_before_line = 0;
  /// 1-based line that `snippet` replaces (an existing entry with the wrong
  /// value), or 0.
  int replace_line = 0;

  /// intro + "\n" + snippet.
  std::string Text() const { return intro + "\n" + snippet; }
};

/// The edit that sets the sysctl to "0" in `pod`: a new `securityContext`
/// block at the pod spec's indentation, only `sysctls:` inside an existing
/// pod securityContext, one list item in an existing `sysctls:`, or the
/// corrected line for an existing entry. `pod_path` names the pod spec in the
/// intro ("spec.template.spec").
SysctlEdit KubernetesSysctlEdit(const PodSpec& pod, const std::string& pod_path);

/// The same for a Compose service: `sysctls:` at the service's indentation,
/// one entry (map or list form, as the file writes it) in an existing
/// `sysctls:`, or the corrected entry.
SysctlEdit ComposeSysctlEdit(const Service& service);

/// Node-level alternatives for a Kubernetes cluster on `runtime`
/// (containerd 1.x `enable_unprivileged_ports`, CRI-O `default_sysctls`), as
/// lines to append to a recommendation; "" when there is none to add.
std::string NodeRuntimeSysctlAdvice(Runtime runtime);

/// Advice for a host-network pod/service listening on `port`: the host's own
/// setting applies (`sysctl -w`, /etc/sysctl.d).
std::string HostSysctlAdvice(int port);

}  // namespace imglint
