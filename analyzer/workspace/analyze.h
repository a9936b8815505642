// SPDX-License-Identifier: Apache-2.0
/// The analysis step between reading and the rules: computes, once per
/// workspace, the facts every rule reads (docs/design.md §2): per image its
/// resolved user and ports, each image paired with the Dockerfile that built
/// it, each Dockerfile's final user resolved against that image, and per
/// Kubernetes pod and container and per Compose service the image behind it,
/// its effective user, its low ports and the unprivileged-port sysctl.
/// LoadWorkspace calls it; tests that build a Workspace by hand call it too.
#pragma once

#include "analyzer/workspace/workspace.h"

namespace imglint {

/// Fills the facts of `workspace` from its targets (replacing earlier ones).
void Analyze(Workspace* workspace);

/// Where a file `target` inherits from its base is reported: the FROM that
/// names the base, with the file's path and layer in the base image.
Location InheritedFileLocation(const DockerfileTarget& target, const FileEntry& entry);

}  // namespace imglint
