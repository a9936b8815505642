// SPDX-License-Identifier: Apache-2.0
/// Reads a Compose file (compose.yaml, docker-compose.yml, …) into the
/// ComposeFile model: `services.*` with image, build, user, ports, expose,
/// cap_add/cap_drop, privileged, sysctls and network_mode. Merge keys
/// (`<<: *defaults`, common with `x-` extension fields) are followed.
#pragma once

#include <string>
#include <string_view>

#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/yaml_types.h"

namespace imglint {

/// Parses \a text (the contents of \a path) into \a out. Returns false and
/// fills \a err for invalid YAML, an unrendered template, a broken Limit, or
/// a top level that is not a mapping (kNotManifest). A file without
/// `services:` (e.g. only `include:`) reads as zero services. Per-field type
/// problems go to out->issues. Never throws.
bool ReadCompose(std::string_view text, const std::string& path, ComposeFile* out, ReadError* err,
                 const Limits& limits = Limits());

}  // namespace imglint
