// SPDX-License-Identifier: Apache-2.0
/// The text edits of `imglint fix` for Kubernetes manifests and Compose
/// files (docs/design.md §4, "Fixes"): set net.ipv4.ip_unprivileged_port_start
/// to "0" in a pod's `securityContext.sysctls` or a service's `sysctls:`, and
/// remove a capability from `capabilities.add` / `cap_add`. Each edit is a
/// splice at the positions the readers recorded, lined up with the file's
/// indentation, list style (`- x` at or inside its key's column), flow or
/// block style and line breaks; nothing else in the file changes.
///
/// A layout these functions cannot edit safely — a value from a merged anchor
/// that other workloads share, a flow collection they cannot parse, host
/// networking where the sysctl is rejected — yields a refusal that says why,
/// never a guess. The caller verifies the result by re-reading it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/fix/text_edit.h"
#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/kube_model.h"

namespace imglint {

/// The edits for one change, or why it is not made.
using ManifestFix = TextFix;

/// Sets the sysctl to "0" for the pod of `workload`: a new entry (creating
/// `securityContext` and `sysctls` as needed) or the corrected value of an
/// existing entry. Refused under `hostNetwork: true`.
ManifestFix KubernetesPortSysctlFix(std::string_view text, const std::string& path,
                                    const Workload& workload);

/// Removes every `capabilities.add` entry of `container` that names
/// `capability` ("NET_BIND_SERVICE"), and the `add` key when none is left.
ManifestFix KubernetesDropCapabilityFix(std::string_view text, const std::string& path,
                                        const Container& container, std::string_view capability);

/// Sets the sysctl to 0 in the service's `sysctls:` (map or list form, as
/// the file writes it; a new map when it has none). Refused for
/// `network_mode: host` (naming `host_network_rejecter`, "Podman rejects":
/// PortSysctl::HostNetworkRejecter for the --runtime) and a network
/// namespace shared with another container.
ManifestFix ComposePortSysctlFix(std::string_view text, const std::string& path,
                                 const Service& service, std::string_view host_network_rejecter);

/// Removes every `cap_add` entry of `service` that names `capability`, and
/// the `cap_add` key when none is left.
ManifestFix ComposeDropCapabilityFix(std::string_view text, const std::string& path,
                                     const Service& service, std::string_view capability);

}  // namespace imglint
