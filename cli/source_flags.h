// SPDX-License-Identifier: Apache-2.0
/// Command-line flags for images that live in registries and daemons
/// (docs/image-sources.md): the source order, TLS and insecure hosts,
/// credentials scoped to one registry, the metadata cache and --offline.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/source/credentials.h"
#include "analyzer/source/image_source.h"
#include "analyzer/source/metadata_cache.h"

namespace CLI {
class App;
}  // namespace CLI

namespace imglint {

struct SourceFlags {
  std::string image_src = "docker,podman,remote";
  std::string registry_ca;                       // --registry-ca FILE
  std::vector<std::string> insecure_registries;  // --insecure-registry HOST[:PORT]
  std::string username;                          // --username
  bool password_stdin = false;                   // --password-stdin
  std::string registry;                          // --registry: where --username applies
  bool offline = false;
  std::string cache_dir;  // --cache-dir; empty = $XDG_CACHE_HOME/imglint
  bool no_cache = false;
};

/// Adds the flags (group "Image sources").
void AddSourceFlags(CLI::App& app, SourceFlags* flags);

/// Everything image sources need for one run, owned in one place.
struct SourceSettings {
  ImageSourceOptions options;
  std::unique_ptr<CredentialStore> credentials;
  std::unique_ptr<MetadataCache> cache;
};

/// Validates the flags against the targets and builds the settings: reads
/// --registry-ca and the --password-stdin secret (from `in`), scopes the
/// credentials to --registry or to the one registry the targets name.
/// Returns false with *err for a usage error.
bool ResolveSourceFlags(const SourceFlags& flags, const std::vector<std::string>& targets,
                        std::istream& in, SourceSettings* out, std::string* err);

}  // namespace imglint
