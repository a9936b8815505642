// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/registry_archive.h"

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "analyzer/image/digest.h"
#include "analyzer/image/json_limits.h"
#include "analyzer/parallel.h"

namespace imglint {
namespace {

constexpr std::string_view kBlobPrefix = "blobs/sha256/";

class RegistryArchive : public ImageArchive {
 public:
  RegistryArchive(std::shared_ptr<RegistryClient> client, RegistryArchiveOptions options,
                  FetchedManifest top)
      : client_(std::move(client)), options_(options), top_(std::move(top)) {
    manifests_.insert(top_.digest);
    Learn(top_.bytes);
    blobs_[top_.digest] = top_.bytes;
  }

  bool Resolve(std::string_view name, std::string* canonical, std::string* err) const override {
    if (name == "oci-layout" || name == "index.json") {
      *canonical = std::string(name);
      return true;
    }
    if (name.starts_with(kBlobPrefix) &&
        IsSha256Digest("sha256:" + std::string(name.substr(kBlobPrefix.size())))) {
      *canonical = std::string(name);
      return true;
    }
    *err = "no such member";
    return false;
  }

  bool ReadSmall(const std::string& canonical, std::uint64_t limit, std::string* out,
                 std::string* err) override {
    if (canonical == "oci-layout") {
      *out = R"({"imageLayoutVersion":"1.0.0"})";
      return true;
    }
    if (canonical == "index.json") {
      nlohmann::json descriptor = {{"digest", top_.digest}, {"size", top_.bytes.size()}};
      if (!top_.media_type.empty()) descriptor["mediaType"] = top_.media_type;
      descriptor["annotations"] = {{"org.opencontainers.image.ref.name", client_->ref().String()}};
      nlohmann::json index = {{"schemaVersion", 2}, {"manifests", {descriptor}}};
      *out = index.dump();
      return true;
    }
    const std::string digest = "sha256:" + canonical.substr(kBlobPrefix.size());
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = blobs_.find(digest);
      if (it != blobs_.end()) {
        *out = it->second;
        return true;
      }
    }
    if (options_.cache != nullptr) {
      if (auto cached = options_.cache->GetBlob(digest)) {
        *out = std::move(*cached);
        Remember(digest, *out);
        return true;
      }
    }
    if (options_.offline) {
      *err = digest + " is not cached (--offline)";
      return false;
    }
    bool is_manifest;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      is_manifest = manifests_.count(digest) != 0;
    }
    if (is_manifest) {
      FetchedManifest m;
      if (!client_->GetManifest(digest, limit, &m, err)) return false;
      *out = std::move(m.bytes);
    } else if (!client_->GetBlob(digest, limit, out, err)) {
      return false;
    }
    if (options_.cache != nullptr) options_.cache->PutBlob(digest, *out);
    Remember(digest, *out);
    return true;
  }

  std::uint64_t MemberSize(const std::string& canonical) const override {
    if (!canonical.starts_with(kBlobPrefix)) return 0;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sizes_.find("sha256:" + canonical.substr(kBlobPrefix.size()));
    return it == sizes_.end() ? 0 : it->second;
  }

  void ReadLayers(const std::vector<std::string>& members, const LayerReadOptions& options,
                  int jobs, std::vector<std::shared_ptr<LayerContents>>* out) override {
    out->assign(members.size(), nullptr);
    std::vector<std::uint64_t> sizes;
    for (const auto& name : members) sizes.push_back(MemberSize(name));
    ParallelFor(sizes, jobs, [&](std::size_t i) {
      auto contents = std::make_shared<LayerContents>();
      const std::string digest = "sha256:" + members[i].substr(kBlobPrefix.size());
      if (options_.offline) {
        contents->error =
            "not cached: --offline reads manifests and configs from the cache, never layers";
      } else {
        std::string err;
        auto blob = client_->OpenBlob(digest, sizes[i], &err);
        if (blob) {
          ReadLayer(blob.get(), options, contents.get());
        } else {
          contents->error = err;
        }
      }
      (*out)[i] = std::move(contents);
    });
  }

 private:
  void Remember(const std::string& digest, const std::string& bytes) {
    Learn(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    blobs_.emplace(digest, bytes);
  }

  // An index names manifests (fetched from /manifests/); a manifest names
  // its layers' sizes (scheduling, and the size each stream must have).
  void Learn(const std::string& bytes) {
    nlohmann::json j;
    std::string ignored;
    if (!ParseImageJson(bytes, "manifest", options_.max_metadata_bytes, &j, &ignored)) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (const nlohmann::json* list = JsonArray(j, "manifests")) {
      for (const nlohmann::json& d : *list) {
        std::string digest = d.is_object() ? JsonString(d, "digest") : "";
        if (IsSha256Digest(digest)) manifests_.insert(digest);
      }
    }
    if (const nlohmann::json* layers = JsonArray(j, "layers")) {
      for (const nlohmann::json& d : *layers) {
        if (!d.is_object()) continue;
        std::string digest = JsonString(d, "digest");
        auto size = d.find("size");
        if (IsSha256Digest(digest) && size != d.end() && size->is_number_unsigned()) {
          sizes_[digest] = size->get<std::uint64_t>();
        }
      }
    }
  }

  std::shared_ptr<RegistryClient> client_;
  RegistryArchiveOptions options_;
  FetchedManifest top_;
  mutable std::mutex mutex_;
  std::set<std::string> manifests_;
  std::map<std::string, std::string> blobs_;
  std::map<std::string, std::uint64_t> sizes_;
};

}  // namespace

std::unique_ptr<ImageArchive> OpenRegistryArchive(std::shared_ptr<RegistryClient> client,
                                                  const RegistryArchiveOptions& options,
                                                  std::string* err, bool* is_index) {
  const ImageRef& ref = client->ref();
  FetchedManifest top;
  std::string digest = ref.digest;
  if (digest.empty() && options.cache != nullptr && options.offline) {
    digest = options.cache->GetTag(ref.Name(), ref.tag).value_or("");
  }
  std::optional<std::string> cached;
  if (!digest.empty() && options.cache != nullptr) cached = options.cache->GetBlob(digest);
  if (cached) {
    top.bytes = std::move(*cached);
    top.digest = digest;  // media type: the planner reads it from the content
  } else if (options.offline) {
    *err =
        ref.Familiar() + " is not cached (--offline reads only the metadata cache, " +
        (options.cache != nullptr && options.cache->enabled() ? options.cache->dir() : "disabled") +
        ")";
    return nullptr;
  } else {
    if (!client->GetManifest(ref.ManifestReference(), options.max_metadata_bytes, &top, err)) {
      return nullptr;
    }
    if (options.cache != nullptr) {
      options.cache->PutBlob(top.digest, top.bytes);
      if (ref.digest.empty()) options.cache->PutTag(ref.Name(), ref.tag, top.digest);
    }
  }
  if (is_index != nullptr) {
    nlohmann::json j;
    std::string ignored;
    *is_index = ParseImageJson(top.bytes, "manifest", options.max_metadata_bytes, &j, &ignored) &&
                JsonArray(j, "manifests") != nullptr;
  }
  return std::make_unique<RegistryArchive>(std::move(client), options, std::move(top));
}

}  // namespace imglint
