// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/image_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "analyzer/image/image_archive.h"
#include "analyzer/image/platform.h"
#include "analyzer/source/registry_archive.h"
#include "analyzer/source/registry_client.h"
#include "analyzer/text.h"

namespace imglint {
namespace {

constexpr std::string_view kRegistryPrefix = "docker://";
constexpr std::string_view kDockerDaemonPrefix = "docker-daemon:";
constexpr std::string_view kPodmanPrefix = "podman:";
constexpr std::string_view kArchivePrefixes[] = {"docker-archive:", "oci-archive:", "oci:"};

const char* SourceName(ImageSourceKind kind) {
  switch (kind) {
    case ImageSourceKind::kDocker:
      return "docker";
    case ImageSourceKind::kPodman:
      return "podman";
    case ImageSourceKind::kRemote:
      return "remote";
  }
  return "";
}

bool ReadRegistry(const std::string& target, const ImageRef& ref, const ImageSourceOptions& sources,
                  const ImageReadOptions& read, ImageTarget* out, std::string* err) {
  RegistryAccess access = MakeRegistryAccess(ref, sources, read);
  const std::shared_ptr<RegistryClient>& client = access.client;
  const RegistryArchiveOptions& archive_options = access.archive;
  bool is_index = false;
  std::unique_ptr<ImageArchive> archive =
      OpenRegistryArchive(client, archive_options, err, &is_index);
  if (!archive) return false;
  ImageReadOptions with_platform = read;
  // As `docker pull`: an index resolves to the host's platform by default.
  if (is_index && with_platform.platform.empty()) with_platform.platform = HostPlatform();
  auto open = [&](const LayerReadOptions&, std::string*) { return std::move(archive); };
  if (!ReadImageFrom(target, open, with_platform, out, err)) return false;
  out->source = client->Describe();
  return true;
}

// The outcome of asking one daemon for a bare reference.
enum class DaemonResult { kRead, kFailed, kAbsent };

DaemonResult ReadDaemon(const std::string& target, const std::string& name,
                        const DaemonEndpoint& endpoint, const ImageReadOptions& read,
                        ImageTarget* out, std::string* err) {
  DaemonClient client(endpoint);
  nlohmann::json inspect;
  switch (client.Inspect(name, &inspect, err)) {
    case DaemonClient::Lookup::kFound:
      break;
    case DaemonClient::Lookup::kNotFound:
    case DaemonClient::Lookup::kUnreachable:
      return DaemonResult::kAbsent;
    case DaemonClient::Lookup::kError:
      return DaemonResult::kFailed;
  }
  std::unique_ptr<HttpStream> stream = client.Export(name, err);
  if (!stream) return DaemonResult::kFailed;
  auto open = [&](const LayerReadOptions& layer_options, std::string* open_err) {
    return ReadStreamArchive(stream.get(), layer_options, open_err);
  };
  if (!ReadImageFrom(target, open, read, out, err)) return DaemonResult::kFailed;
  out->source = endpoint.Describe();
  return DaemonResult::kRead;
}

// Asks every endpoint of `kind`; *tried collects what each one said.
DaemonResult ReadFromDaemons(DaemonKind kind, const std::string& target, const std::string& name,
                             const ImageSourceOptions& sources, const ImageReadOptions& read,
                             ImageTarget* out, std::vector<std::string>* tried,
                             std::string* failure) {
  std::string env_err;
  std::vector<DaemonEndpoint> endpoints = DaemonEndpoints(kind, sources.getenv, &env_err);
  if (!env_err.empty()) tried->push_back(env_err);
  for (const DaemonEndpoint& endpoint : endpoints) {
    std::string err;
    DaemonResult result = ReadDaemon(target, name, endpoint, read, out, &err);
    if (result == DaemonResult::kRead) return result;
    tried->push_back(endpoint.Describe() + ": " + err);
    if (result == DaemonResult::kFailed) {
      *failure = endpoint.Describe() + ": " + err;
      return result;
    }
  }
  return DaemonResult::kAbsent;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

bool ReadBareReference(const std::string& target, const ImageTargetSpec& spec,
                       const ImageSourceOptions& sources, const ImageReadOptions& read,
                       ImageTarget* out, std::string* err) {
  std::vector<std::string> tried;
  for (ImageSourceKind kind : sources.order) {
    std::string failure;
    if (kind == ImageSourceKind::kRemote) {
      std::string remote_err;
      if (ReadRegistry(target, spec.ref, sources, read, out, &remote_err)) return true;
      if (sources.order.size() == 1) {
        *err = remote_err;
        return false;
      }
      tried.push_back("registry " + spec.ref.domain + ": " + remote_err);
      continue;
    }
    DaemonKind daemon =
        kind == ImageSourceKind::kDocker ? DaemonKind::kDocker : DaemonKind::kPodman;
    switch (ReadFromDaemons(daemon, target, spec.name, sources, read, out, &tried, &failure)) {
      case DaemonResult::kRead:
        return true;
      case DaemonResult::kFailed:
        *err = failure;
        return false;
      case DaemonResult::kAbsent:
        break;
    }
  }
  *err = "no image source has " + spec.ref.Familiar() + " (" + Join(tried) + ")";
  return false;
}

}  // namespace

bool ParseImageSourceList(std::string_view text, std::vector<ImageSourceKind>* out,
                          std::string* err) {
  out->clear();
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    std::string_view word =
        text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    ImageSourceKind kind;
    if (word == "docker") {
      kind = ImageSourceKind::kDocker;
    } else if (word == "podman") {
      kind = ImageSourceKind::kPodman;
    } else if (word == "remote") {
      kind = ImageSourceKind::kRemote;
    } else {
      *err = "unknown image source \"" + EscapeForMessage(word) +
             "\" (expected a list of docker, podman, remote)";
      return false;
    }
    if (std::find(out->begin(), out->end(), kind) != out->end()) {
      *err = std::string("image source \"") + SourceName(kind) + "\" is listed twice";
      return false;
    }
    out->push_back(kind);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return true;
}

bool HasImageTransport(std::string_view target) {
  if (target.starts_with(kRegistryPrefix) || target.starts_with(kDockerDaemonPrefix) ||
      target.starts_with(kPodmanPrefix)) {
    return true;
  }
  for (std::string_view prefix : kArchivePrefixes) {
    if (target.starts_with(prefix)) return true;
  }
  return false;
}

bool ParseImageTarget(std::string_view target, ImageTargetSpec* out, std::string* err) {
  using Transport = ImageTargetSpec::Transport;
  *out = ImageTargetSpec();
  for (std::string_view prefix : kArchivePrefixes) {
    if (!target.starts_with(prefix)) continue;
    // PATH[:REF]: paths here cannot contain ':' (containers-transports(5)).
    std::string_view rest = target.substr(prefix.size());
    std::size_t colon = rest.find(':');
    out->transport = Transport::kArchive;
    out->path = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) out->selector = std::string(rest.substr(colon + 1));
    if (out->path.empty()) {
      *err = "missing path after \"" + std::string(prefix) + "\"";
      return false;
    }
    return true;
  }
  std::string_view reference = target;
  if (target.starts_with(kRegistryPrefix)) {
    out->transport = Transport::kRegistry;
    reference = target.substr(kRegistryPrefix.size());
  } else if (target.starts_with(kDockerDaemonPrefix)) {
    out->transport = Transport::kDockerDaemon;
    reference = target.substr(kDockerDaemonPrefix.size());
  } else if (target.starts_with(kPodmanPrefix)) {
    out->transport = Transport::kPodman;
    reference = target.substr(kPodmanPrefix.size());
  }
  out->name = std::string(reference);
  return ParseImageRef(reference, &out->ref, err);
}

bool ReadImageFromSource(const std::string& target, const ImageTargetSpec& spec,
                         const ImageSourceOptions& sources, const ImageReadOptions& read,
                         ImageTarget* out, std::string* err) {
  using Transport = ImageTargetSpec::Transport;
  switch (spec.transport) {
    case Transport::kArchive: {
      ImageReadOptions selected = read;
      selected.ref = spec.selector;
      struct stat st;
      if (::stat(spec.path.c_str(), &st) != 0) {
        *err = "no such file or directory: " + EscapeForMessage(spec.path);
        return false;
      }
      if (!ReadImage(spec.path, selected, out, err)) return false;
      out->path = target;
      out->source = "file " + spec.path;
      return true;
    }
    case Transport::kRegistry:
      return ReadRegistry(target, spec.ref, sources, read, out, err);
    case Transport::kDockerDaemon:
    case Transport::kPodman: {
      DaemonKind kind =
          spec.transport == Transport::kDockerDaemon ? DaemonKind::kDocker : DaemonKind::kPodman;
      std::vector<std::string> tried;
      std::string failure;
      switch (ReadFromDaemons(kind, target, spec.name, sources, read, out, &tried, &failure)) {
        case DaemonResult::kRead:
          return true;
        case DaemonResult::kFailed:
          *err = failure;
          return false;
        case DaemonResult::kAbsent:
          *err = Join(tried);
          return false;
      }
      return false;
    }
    case Transport::kBareReference:
      return ReadBareReference(target, spec, sources, read, out, err);
  }
  return false;
}

bool IsSourcedImageTarget(const std::string& target) {
  if (HasImageTransport(target)) return true;
  if (target == "-") return false;
  struct stat st;
  return ::lstat(target.c_str(), &st) != 0;
}

bool ReadImageTarget(const std::string& target, const ImageSourceOptions& sources,
                     const ImageReadOptions& read, ImageTarget* out, std::string* err) {
  if (!IsSourcedImageTarget(target)) return ReadImage(target, read, out, err);
  ImageTargetSpec spec;
  if (!ParseImageTarget(target, &spec, err)) return false;
  return ReadImageFromSource(target, spec, sources, read, out, err);
}

RegistryAccess MakeRegistryAccess(const ImageRef& ref, const ImageSourceOptions& sources,
                                  const ImageReadOptions& read) {
  RegistryOptions options;
  options.insecure_hosts = sources.insecure_registries;
  options.extra_ca_pem = sources.registry_ca_pem + CertsDirPem(ref.domain);
  options.credentials = sources.credentials;
  options.sleep = sources.sleep;
  RegistryAccess access;
  access.client = std::make_shared<RegistryClient>(ref, std::move(options));
  access.archive.cache = sources.cache;
  access.archive.offline = sources.offline;
  access.archive.max_metadata_bytes = read.limits.max_metadata_bytes;
  return access;
}

std::string CertsDirPem(const std::string& domain) {
  std::string pem;
  if (domain.empty() || domain.find('/') != std::string::npos ||
      domain.find("..") != std::string::npos) {
    return pem;
  }
  for (const char* root : {"/etc/docker/certs.d/", "/etc/containers/certs.d/"}) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(root + domain, ec)) {
      if (entry.path().extension() == ".crt") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.size() < (1u << 20)) pem += text + "\n";
    }
  }
  return pem;
}

}  // namespace imglint
