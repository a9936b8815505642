// SPDX-License-Identifier: Apache-2.0
/// Registry credentials found where users already keep them, in this order
/// (containers-auth.json(5), then Docker's):
///   1. --username/--password-stdin, scoped to one registry domain;
///   2. Podman/containers auth.json: $REGISTRY_AUTH_FILE, else
///      $XDG_RUNTIME_DIR/containers/auth.json, else
///      $HOME/.config/containers/auth.json (namespace keys such as
///      "quay.io/org/repo" match most-specific first);
///   3. Docker's $DOCKER_CONFIG/config.json (default $HOME/.docker/config.json):
///      credHelpers[domain] (docker-credential-NAME get), else credsStore,
///      else auths[domain] ("auth" base64 user:password, or username/password,
///      identitytoken, registrytoken).
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
  /// Environment lookup; defaults to getenv. Tests pass their own.
  std::function<std::optional<std::string>(const std::string&)> getenv;
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
