// SPDX-License-Identifier: Apache-2.0
/// IL304 port-privilege-instead-of-sysctl is judged in three files: its
/// metadata, fix and dispatch in port_privilege_instead_of_sysctl.cc, images
/// and Dockerfiles in port_privilege_instead_of_sysctl_images.cc, Kubernetes
/// and Compose workloads in port_privilege_instead_of_sysctl_workloads.cc.
#pragma once

#include "rules/rule.h"

namespace imglint {

/// An image or final Dockerfile stage with a port below 1024 that runs as
/// root or gives a file cap_net_bind_service to bind it.
void CheckPortPrivilegeInImages(const Workspace& workspace, Runtime runtime, Emitter& emit);

/// A container or service listening below 1024 that is granted privilege
/// for it, each reported at the setting that grants it.
void CheckPortPrivilegeInWorkloads(const Workspace& workspace, Emitter& emit);

}  // namespace imglint
