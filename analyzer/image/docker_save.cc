// SPDX-License-Identifier: Apache-2.0
// docker-save tarballs, read the way `docker load` does: manifest.json names
// each image's config and layer members. Classic archives use
// "<hex>.json" and "<id>/layer.tar"; Docker >= 25 uses "blobs/sha256/<hex>"
// and may store "<id>/layer.tar" as a symlink member. Member paths come from
// untrusted JSON, so they are normalised and refused when they escape.
#include <map>

#include "analyzer/image/digest.h"
#include "analyzer/image/image_config.h"
#include "analyzer/image/image_path.h"
#include "analyzer/image/image_plan.h"
#include "analyzer/image/json_limits.h"
#include "analyzer/image/platform.h"

namespace imglint {
namespace {

using nlohmann::json;

// The digest a member name promises: "blobs/sha256/<hex>" or "<hex>.json".
std::string DigestFromMemberName(const std::string& member) {
  constexpr std::string_view kBlobs = "blobs/sha256/";
  std::string candidate;
  if (member.rfind(kBlobs, 0) == 0) {
    candidate = "sha256:" + member.substr(kBlobs.size());
  } else if (member.size() == 64 + 5 && member.compare(64, 5, ".json") == 0) {
    candidate = "sha256:" + member.substr(0, 64);
  }
  return IsSha256Digest(candidate) ? candidate : std::string();
}

bool ResolvePath(ImageArchive* archive, const json& value, const std::string& what,
                 std::string* canonical, std::string* err) {
  if (!value.is_string()) {
    *err = "manifest.json: " + what + " path is not a string";
    return false;
  }
  std::string path = value.get<std::string>();
  std::string normalized;
  if (!NormalizeMemberName(path, &normalized)) {
    *err = "manifest.json: " + what + " path \"" + path + "\" escapes the archive";
    return false;
  }
  std::string reason;
  if (!archive->Resolve(normalized, canonical, &reason)) {
    *err = "manifest.json: " + what + " \"" + path + "\": " + reason;
    return false;
  }
  return true;
}

}  // namespace

bool PlanDockerSave(ImageArchive* archive, const ImageReadOptions& options, PlanResult* out,
                    std::string* err) {
  Platform wanted;
  if (!options.platform.empty() && !ParsePlatform(options.platform, &wanted, err)) return false;
  const std::uint64_t limit = options.limits.max_metadata_bytes;
  std::string canonical;
  std::string text;
  if (!archive->Resolve("manifest.json", &canonical, err) ||
      !archive->ReadSmall(canonical, limit, &text, err)) {
    *err = "manifest.json: " + *err;
    return false;
  }
  json manifest;
  if (!ParseImageJson(text, "manifest.json", limit, &manifest, err)) return false;
  if (!manifest.is_array()) {
    *err = "manifest.json: not a JSON array";
    return false;
  }
  std::vector<std::string> available;
  std::uint64_t config_bytes = 0;
  for (const json& entry : manifest) {
    if (!entry.is_object() || !entry.contains("Config") || JsonArray(entry, "Layers") == nullptr) {
      *err = "manifest.json: entry without Config or Layers";
      return false;
    }
    ++out->total_images;
    ImagePlan plan;
    std::string config_member;
    if (!ResolvePath(archive, entry["Config"], "config", &config_member, err)) return false;
    std::string config_text;
    std::string reason;
    if (!archive->ReadSmall(config_member, limit, &config_text, &reason)) {
      *err = "config \"" + config_member + "\": " + reason;
      return false;
    }
    if (!CountConfigBytes(config_text.size(), &config_bytes, options.limits, err)) return false;
    std::string got = Sha256Digest(config_text);
    std::string promised = DigestFromMemberName(config_member);
    if (options.verify_digests && !promised.empty() && promised != got) {
      *err = "blob " + promised + ": digest mismatch (got " + got + ")";
      return false;
    }
    plan.image.config_digest = got;
    if (!ParseImageConfig(config_text, "config " + got, limit, &plan.image.config, err)) {
      return false;
    }
    Platform platform{plan.image.config.os, plan.image.config.architecture,
                      plan.image.config.variant};
    if (!wanted.empty() && !PlatformMatches(wanted, platform)) {
      available.push_back(platform.ToString());
      continue;
    }
    plan.image.platform = platform.ToString();
    if (const json* tags = JsonArray(entry, "RepoTags")) {
      for (const json& tag : *tags) {
        if (tag.is_string()) plan.image.refs.push_back(tag.get<std::string>());
      }
    }
    // Docker >= 25 describes each layer blob (media type, size) here.
    std::map<std::string, const json*> sources;
    if (const json* ls = JsonObject(entry, "LayerSources")) {
      for (const auto& [digest, desc] : ls->items()) sources[digest] = &desc;
    }
    for (const json& layer : *JsonArray(entry, "Layers")) {
      LayerRef ref;
      if (!ResolvePath(archive, layer, "layer", &ref.member, err)) return false;
      ref.digest = DigestFromMemberName(ref.member);
      auto source = sources.find(ref.digest);
      if (!ref.digest.empty() && source != sources.end()) {
        ref.media_type = JsonString(*source->second, "mediaType");
        auto size = source->second->find("size");
        if (size != source->second->end() && size->is_number_unsigned()) {
          ref.size = size->get<std::uint64_t>();
        }
      }
      plan.layers.push_back(std::move(ref));
    }
    out->images.push_back(std::move(plan));
  }
  if (!wanted.empty() && out->images.empty()) {
    *err = "no image for platform " + options.platform;
    if (!available.empty()) {
      *err += " (available:";
      for (const auto& p : available) *err += " " + p;
      *err += ")";
    }
    return false;
  }
  return true;
}

}  // namespace imglint
