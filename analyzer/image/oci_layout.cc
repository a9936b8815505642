// SPDX-License-Identifier: Apache-2.0
// OCI image layout: oci-layout + index.json, then descriptors down through
// nested indexes (depth-limited) to manifests, their configs and layers.
// Attestation manifests (BuildKit provenance/SBOM) are not images and are
// skipped.
#include <algorithm>
#include <map>
#include <set>

#include "analyzer/image/digest.h"
#include "analyzer/image/image_config.h"
#include "analyzer/image/image_plan.h"
#include "analyzer/image/json_limits.h"
#include "analyzer/image/platform.h"
#include "analyzer/limit_hint.h"

namespace imglint {
namespace {

using nlohmann::json;

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

struct Descriptor {
  std::string media_type;
  std::string digest;
  std::uint64_t size = 0;
  Platform platform;
  std::vector<std::string> refs;
  bool attestation = false;
};

bool ParseDescriptor(const json& j, std::string_view what, Descriptor* d, std::string* err) {
  if (!j.is_object()) {
    *err = std::string(what) + ": descriptor is not an object";
    return false;
  }
  d->media_type = JsonString(j, "mediaType");
  d->digest = JsonString(j, "digest");
  if (!IsSha256Digest(d->digest)) {
    *err = std::string(what) + ": invalid digest \"" + d->digest.substr(0, 80) +
           "\" (expected sha256:<64 hex digits>)";
    return false;
  }
  auto size = j.find("size");
  if (size != j.end() && size->is_number_unsigned()) d->size = size->get<std::uint64_t>();
  if (const json* p = JsonObject(j, "platform")) {
    d->platform.os = JsonString(*p, "os");
    d->platform.architecture = JsonString(*p, "architecture");
    d->platform.variant = JsonString(*p, "variant");
  }
  if (const json* ann = JsonObject(j, "annotations")) {
    for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
      std::string ref = JsonString(*ann, key);
      if (!ref.empty()) d->refs.push_back(ref);
    }
    d->attestation = JsonString(*ann, "vnd.docker.reference.type") == "attestation-manifest";
  }
  if (d->platform.os == "unknown" && d->platform.architecture == "unknown") d->attestation = true;
  return true;
}

class OciPlanner {
 public:
  OciPlanner(ImageArchive* archive, const ImageReadOptions& options, PlanResult* out)
      : archive_(archive), options_(options), out_(out) {}

  bool Run(std::string* err) {
    if (!options_.platform.empty() && !ParsePlatform(options_.platform, &wanted_, err)) {
      return false;
    }
    std::string text;
    if (!ReadMember("oci-layout", &text, err)) return false;
    json layout;
    if (!ParseImageJson(text, "oci-layout", options_.limits.max_metadata_bytes, &layout, err)) {
      return false;
    }
    if (!layout.is_object() || JsonString(layout, "imageLayoutVersion").empty()) {
      *err = "oci-layout: missing imageLayoutVersion";
      return false;
    }
    if (!ReadMember("index.json", &text, err)) return false;
    json index;
    if (!ParseImageJson(text, "index.json", options_.limits.max_metadata_bytes, &index, err)) {
      return false;
    }
    if (!WalkIndex(index, "index.json", 0, {}, err)) return false;
    if (!wanted_.empty() && out_->images.empty()) {
      *err = "no image for platform " + options_.platform;
      if (!available_.empty()) {
        *err += " (available:";
        for (const auto& p : available_) *err += " " + p;
        *err += ")";
      }
      return false;
    }
    out_->total_images = seen_manifests_.size();
    return true;
  }

 private:
  bool ReadMember(const std::string& name, std::string* text, std::string* err) {
    std::string canonical;
    if (!archive_->Resolve(name, &canonical, err) ||
        !archive_->ReadSmall(canonical, options_.limits.max_metadata_bytes, text, err)) {
      *err = name + ": " + *err;
      return false;
    }
    return true;
  }

