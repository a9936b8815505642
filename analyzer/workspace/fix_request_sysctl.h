// SPDX-License-Identifier: Apache-2.0
/// What IL301, IL303 and IL304 share for `imglint fix`: which pod, container or
/// Compose service a manifest finding is about (by its fingerprint subject,
/// which starts with the container's or service's key), and the sysctl
/// change that pod or service needs — or why it cannot have it.
#pragma once

#include <cstddef>
#include <optional>

#include "analyzer/finding.h"
#include "analyzer/workspace/fix_request.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

/// The index in Workspace::containers of the container `finding` is about
/// (a setting under its key, in its file), or nullopt.
std::optional<size_t> FindingContainer(const Workspace& workspace, const Finding& finding);
/// The same for Workspace::services.
std::optional<size_t> FindingService(const Workspace& workspace, const Finding& finding);

/// Adds the intent that sets the sysctl for pod `pod` to `request`, or a
/// refusal when the pod uses host networking. False when refused.
bool AddPodSysctl(const Workspace& workspace, size_t pod, FixRequest* request);
/// The same for Compose service `service` (host networking, or a network
/// namespace shared with another container, refuse).
bool AddServiceSysctl(const Workspace& workspace, size_t service, FixRequest* request);

}  // namespace imglint
