// SPDX-License-Identifier: Apache-2.0
/// IL301 privileged-port is judged in two files: its metadata, fix,
/// dispatch, images and Dockerfiles in privileged_port.cc, Kubernetes and
/// Compose workloads in privileged_port_workloads.cc.
#pragma once

#include "rules/rule.h"

namespace imglint {

/// Kubernetes and Compose: every port below 1024 a container or service
/// declares itself, unless where it runs a non-root process may bind it
/// anyway (the pod's/service's sysctl, or a runtime that sets it, e.g.
/// Docker for a Compose service with its own network namespace).
void CheckPrivilegedPortWorkloads(const Workspace& workspace, Emitter& emit);

}  // namespace imglint
