// SPDX-License-Identifier: Apache-2.0
/// The image behind a Dockerfile's `FROM`: its config (user, exposed ports,
/// entrypoint, os) — kilobytes, from a daemon, the registry or the metadata
/// cache — and with `--resolve-base=full` its filesystem too. This is what
/// turns "runs as root unless the base image sets a user" into a verdict.
/// Well-known Windows bases are recognised by name when nothing is fetched.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "analyzer/image/image.h"
#include "analyzer/source/image_source.h"

namespace imglint {

enum class BaseResolution { kOff, kConfig, kFull };

/// Parses "config" / "full" (and "" = config, "off"/"none").
bool ParseBaseResolution(std::string_view text, BaseResolution* out, std::string* err);

struct BaseImage {
  std::string reference;  // normalised: "docker.io/library/golang:1.26-alpine"
  std::string source;     // "registry docker.io", "docker daemon unix:///…", "cache"
  std::string digest;     // manifest digest when known
  ImageConfig config;     // User, ExposedPorts, Entrypoint/Cmd, Env, os
  /// The final filesystem (--resolve-base=full only).
  std::optional<Image> image;
};

/// Resolves base references once each per run; safe to call from several
/// threads.
class BaseImageResolver {
 public:
  BaseImageResolver(ImageSourceOptions sources, ImageReadOptions read, BaseResolution mode)
      : sources_(std::move(sources)), read_(std::move(read)), mode_(mode) {}

  BaseResolution mode() const { return mode_; }

  /// `reference` is the FROM image after ARG expansion. Returns nullptr with
  /// *err when it cannot be resolved (the Dockerfile is still linted).
  std::shared_ptr<const BaseImage> Resolve(const std::string& reference, std::string* err);

 private:
  struct Entry {
    std::shared_ptr<const BaseImage> image;
    std::string error;
  };
  bool Fetch(const ImageRef& ref, BaseImage* out, std::string* err);

  ImageSourceOptions sources_;
  ImageReadOptions read_;
  BaseResolution mode_;
  std::mutex mutex_;
  std::map<std::string, Entry> memo_;
};

/// True for bases that are Windows images by their name:
/// mcr.microsoft.com/windows/*, …/dotnet/framework/*, and tags naming
/// nanoserver, windowsservercore or an LTSC release.
bool IsWellKnownWindowsImage(const ImageRef& ref);

}  // namespace imglint
