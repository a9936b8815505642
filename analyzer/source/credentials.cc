// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/credentials.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "analyzer/image/json_limits.h"
#include "analyzer/source/base64.h"
#include "analyzer/source/credential_helper.h"
#include "analyzer/source/image_ref.h"
#include "analyzer/source/json_config_file.h"
#include "analyzer/text.h"

namespace imglint {
namespace {

using Json = nlohmann::json;

constexpr int kDefaultHelperTimeoutSeconds = 30;
constexpr std::string_view kDefaultSearchPath = "/usr/local/bin:/usr/bin:/bin";

enum class Found { kNone, kYes, kError };

std::optional<std::string> SystemGetenv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == prefix;
}

// Host names compare case-insensitively, and Docker Hub has three names.
std::string CanonicalHost(std::string_view host) {
  std::string lower = Lower(host);
  return IsDockerHubDomain(lower) ? "docker.io" : lower;
}

// A config key: "quay.io", "quay.io/org/repo" (containers-auth.json namespaces),
// or a URL "https://quay.io/v1/" whose path is an API version, not a namespace.
struct ConfigKey {
  std::string host;  // canonical
  std::string path;  // namespace, "" for a whole registry (always "" for URLs)
};

ConfigKey SplitConfigKey(std::string_view key) {
  bool url = false;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWithNoCase(key, scheme)) {
      key.remove_prefix(scheme.size());
      url = true;
      break;
    }
  }
  const std::size_t slash = key.find('/');
  ConfigKey out{CanonicalHost(key.substr(0, slash)), ""};
  if (!url && slash != std::string_view::npos) {
    std::string_view path = key.substr(slash + 1);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    out.path = std::string(path);
  }
  return out;
}

bool IsNamespaceOf(std::string_view path, std::string_view repository) {
  if (path.empty()) return true;
  return repository == path || (repository.size() > path.size() && repository.starts_with(path) &&
                                repository[path.size()] == '/');
}

// containers-auth.json(5): the most specific key for host/repository wins
// ("quay.io/org/repo" over "quay.io/org" over "quay.io"); between keys naming
// the same thing, a plain key beats a URL, then the first in sorted order.
std::optional<std::string> BestAuthJsonKey(const Json& auths, const std::string& host,
                                           std::string_view repository) {
  std::optional<std::string> best;
  std::pair<std::size_t, int> best_rank{0, -1};
  for (auto it = auths.begin(); it != auths.end(); ++it) {
    const ConfigKey key = SplitConfigKey(it.key());
    if (key.host != host || !IsNamespaceOf(key.path, repository)) continue;
    const bool plain = it.key().find("://") == std::string::npos;
    const std::pair<std::size_t, int> rank{key.path.size(), plain ? 1 : 0};
    if (!best || rank > best_rank) {
      best = it.key();
      best_rank = rank;
    }
  }
  return best;
}

// Docker's config.json matches registries by host only (the CLI's
// ConvertToHostname): the exact key Docker writes first, then the bare host,
// then any key whose host part is the same host and port.
std::optional<std::string> BestDockerKey(const Json& object, const std::string& host) {
  std::optional<std::string> best;
  int best_rank = -1;
  const std::string preferred = DockerConfigKey(host);
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (SplitConfigKey(it.key()).host != host) continue;
    const int rank = it.key() == preferred ? 2 : (it.key() == host ? 1 : 0);
    if (rank > best_rank) {
      best = it.key();
      best_rank = rank;
    }
  }
  return best;
}

std::string Quote(std::string_view s) {
  // Appended rather than "\"" + … + "\"": GCC 12 at -O3 warns falsely
  // (-Wrestrict) about the operator+ form.
  std::string out = "\"";
  out += EscapeForMessage(s);
  out += '"';
  return out;
}

