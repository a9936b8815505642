// SPDX-License-Identifier: Apache-2.0
/// Registry credentials found where users already keep them, in this order
/// (containers-auth.json(5), then Docker's):
///   1. --username/--password-stdin, scoped to one registry domain;
///   2. Podman/containers auth.json: $REGISTRY_AUTH_FILE, else
///      $XDG_RUNTIME_DIR/containers/auth.json, else
///      ${XDG_CONFIG_HOME:-$HOME/.config}/containers/auth.json (namespace keys
///      such as "quay.io/org/repo" match most-specific first; the first file
///      with an entry for the registry wins);
///   3. Docker's $DOCKER_CONFIG/config.json (default $HOME/.docker/config.json):
///      credHelpers[domain] (docker-credential-NAME get, NAME searched in
///      PATH), else credsStore, else auths[domain] ("auth" base64
///      user:password, or username/password, identitytoken, registrytoken).
/// Keys match by exact host[:port] (case-insensitive; "https://host/v1/"
/// counts as "host"); Docker Hub's names docker.io, index.docker.io and
/// registry-1.docker.io are one registry. Missing files are skipped; a file
/// that is unreadable, too large (4 MiB) or not JSON is an error, and so is a
/// broken entry for the requested registry (other entries are not looked at).
/// A credential is only ever returned for the domain it is stored under.
/// Secrets are never logged, printed or written; `origin` says where a
/// credential came from without revealing it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace imglint {

struct Credential {
  std::string username;
  std::string password;
  std::string identity_token;  // OAuth2 refresh token (config.json identitytoken)
  std::string registry_token;  // bearer token used as is (config.json registrytoken)
  std::string origin;          // "auth.json /run/user/0/containers/auth.json", never a secret
};

struct CredentialOptions {
  /// --username and the password read from --password-stdin, for `flag_domain`
  /// only (a normalised domain such as "docker.io" or "127.0.0.1:5000").
  std::string flag_domain;
  std::string flag_username;
  std::string flag_password;
  using Getenv = std::function<std::optional<std::string>(const std::string&)>;
  /// Environment lookup; defaults to getenv. Tests pass their own. Every
  /// variable goes through it, PATH too: credential helpers are searched in
  /// getenv("PATH") (absolute entries only).
  Getenv getenv;
  /// Seconds a credential helper may run before it is killed.
  int helper_timeout_seconds = 30;
};

class CredentialStore {
 public:
  explicit CredentialStore(CredentialOptions options);

  /// The credential for `domain` (normalised, e.g. "docker.io") and
  /// `repository` ("library/nginx"); nullopt when none is configured.
  /// A broken config file or a failing helper is an error (*err names the
  /// file or helper and the reason), not an empty answer.
  std::optional<Credential> Lookup(std::string_view domain, std::string_view repository,
                                   std::string* err) const;

 private:
  CredentialOptions options_;
};

}  // namespace imglint
