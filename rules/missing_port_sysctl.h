// SPDX-License-Identifier: Apache-2.0
/// IL303 missing-port-sysctl is judged in three files: its metadata, fix and
/// dispatch in missing_port_sysctl.cc, images and Dockerfiles in
/// missing_port_sysctl_images.cc, Kubernetes and Compose workloads in
/// missing_port_sysctl_workloads.cc.
#pragma once

#include <string>
#include <string_view>

#include "rules/rule.h"

namespace imglint {

/// "set net.ipv4.ip_unprivileged_port_start=0 (or <= PORT", then `separator`
/// and `snippet`: the recommendation every IL303 finding about a port starts with.
std::string SetPortSysctl(int port, const std::string& snippet, std::string_view separator);

/// A non-root image or final Dockerfile stage that exposes a port below 1024
/// and does not bind it with a file capability, under `runtime` (one that
/// does not set the sysctl).
void CheckMissingSysctlInImages(const Workspace& workspace, Runtime runtime, Emitter& emit);

/// Kubernetes and Compose: a container known to run non-root listens below
/// 1024 where the sysctl is missing or too high (once per container, at its
/// lowest such port); a sysctl set under host networking, which is rejected.
void CheckMissingSysctlInWorkloads(const Workspace& workspace, Emitter& emit);

}  // namespace imglint