// One auths entry: {"auth": base64("user:password")} or username/password,
// identitytoken, registrytoken. kNone when it holds nothing usable. Errors
// name the file and the key, never a value.
Found DecodeEntry(const Json& entry, const std::string& label, const std::string& key,
                  Credential* out, std::string* err) {
  const std::string where = label + ": auths entry " + Quote(key);
  if (!entry.is_object()) {
    *err = where + " is not an object";
    return Found::kError;
  }
  std::string auth, username, password, identity_token, registry_token;
  for (auto [name, value] :
       {std::pair{"auth", &auth}, std::pair{"username", &username},
        std::pair{"password", &password}, std::pair{"identitytoken", &identity_token},
        std::pair{"registrytoken", &registry_token}}) {
    const auto it = entry.find(name);
    if (it == entry.end() || it->is_null()) continue;
    if (!it->is_string()) {
      *err = where + ": \"" + name + "\" is not a string";
      return Found::kError;
    }
    *value = it->get<std::string>();
  }
  if (!auth.empty()) {  // wins over username/password, as in Docker
    std::string decoded;
    if (!DecodeBase64(auth, &decoded)) {
      *err = where + ": \"auth\" is not valid base64";
      return Found::kError;
    }
    const std::size_t colon = decoded.find(':');
    if (colon == std::string::npos || colon == 0) {
      *err = where + ": \"auth\" does not decode to user:password";
      return Found::kError;
    }
    username = decoded.substr(0, colon);
    password = decoded.substr(colon + 1);
    // Docker trims NULs some Windows tools left at the end of the password.
    while (!password.empty() && password.back() == '\0') password.pop_back();
  }
  if (username.empty() && password.empty() && identity_token.empty() && registry_token.empty()) {
    return Found::kNone;
  }
  *out = Credential{std::move(username), std::move(password), std::move(identity_token),
                    std::move(registry_token), label};
  return Found::kYes;
}

Found LookupAuthJson(const std::string& path, const std::string& host, std::string_view repository,
                     Credential* out, std::string* err) {
  const std::string label = "auth.json " + EscapeForMessage(path);
  Json doc;
  switch (ReadConfigJson(path, label, &doc, err)) {
    case ConfigFileStatus::kMissing:
      return Found::kNone;
    case ConfigFileStatus::kError:
      return Found::kError;
    case ConfigFileStatus::kLoaded:
      break;
  }
  const Json* auths = JsonObject(doc, "auths");
  if (auths == nullptr) return Found::kNone;
  const std::optional<std::string> key = BestAuthJsonKey(*auths, host, repository);
  if (!key) return Found::kNone;
  return DecodeEntry(auths->at(*key), label, *key, out, err);
}

struct HelperContext {
  std::string search_path;
  std::chrono::milliseconds timeout;
};

Found LookupDockerConfig(const std::string& path, const std::string& host,
                         const HelperContext& helpers, Credential* out, std::string* err) {
  const std::string label = "docker config " + EscapeForMessage(path);
  Json doc;
  switch (ReadConfigJson(path, label, &doc, err)) {
    case ConfigFileStatus::kMissing:
      return Found::kNone;
    case ConfigFileStatus::kError:
      return Found::kError;
    case ConfigFileStatus::kLoaded:
      break;
  }
  // credHelpers[registry], else credsStore: a helper's answer is final, as in
  // Docker (auths then only holds empty placeholders).
  std::string helper;
  std::string helper_source;
  if (const Json* map = JsonObject(doc, "credHelpers")) {
    if (const std::optional<std::string> key = BestDockerKey(*map, host)) {
      const Json& value = map->at(*key);
      if (!value.is_string()) {
        *err = label + ": credHelpers entry " + Quote(*key) + " is not a string";
        return Found::kError;
      }
      helper = value.get<std::string>();
      helper_source = "credHelpers in " + label;
    }
  }
  if (helper.empty() && doc.is_object()) {
    if (const auto it = doc.find("credsStore"); it != doc.end() && !it->is_null()) {
      if (!it->is_string()) {
        *err = label + ": credsStore is not a string";
        return Found::kError;
      }
      helper = it->get<std::string>();
      helper_source = "credsStore in " + label;
    }
  }
  if (!helper.empty()) {
    const HelperRequest request{helper, DockerConfigKey(host), helpers.search_path,
                                helpers.timeout};
    std::optional<Credential> answer;
    if (!RunCredentialHelper(request, &answer, err)) {
      *err += " (" + helper_source + ")";
      return Found::kError;
    }
    if (!answer) return Found::kNone;
    *out = std::move(*answer);
    return Found::kYes;
  }
  const Json* auths = JsonObject(doc, "auths");
  if (auths == nullptr) return Found::kNone;
  const std::optional<std::string> key = BestDockerKey(*auths, host);
  if (!key) return Found::kNone;
  return DecodeEntry(auths->at(*key), label, *key, out, err);
}

