// SPDX-License-Identifier: Apache-2.0
/// --resolve-base: the external image each Dockerfile's final FROM chain
/// starts from, read once per reference (config, and layers with =full) so
/// the Dockerfile rules judge the base's real user, ports and os instead of
/// "unless the base image sets a user". A base that cannot be read leaves
/// the Dockerfile linted as without the flag, with the reason kept.
#pragma once

#include "analyzer/source/base_image.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

/// Sets DockerfileTarget::base / base_error for every Dockerfile of
/// `workspace` whose external base is a reference (not `scratch`, no
/// variable without value), resolving distinct references in parallel.
void ResolveBases(BaseImageResolver& resolver, int jobs, Workspace* workspace);

}  // namespace imglint
