// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/base_image.h"

#include <algorithm>
#include <cctype>

#include "analyzer/image/image_archive.h"
#include "analyzer/image/image_config.h"
#include "analyzer/image/image_plan.h"
#include "analyzer/image/platform.h"
#include "analyzer/source/registry_archive.h"

namespace imglint {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Docker's inspect answer carries the config under "Config" and the
// platform at the top; the config blob parser reads the blob's own shape.
bool ConfigFromInspect(const nlohmann::json& inspect, ImageConfig* out, std::string* err) {
  nlohmann::json blob = nlohmann::json::object();
  if (inspect.is_object()) {
    auto config = inspect.find("Config");
    if (config != inspect.end() && config->is_object()) blob["config"] = *config;
    for (const auto& [from, to] : {std::pair{"Os", "os"}, std::pair{"Architecture", "architecture"},
                                   std::pair{"Variant", "variant"}}) {
      auto it = inspect.find(from);
      if (it != inspect.end() && it->is_string()) blob[to] = *it;
    }
  }
  return ParseImageConfig(blob.dump(), "image inspect", 16u << 20, out, err);
}

}  // namespace

bool ParseBaseResolution(std::string_view text, BaseResolution* out, std::string* err) {
  if (text.empty() || text == "config" || text == "true" || text == "yes") {
    *out = BaseResolution::kConfig;
  } else if (text == "full") {
    *out = BaseResolution::kFull;
  } else if (text == "off" || text == "none" || text == "false" || text == "no") {
    *out = BaseResolution::kOff;
  } else {
    *err = "unknown base resolution \"" + std::string(text) + "\" (expected config or full)";
    return false;
  }
  return true;
}

std::shared_ptr<const BaseImage> BaseImageResolver::Resolve(const std::string& reference,
                                                            std::string* err) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = memo_.find(reference);
    if (it != memo_.end()) {
      *err = it->second.error;
      return it->second.image;
    }
  }
  Entry entry;
  ImageRef ref;
  if (!ParseImageRef(reference, &ref, &entry.error)) {
    entry.error = "\"" + reference + "\" is not an image reference: " + entry.error;
  } else {
    auto image = std::make_shared<BaseImage>();
    if (Fetch(ref, image.get(), &entry.error)) entry.image = std::move(image);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // Another thread may have resolved it meanwhile: keep the first answer.
  auto inserted = memo_.emplace(reference, std::move(entry)).first;
  *err = inserted->second.error;
  return inserted->second.image;
}

bool BaseImageResolver::Fetch(const ImageRef& ref, BaseImage* out, std::string* err) {
  out->reference = ref.String();
  std::vector<std::string> tried;
  const std::string name = ref.Familiar();
  for (ImageSourceKind kind : sources_.order) {
    if (kind != ImageSourceKind::kRemote) {
      DaemonKind daemon =
          kind == ImageSourceKind::kDocker ? DaemonKind::kDocker : DaemonKind::kPodman;
      std::string env_err;
      for (const DaemonEndpoint& endpoint : DaemonEndpoints(daemon, sources_.getenv, &env_err)) {
        DaemonClient client(endpoint);
        nlohmann::json inspect;
        std::string why;
        if (client.Inspect(name, &inspect, &why) != DaemonClient::Lookup::kFound) {
          tried.push_back(endpoint.Describe() + ": " + why);
          continue;
        }
        if (!ConfigFromInspect(inspect, &out->config, &why)) {
          tried.push_back(endpoint.Describe() + ": " + why);
          continue;
        }
        out->source = endpoint.Describe();
        if (mode_ == BaseResolution::kFull) {
          ImageTarget target;
          ImageTargetSpec spec;
          spec.transport = daemon == DaemonKind::kDocker ? ImageTargetSpec::Transport::kDockerDaemon
                                                         : ImageTargetSpec::Transport::kPodman;
          spec.name = name;
          spec.ref = ref;
          if (!ReadImageFromSource(name, spec, sources_, read_, &target, &why) ||
              target.images.empty()) {
            *err = endpoint.Describe() + ": " + why;
            return false;
          }
          out->image = std::move(target.images.front());
        }
        return true;
      }
      continue;
    }
    RegistryAccess access = MakeRegistryAccess(ref, sources_, read_);
    const std::shared_ptr<RegistryClient>& client = access.client;
    const RegistryArchiveOptions& archive_options = access.archive;
    std::string why;
    std::unique_ptr<ImageArchive> archive = OpenRegistryArchive(client, archive_options, &why);
    if (!archive) {
      tried.push_back("registry " + ref.domain + ": " + why);
      continue;
    }
    ImageReadOptions read = read_;
    if (read.platform.empty()) read.platform = HostPlatform();
    PlanResult plan;
    if (!PlanOciLayout(archive.get(), read, &plan, &why)) {
      // A Windows-only index has nothing for a Linux host: it is a Windows base.
      PlanResult windows;
      std::string ignored;
      read.platform = "windows/amd64";
      if (why.find("windows/") == std::string::npos ||
          !PlanOciLayout(archive.get(), read, &windows, &ignored) || windows.images.empty()) {
        tried.push_back("registry " + ref.domain + ": " + why);
        continue;
      }
      plan = std::move(windows);
    }
    if (plan.images.empty()) {
      tried.push_back("registry " + ref.domain + ": no image in " + ref.Familiar());
      continue;
    }
    out->config = plan.images.front().image.config;
    out->digest = plan.images.front().image.manifest_digest;
    out->source = sources_.offline ? "cache " + archive_options.cache->dir() : client->Describe();
    if (mode_ == BaseResolution::kFull) {
      ImageTarget target;
      auto open = [&](const LayerReadOptions&, std::string* open_err) {
        return OpenRegistryArchive(client, archive_options, open_err);
      };
      if (!ReadImageFrom(ref.String(), open, read, &target, &why) || target.images.empty()) {
        *err = "registry " + ref.domain + ": " + why;
        return false;
      }
      out->image = std::move(target.images.front());
    }
    return true;
  }
  *err = "cannot resolve " + name + ":";
  for (const std::string& t : tried) *err += (t == tried.front() ? " " : "; ") + t;
  if (tried.empty()) *err += " no image source is enabled";
  return false;
}

bool IsWellKnownWindowsImage(const ImageRef& ref) {
  const std::string repository = Lower(ref.repository);
  const std::string tag = Lower(ref.tag);
  if (ref.domain == "mcr.microsoft.com") {
    if (repository.starts_with("windows/") || repository == "windows" ||
        repository.starts_with("dotnet/framework/") || repository.starts_with("windows-")) {
      return true;
    }
  }
  for (const char* word : {"nanoserver", "windowsservercore", "servercore", "ltsc2016", "ltsc2019",
                           "ltsc2022", "ltsc2025", "windows-"}) {
    if (tag.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace imglint
