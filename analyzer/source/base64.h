// SPDX-License-Identifier: Apache-2.0
/// Standard base64 (RFC 4648 §4, with padding) for credentials: config files
/// keep "user:password" base64-encoded in `auth`, and HTTP Basic sends it.
/// Decoding is strict like Go's base64.StdEncoding (what Docker and Podman
/// use), so a file they reject is rejected here too; CR and LF are skipped.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

std::string EncodeBase64(std::string_view bytes);

/// False (and *out unspecified) unless `text` is valid padded base64.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace imglint
