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
};

/// Every challenge in `header`, in order; malformed parts are skipped.
std::vector<AuthChallenge> ParseWwwAuthenticate(std::string_view header);

}  // namespace imglint