  bool WalkIndex(const json& index, const std::string& what, int depth,
                 const std::vector<std::string>& refs, std::string* err) {
    const json* manifests = JsonArray(index, "manifests");
    if (manifests == nullptr) {
      *err = what + ": no \"manifests\" array";
      return false;
    }
    for (const json& item : *manifests) {
      Descriptor d;
      if (!ParseDescriptor(item, what, &d, err)) return false;
      if (d.attestation) continue;
      d.refs.insert(d.refs.begin(), refs.begin(), refs.end());
      // Each blob is read and walked once: an index listing one index (or
      // one untyped blob) 100,000 times must not read it 100,000 times.
      if (seen_manifests_.count(d.digest) != 0) {
        if (!AddManifest(d, nullptr, err)) return false;  // only merges the refs
        continue;
      }
      if (!walked_.insert(d.digest).second) continue;
      std::string kind = d.media_type;
      json child;
      bool have_child = false;
      if (kind != kOciIndex && kind != kDockerList && kind != kOciManifest &&
          kind != kDockerManifest) {
        // Missing or unknown media type: decide from the content.
        if (!ReadJsonBlob(d.digest, "blob " + d.digest, &child, err)) return false;
        have_child = true;
        if (JsonArray(child, "manifests") != nullptr) {
          kind = std::string(kOciIndex);
        } else if (JsonObject(child, "config") != nullptr) {
          kind = std::string(kOciManifest);
        } else {
          continue;  // not an image (e.g. an artifact); nothing to lint
        }
      }
      if (kind == kOciIndex || kind == kDockerList) {
        if (depth + 1 > options_.limits.max_index_depth) {
          *err = what + ": indexes nested deeper than " +
                 std::to_string(options_.limits.max_index_depth) + " levels";
          return false;
        }
        if (!have_child && !ReadJsonBlob(d.digest, "index " + d.digest, &child, err)) {
          return false;
        }
        if (!WalkIndex(child, "index " + d.digest, depth + 1, d.refs, err)) return false;
        continue;
      }
      if (!AddManifest(d, have_child ? &child : nullptr, err)) return false;
    }
    return true;
  }

  bool ReadJsonBlob(const std::string& digest, const std::string& what, json* out,
                    std::string* err) {
    std::string text;
    if (!ReadVerifiedBlob(archive_, digest, options_, options_.limits.max_metadata_bytes, &text,
                          err)) {
      return false;
    }
    return ParseImageJson(text, what, options_.limits.max_metadata_bytes, out, err);
  }

