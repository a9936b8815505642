// SPDX-License-Identifier: Apache-2.0
/// Asks a Docker credential helper for one registry's credential (the
/// docker-credential-helpers protocol): `docker-credential-NAME get` with the
/// server URL on stdin answers {"ServerURL","Username","Secret"} on stdout;
/// Username "<token>" means Secret is an identity token; exit status non-zero
/// with "credentials not found in native keychain" means it has none. Errors
/// name the helper and quote at most a short first line of its output, never
/// the answer itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/source/credentials.h"

namespace imglint {

struct HelperRequest {
  std::string name;         // "pass" for docker-credential-pass
  std::string server_url;   // "https://index.docker.io/v1/" or "quay.io"
  std::string search_path;  // where to find the helper, like $PATH
  std::chrono::milliseconds timeout{30000};
};

/// True with *out set to the credential (origin "credential helper
/// docker-credential-NAME"), or to nullopt when the helper has none.
bool RunCredentialHelper(const HelperRequest& request, std::optional<Credential>* out,
                         std::string* err);

/// Helper names are plain words ("pass", "ecr-login", "desktop.exe"): a name
/// with "/" would run a program by path instead of from PATH.
bool IsValidHelperName(std::string_view name);

}  // namespace imglint
