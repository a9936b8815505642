// SPDX-License-Identifier: Apache-2.0
/// Parses an image config blob (OCI / Docker image JSON) into ImageConfig:
/// the fields rules need (User, ExposedPorts, Env, Labels, History, platform).
/// Fields of the wrong type are ignored rather than rejected, as Docker does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/image/image.h"

namespace imglint {

/// `what` names the blob in error messages ("config sha256:…").
bool ParseImageConfig(std::string_view text, std::string_view what, std::uint64_t max_bytes,
                      ImageConfig* out, std::string* err);

}  // namespace imglint