  bool AddManifest(const Descriptor& d, const json* parsed, std::string* err) {
    auto seen = seen_manifests_.find(d.digest);
    if (seen != seen_manifests_.end()) {
      // The same manifest listed twice (two tags): one image, both refs.
      if (seen->second != SIZE_MAX) {
        auto& refs = out_->images[seen->second].image.refs;
        for (const auto& r : d.refs) {
          if (std::find(refs.begin(), refs.end(), r) == refs.end()) refs.push_back(r);
        }
      }
      return true;
    }
    seen_manifests_[d.digest] = SIZE_MAX;
    if (!wanted_.empty() && !d.platform.empty() && !PlatformMatches(wanted_, d.platform)) {
      available_.push_back(d.platform.ToString());
      return true;
    }
    json manifest;
    if (parsed != nullptr) {
      manifest = *parsed;
    } else if (!ReadJsonBlob(d.digest, "manifest " + d.digest, &manifest, err)) {
      return false;
    }
    const json* config_json = JsonObject(manifest, "config");
    const json* layers_json = JsonArray(manifest, "layers");
    if (config_json == nullptr || layers_json == nullptr) {
      *err = "manifest " + d.digest + ": missing config or layers";
      return false;
    }
    std::string what = "manifest " + d.digest;
    Descriptor config_desc;
    if (!ParseDescriptor(*config_json, what, &config_desc, err)) return false;
    std::string config_text;
    if (!ReadVerifiedBlob(archive_, config_desc.digest, options_,
                          options_.limits.max_metadata_bytes, &config_text, err)) {
      return false;
    }
    if (!CountConfigBytes(config_text.size(), &config_bytes_, options_.limits, err)) return false;
    ImagePlan plan;
    plan.image.manifest_digest = d.digest;
    plan.image.config_digest = config_desc.digest;
    plan.image.refs = d.refs;
    if (!ParseImageConfig(config_text, "config " + config_desc.digest,
                          options_.limits.max_metadata_bytes, &plan.image.config, err)) {
      return false;
    }
    Platform platform = d.platform;
    if (platform.empty()) {
      platform = {plan.image.config.os, plan.image.config.architecture, plan.image.config.variant};
    }
    if (!wanted_.empty() && !PlatformMatches(wanted_, platform)) {
      available_.push_back(platform.ToString());
      return true;
    }
    plan.image.platform = platform.ToString();
    for (const json& item : *layers_json) {
      Descriptor layer;
      if (!ParseDescriptor(item, what, &layer, err)) return false;
      LayerRef ref;
      ref.digest = layer.digest;
      ref.media_type = layer.media_type;
      ref.size = layer.size;
      std::string member;
      BlobMemberName(layer.digest, &member);
      std::string reason;
      if (!archive_->Resolve(member, &ref.member, &reason)) {
        *err = "blob " + layer.digest + ": missing from the archive";
        return false;
      }
      plan.layers.push_back(std::move(ref));
    }
    seen_manifests_[d.digest] = out_->images.size();
    out_->images.push_back(std::move(plan));
    return true;
  }

  ImageArchive* archive_;
  const ImageReadOptions& options_;
  PlanResult* out_;
  Platform wanted_;
  std::vector<std::string> available_;
  std::map<std::string, std::size_t> seen_manifests_;  // digest -> image index or SIZE_MAX
  std::set<std::string> walked_;                       // index and untyped blob digests
  std::uint64_t config_bytes_ = 0;
};

}  // namespace

bool CountConfigBytes(std::uint64_t size, std::uint64_t* total, const ImageLimits& limits,
                      std::string* err) {
  // Every image keeps its own parsed config: thousands of manifests sharing
  // one large config would otherwise cost thousands of copies.
  const std::uint64_t limit = 4 * limits.max_metadata_bytes;
  *total += size;
  if (*total > limit) {
    *err = "the image configs of this target add up to more than " + std::to_string(limit) +
           " bytes (4 x the metadata limit)" + LimitHint("max-metadata-bytes");
    return false;
  }
  return true;
}

bool BlobMemberName(std::string_view digest, std::string* member) {
  std::string_view hex = DigestHex(digest);
  if (hex.empty()) return false;
  *member = "blobs/sha256/" + std::string(hex);
  return true;
}

bool ReadVerifiedBlob(ImageArchive* archive, std::string_view digest,
                      const ImageReadOptions& options, std::uint64_t limit, std::string* out,
                      std::string* err) {
  std::string member;
  if (!BlobMemberName(digest, &member)) {
    *err = "invalid digest \"" + std::string(digest.substr(0, 80)) + "\"";
    return false;
  }
  std::string canonical;
  std::string reason;
  if (!archive->Resolve(member, &canonical, &reason)) {
    *err = "blob " + std::string(digest) + ": missing from the archive";
    return false;
  }
  if (!archive->ReadSmall(canonical, limit, out, &reason)) {
    *err = "blob " + std::string(digest) + ": " + reason;
    return false;
  }
  if (options.verify_digests) {
    std::string got = Sha256Digest(*out);
    if (got != digest) {
      *err = "blob " + std::string(digest) + ": digest mismatch (got " + got + ")";
      return false;
    }
  }
  return true;
}

bool PlanOciLayout(ImageArchive* archive, const ImageReadOptions& options, PlanResult* out,
                   std::string* err) {
  return OciPlanner(archive, options, out).Run(err);
}

}  // namespace imglint
