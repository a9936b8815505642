// SPDX-License-Identifier: Apache-2.0
/// Where an image target comes from when it is not simply a path: explicit
/// transports in containers-transports(5) spelling (`docker://REF` for a
/// registry, `docker-daemon:REF`, `podman:REF`, `docker-archive:PATH[:REF]`,
/// `oci-archive:PATH[:REF]`, `oci:DIR[:REF]`), or a bare reference such as
/// `nginx:1.25`, which tries the sources in --image-src order (Trivy's flag:
/// docker, podman, remote). Every source ends in the same image reader, so an
/// image linted from a registry or a daemon gives the findings its saved
/// tarball gives.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/image_reader.h"
#include "analyzer/source/credentials.h"
#include "analyzer/source/daemon_client.h"
#include "analyzer/source/image_ref.h"
#include "analyzer/source/metadata_cache.h"
#include "analyzer/source/registry_archive.h"
#include "analyzer/source/registry_client.h"

namespace imglint {

enum class ImageSourceKind { kDocker, kPodman, kRemote };

/// Parses "docker,podman,remote" (any order, no repeats).
bool ParseImageSourceList(std::string_view text, std::vector<ImageSourceKind>* out,
                          std::string* err);

struct ImageTargetSpec {
  enum class Transport {
    kBareReference,  // nginx:1.25 — tries the --image-src order
    kRegistry,       // docker://REF
    kDockerDaemon,   // docker-daemon:REF
    kPodman,         // podman:REF
    kArchive,        // docker-archive:PATH[:REF], oci-archive:PATH[:REF], oci:DIR[:REF]
  };
  Transport transport = Transport::kBareReference;
  std::string name;      // daemon transports and bare references: the reference as typed
  ImageRef ref;          // registry, daemon and bare references, normalised
  std::string path;      // kArchive
  std::string selector;  // kArchive: REF picking one image of the archive
};

/// True when `target` starts with one of the transports above.
bool HasImageTransport(std::string_view target);

/// Classifies a target that is not an existing path. Returns false with *err
/// when it is neither a transport nor a valid reference.
bool ParseImageTarget(std::string_view target, ImageTargetSpec* out, std::string* err);

struct ImageSourceOptions {
  std::vector<ImageSourceKind> order{ImageSourceKind::kDocker, ImageSourceKind::kPodman,
                                     ImageSourceKind::kRemote};
  std::set<std::string> insecure_registries;  // --insecure-registry
  std::string registry_ca_pem;                // --registry-ca contents
  const CredentialStore* credentials = nullptr;
  const MetadataCache* cache = nullptr;
  bool offline = false;  // registries only through the cache
  Getenv getenv = ProcessEnv;
  std::function<void(double seconds)> sleep;  // registry retry waits (tests)
};

/// Reads the image `spec` names into *out (out->source says where it came
/// from, e.g. "registry 127.0.0.1:5000"). `target` is the text as typed.
bool ReadImageFromSource(const std::string& target, const ImageTargetSpec& spec,
                         const ImageSourceOptions& sources, const ImageReadOptions& read,
                         ImageTarget* out, std::string* err);

/// A command-line image target: a path (or "-") is read by ReadImage; a
/// transport, or a reference that is not an existing path, by its source.
bool ReadImageTarget(const std::string& target, const ImageSourceOptions& sources,
                     const ImageReadOptions& read, ImageTarget* out, std::string* err);

/// True when `target` is read from a source rather than a path.
bool IsSourcedImageTarget(const std::string& target);

/// A client for the registry of `ref` and the options to open it as an
/// archive, as `sources` and `read` configure them: one place for what a
/// registry image and a registry base image share.
struct RegistryAccess {
  std::shared_ptr<RegistryClient> client;
  RegistryArchiveOptions archive;
};
RegistryAccess MakeRegistryAccess(const ImageRef& ref, const ImageSourceOptions& sources,
                                  const ImageReadOptions& read);

/// PEM of the CA certificates Docker and Podman users keep for `domain`
/// (/etc/docker/certs.d/DOMAIN/*.crt, /etc/containers/certs.d/DOMAIN/*.crt).
std::string CertsDirPem(const std::string& domain);

}  // namespace imglint
