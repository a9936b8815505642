// SPDX-License-Identifier: Apache-2.0
/// Ready-to-paste ways to set net.ipv4.ip_unprivileged_port_start for the
/// runtime in front of the user. Every low-port recommendation comes from here
/// so the snippets stay consistent and testable (tests parse them back).
#pragma once

#include <string>

#include "analyzer/runtime.h"

namespace imglint {

/// The value to recommend: 0 lets every port be bound; `port` is the lowest
/// port the container needs, so any value <= port also works.
/// Returns one or more lines of advice for `runtime` (kAuto/kUnknown: the
/// common ones), without a trailing newline.
std::string SysctlSnippet(Runtime runtime);

/// `securityContext:\n  sysctls:\n  - name: …\n    value: "0"` indented by
/// `indent` spaces, for a Kubernetes pod spec.
std::string KubernetesSysctlSnippet(int indent);

/// `sysctls:\n  net.ipv4.ip_unprivileged_port_start: 0` indented by `indent`.
std::string ComposeSysctlSnippet(int indent);

/// The sentence every IL301 message ends with: which runtimes set the sysctl.
std::string RuntimeSysctlSentence();

}  // namespace imglint
