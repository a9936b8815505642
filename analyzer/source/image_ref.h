// SPDX-License-Identifier: Apache-2.0
/// Image references ("nginx:1.25", "ghcr.io/o/app@sha256:…") parsed and
/// normalised the way Docker does (distribution/reference): a missing domain
/// is docker.io, a single-component docker.io path gets "library/", a missing
/// tag (and no digest) is "latest". `localhost[:port]/x` and any first
/// component with a "." or ":" is a domain. Every string is untrusted.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

struct ImageRef {
  std::string domain;      // "docker.io", "127.0.0.1:5000", "localhost", "[::1]:5000"
  std::string repository;  // "library/nginx", "o/app" (lower case, as validated)
  std::string tag;         // "1.25"; "latest" when neither tag nor digest was given
  std::string digest;      // "sha256:<64 hex>" or "" (pinned references)

  /// "docker.io/library/nginx" — domain/repository.
  std::string Name() const;
  /// "docker.io/library/nginx:1.25", "…@sha256:…", or "…:1.25@sha256:…".
  std::string String() const;
  /// The short form users type: "nginx:1.25", "ghcr.io/o/app@sha256:…"
  /// (docker.io/library/ and docker.io/ removed).
  std::string Familiar() const;
  /// What a registry manifest GET asks for: the digest when pinned, else the tag.
  std::string ManifestReference() const;
};

/// Parses and normalises `text`. Returns false with *err naming the problem
/// ("invalid reference format: repository name must be lowercase") when
/// `text` is not a valid reference. Does not accept transports ("docker://").
bool ParseImageRef(std::string_view text, ImageRef* out, std::string* err);

/// True for Docker Hub under any of its names: "docker.io", "index.docker.io",
/// "registry-1.docker.io" (case-insensitive). Credentials stored under one
/// of them belong to all three.
bool IsDockerHubDomain(std::string_view domain);

/// The host that serves the registry API for `domain`: "registry-1.docker.io"
/// for "docker.io" (and "index.docker.io"), `domain` otherwise.
std::string RegistryApiHost(std::string_view domain);

/// The key Docker's config.json uses for `domain`'s credentials:
/// "https://index.docker.io/v1/" for docker.io, `domain` otherwise.
std::string DockerConfigKey(std::string_view domain);

/// True for localhost, 127.0.0.0/8 and ::1 (with or without a port): the
/// registries Docker lets speak plain HTTP without --insecure-registry.
bool IsLoopbackRegistry(std::string_view domain);

}  // namespace imglint
