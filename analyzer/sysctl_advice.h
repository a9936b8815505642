// SPDX-License-Identifier: Apache-2.0
/// Ready-to-paste ways to set net.ipv4.ip_unprivileged_port_start for the
/// runtime in front of the user. Every low-port recommendation comes from here
/// (and, for the edit lined up with a manifest, analyzer/manifest/sysctl_edit.h)
/// so the snippets stay consistent and testable (tests parse them back).
///
/// Recommendations are multi-line text: a short sentence, then the lines to
/// paste (commands, YAML, TOML), each on its own line so the text, SARIF and
/// JSON outputs keep them copyable.
#pragma once

#include <string>

#include "analyzer/runtime.h"

namespace imglint {

/// One or more lines of advice for `runtime` (kAuto/kUnknown: the common
/// ones), without a trailing newline. The first line is short, so callers
/// can append it to "…: ".
std::string SysctlSnippet(Runtime runtime);

/// `securityContext:\n  sysctls:\n  - name: …\n    value: "0"` indented by
/// `indent` spaces, for a Kubernetes pod spec.
std::string KubernetesSysctlSnippet(int indent);

/// The Kubernetes `sysctls` list item (`- name: …\n  value: "0"`), its `-`
/// at column `indent`.
std::string KubernetesSysctlItem(int indent);

/// `sysctls:\n  net.ipv4.ip_unprivileged_port_start: 0` indented by `indent`.
std::string ComposeSysctlSnippet(int indent);

/// Node-level alternatives for a Kubernetes cluster on `runtime`
/// (containerd 1.x `enable_unprivileged_ports`, CRI-O `default_sysctls`), as
/// lines to append to a recommendation; "" when there is none to add.
std::string NodeRuntimeSysctlAdvice(Runtime runtime);

/// Advice for a host-network pod/service listening on `port`: the host's own
/// setting applies (`sysctl -w`, /etc/sysctl.d).
std::string HostSysctlAdvice(int port);

}  // namespace imglint
