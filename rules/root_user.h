// SPDX-License-Identifier: Apache-2.0
/// IL101 root-user is judged in two files: images and Dockerfiles in
/// root_user.cc (with the rule's metadata), workloads here.
#pragma once

#include "rules/rule.h"

namespace imglint {

/// Kubernetes: the effective runAsUser: 0 (reported once at the level that
/// sets it), or no runAsUser with a linted root image unless runAsNonRoot is
/// true (then the kubelet refuses to start it). Compose: `user:` that
/// resolves to root, or none with a linted root image or Dockerfile.
void CheckRootWorkloads(const Workspace& workspace, Emitter& emit);

}  // namespace imglint
