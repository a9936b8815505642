// SPDX-License-Identifier: Apache-2.0
/// Parses HTTP `WWW-Authenticate` challenges (RFC 7235): the registry answers
/// 401 with `Bearer realm="https://auth…/token",service="reg",scope="repository:o/app:pull"`
/// or `Basic realm="…"`. The header is untrusted: quoted strings with escapes,
/// several challenges in one header, odd spacing, garbage — never a crash.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

struct AuthChallenge {
  std::string scheme;                         // lower case: "bearer", "basic"
  std::map<std::string, std::string> params;  // keys lower case; values unquoted
  std::string token68;  // "Negotiate abc==": the one-token form instead of params, else ""
};

/// Every challenge in `header`, in order; malformed parts are skipped (an
/// element up to the next comma). A parameter named twice keeps its first
/// value; a value with control characters is malformed.
std::vector<AuthChallenge> ParseWwwAuthenticate(std::string_view header);

}  // namespace imglint
