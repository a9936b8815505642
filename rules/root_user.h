// SPDX-License-Identifier: Apache-2.0
/// IL101 root-user is judged in three files: its metadata, fix, dispatch and
/// images in root_user.cc, Dockerfiles in root_user_dockerfiles.cc,
/// Kubernetes and Compose workloads in root_user_workloads.cc.
#pragma once

#include <string>

#include "rules/rule.h"

namespace imglint {

/// What every image and Dockerfile finding recommends: an unprivileged
/// USER, or the sysctl when root is only there for a low port.
std::string RootUserRecommendation();

/// The final stage's effective USER when it is root, or no USER at all
/// (reported at its FROM: the base image decides, root unless it sets one).
void CheckRootDockerfiles(const Workspace& workspace, Emitter& emit);

/// Kubernetes: the effective runAsUser: 0 (reported once at the level that
/// sets it), or no runAsUser with a linted root image unless runAsNonRoot is
/// true (then the kubelet refuses to start it). Compose: `user:` that
/// resolves to root, or none with a linted root image or Dockerfile.
void CheckRootWorkloads(const Workspace& workspace, Emitter& emit);

}  // namespace imglint
