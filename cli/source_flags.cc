// SPDX-License-Identifier: Apache-2.0
#include "cli/source_flags.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <set>

namespace imglint {
namespace {

constexpr const char* kGroup = "Image sources";

// The registry domains image-reference targets name ("docker.io" for a
// bare "nginx"); paths and daemon-only transports name none.
std::set<std::string> TargetRegistries(const std::vector<std::string>& targets) {
  std::set<std::string> domains;
  for (const std::string& target : targets) {
    std::error_code ec;
    if (!HasImageTransport(target) && std::filesystem::exists(target, ec)) continue;
    ImageTargetSpec spec;
    std::string ignored;
    if (!ParseImageTarget(target, &spec, &ignored)) continue;
    if (spec.transport == ImageTargetSpec::Transport::kRegistry ||
        spec.transport == ImageTargetSpec::Transport::kBareReference) {
      domains.insert(spec.ref.domain);
    }
  }
  return domains;
}

}  // namespace

void AddSourceFlags(CLI::App& app, SourceFlags* flags) {
  app.add_option("--image-src", flags->image_src,
                 "where a bare image reference is looked up, in order (default "
                 "docker,podman,remote)")
      ->group(kGroup);
  app.add_option("--registry-ca", flags->registry_ca,
                 "trust the CA certificates in this PEM file for registries (besides the "
                 "system's)")
      ->group(kGroup);
  app.add_option("--insecure-registry", flags->insecure_registries,
                 "HOST[:PORT] may use plain HTTP or unverified TLS; repeatable")
      ->allow_extra_args(false)
      ->group(kGroup);
  app.add_option("--username", flags->username,
                 "registry user name (with --password-stdin), for --registry or the registry "
                 "the targets name")
      ->group(kGroup);
  app.add_flag("--password-stdin", flags->password_stdin,
               "read the registry password (or token) from standard input")
      ->group(kGroup);
  app.add_option("--registry", flags->registry,
                 "the registry --username and --password-stdin are for")
      ->group(kGroup);
  app.add_flag("--offline", flags->offline,
               "never contact a registry: use the metadata cache and local sources only")
      ->group(kGroup);
  app.add_option("--cache-dir", flags->cache_dir,
                 "manifest and config cache (default: $XDG_CACHE_HOME/imglint)")
      ->group(kGroup);
  app.add_flag("--no-cache", flags->no_cache, "neither read nor write the metadata cache")
      ->group(kGroup);
}

bool ResolveSourceFlags(const SourceFlags& flags, const std::vector<std::string>& targets,
                        std::istream& in, SourceSettings* out, std::string* err) {
  ImageSourceOptions& options = out->options;
  if (!ParseImageSourceList(flags.image_src, &options.order, err)) {
    *err = "--image-src: " + *err;
    return false;
  }
  for (const std::string& host : flags.insecure_registries) {
    if (host.empty() || host.find('/') != std::string::npos) {
      *err = "--insecure-registry \"" + host + "\" is not HOST[:PORT]";
      return false;
    }
    options.insecure_registries.insert(host);
  }
  if (!flags.registry_ca.empty()) {
    std::ifstream file(flags.registry_ca, std::ios::binary);
    std::string pem((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file.good() && pem.empty()) {
      *err = "--registry-ca " + flags.registry_ca + ": cannot read the file";
      return false;
    }
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      *err = "--registry-ca " + flags.registry_ca + ": no PEM certificate in the file";
      return false;
    }
    options.registry_ca_pem = pem;
  }
  CredentialOptions credentials;
  if (flags.password_stdin && flags.username.empty()) {
    *err = "--password-stdin needs --username";
    return false;
  }
  if (!flags.username.empty()) {
    if (!flags.password_stdin) {
      *err = "--username needs --password-stdin (passwords are never taken as arguments)";
      return false;
    }
    for (const std::string& target : targets) {
      if (target == "-") {
        *err = "--password-stdin cannot be used with - (standard input is the password)";
        return false;
      }
    }
    std::string domain = flags.registry;
    if (domain.empty()) {
      std::set<std::string> named = TargetRegistries(targets);
      if (named.size() != 1) {
        *err = named.empty() ? "--username: no target names a registry; say which with "
                               "--registry HOST"
                             : "--username: the targets name several registries; say which one "
                               "the credentials are for with --registry HOST";
        return false;
      }
      domain = *named.begin();
    } else {
      ImageRef probe;
      std::string parse_err;
      const bool hub =
          domain == "docker.io" || domain == "index.docker.io" || domain == "registry-1.docker.io";
      if (!ParseImageRef(domain + "/x", &probe, &parse_err) ||
          (probe.domain == "docker.io" && !hub)) {
        *err = "--registry \"" + domain +
               "\" is not a registry host (e.g. ghcr.io, "
               "localhost:5000)";
        return false;
      }
      domain = probe.domain;
    }
    std::string password((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
      password.pop_back();
    }
    if (password.empty()) {
      *err = "--password-stdin: standard input is empty";
      return false;
    }
    credentials.flag_domain = domain;
    credentials.flag_username = flags.username;
    credentials.flag_password = std::move(password);
  }
  out->credentials = std::make_unique<CredentialStore>(std::move(credentials));
  options.credentials = out->credentials.get();
  std::string cache_dir = flags.no_cache ? "" : flags.cache_dir;
  if (!flags.no_cache && cache_dir.empty()) cache_dir = MetadataCache::DefaultDir();
  out->cache = std::make_unique<MetadataCache>(cache_dir);
  options.cache = out->cache.get();
  options.offline = flags.offline;
  return true;
}

}  // namespace imglint
