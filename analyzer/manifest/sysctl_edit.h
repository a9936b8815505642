// SPDX-License-Identifier: Apache-2.0
/// The edit that sets net.ipv4.ip_unprivileged_port_start to 0 in a
/// Kubernetes pod spec or a Compose service, lined up with the user's file:
/// the lines to paste and where, from the positions and indentation the
/// readers kept.
#pragma once

#include <string>

#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/kube_model.h"

namespace imglint {

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

}  // namespace imglint