// containers-auth.json(5) order: $REGISTRY_AUTH_FILE, then
// $XDG_RUNTIME_DIR/containers/auth.json, then
// ${XDG_CONFIG_HOME:-$HOME/.config}/containers/auth.json.
std::vector<std::string> AuthJsonPaths(const CredentialOptions::Getenv& getenv) {
  const auto env = [&](const char* name) { return getenv(name).value_or(""); };
  std::vector<std::string> paths;
  const auto add = [&](std::string path) {
    for (const auto& p : paths) {
      if (p == path) return;
    }
    paths.push_back(std::move(path));
  };
  if (std::string file = env("REGISTRY_AUTH_FILE"); !file.empty()) add(file);
  if (std::string dir = env("XDG_RUNTIME_DIR"); !dir.empty()) add(dir + "/containers/auth.json");
  if (std::string dir = env("XDG_CONFIG_HOME"); !dir.empty()) {
    add(dir + "/containers/auth.json");
  } else if (std::string home = env("HOME"); !home.empty()) {
    add(home + "/.config/containers/auth.json");
  }
  return paths;
}

std::string DockerConfigPath(const CredentialOptions::Getenv& getenv) {
  if (std::string dir = getenv("DOCKER_CONFIG").value_or(""); !dir.empty()) {
    return dir + "/config.json";
  }
  if (std::string home = getenv("HOME").value_or(""); !home.empty()) {
    return home + "/.docker/config.json";
  }
  return "";
}

}  // namespace

CredentialStore::CredentialStore(CredentialOptions options) : options_(std::move(options)) {
  if (!options_.getenv) options_.getenv = SystemGetenv;
}

std::optional<Credential> CredentialStore::Lookup(std::string_view domain,
                                                  std::string_view repository,
                                                  std::string* err) const {
  std::string ignored;
  if (err == nullptr) err = &ignored;
  err->clear();
  const std::string host = CanonicalHost(domain);
  if (host.empty()) return std::nullopt;

  if (!options_.flag_domain.empty() && CanonicalHost(options_.flag_domain) == host &&
      (!options_.flag_username.empty() || !options_.flag_password.empty())) {
    return Credential{options_.flag_username, options_.flag_password, "", "", "--username"};
  }

  Credential credential;
  for (const std::string& path : AuthJsonPaths(options_.getenv)) {
    switch (LookupAuthJson(path, host, repository, &credential, err)) {
      case Found::kYes:
        return credential;
      case Found::kError:
        return std::nullopt;
      case Found::kNone:
        break;
    }
  }

  const std::string docker_config = DockerConfigPath(options_.getenv);
  if (docker_config.empty()) return std::nullopt;
  const int seconds = options_.helper_timeout_seconds > 0 ? options_.helper_timeout_seconds
                                                          : kDefaultHelperTimeoutSeconds;
  const HelperContext helpers{options_.getenv("PATH").value_or(std::string(kDefaultSearchPath)),
                              std::chrono::seconds(seconds)};
  if (LookupDockerConfig(docker_config, host, helpers, &credential, err) == Found::kYes) {
    return credential;
  }
  return std::nullopt;
}

}  // namespace imglint
