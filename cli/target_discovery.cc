// SPDX-License-Identifier: Apache-2.0
#include "cli/target_discovery.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "analyzer/image/image_reader.h"
#include "analyzer/manifest/yaml_kind.h"

namespace imglint {
namespace fs = std::filesystem;
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsYamlName(const std::string& filename) {
  std::string lower = Lower(filename);
  return lower.ends_with(".yaml") || lower.ends_with(".yml");
}

// Reads at most `limit` bytes: enough to classify YAML without loading a huge file.
std::string ReadPrefix(const fs::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

// Kind of a YAML file, or nullopt when it is not ours (skipped quietly in
// directory scans).
std::optional<TargetKind> ClassifyYamlFile(const fs::path& path) {
  switch (ClassifyYaml(ReadPrefix(path, 1 << 20))) {
    case YamlKind::kKubernetes:
      return TargetKind::kKubernetes;
    case YamlKind::kCompose:
      return TargetKind::kCompose;
    case YamlKind::kHelmTemplate:
      // Reported by the manifest reader as "not rendered"; the kind decides
      // which reader says so.
      return TargetKind::kKubernetes;
    case YamlKind::kOther:
      break;
  }
  return std::nullopt;
}

void Discover(const std::string& given, bool top_level,
              std::vector<DiscoveredTarget>* out) {
  std::error_code ec;
  fs::path path(given);
  fs::file_status status = fs::status(path, ec);
  if (given == "-") {
    out->push_back({given, TargetKind::kImage, ""});
    return;
  }
  if (ec || !fs::exists(status)) {
    out->push_back({given, TargetKind::kImage, "no such file or directory"});
    return;
  }
  std::string filename = path.filename().string();
  if (fs::is_directory(status)) {
    if (fs::exists(path / "oci-layout", ec)) {
      out->push_back({given, TargetKind::kImage, ""});
      return;
    }
    std::vector<fs::path> children;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name == ".git" || name == "node_modules") continue;
      children.push_back(it->path());
    }
    std::sort(children.begin(), children.end());
    for (const fs::path& child : children) {
      std::string child_path = given.ends_with("/") ? given + child.filename().string()
                                                    : given + "/" + child.filename().string();
      Discover(child_path, false, out);
    }
    return;
  }
  if (!fs::is_regular_file(status) && top_level) {
    out->push_back({given, TargetKind::kImage, ""});  // a pipe or device: read as a stream
    return;
  }
  if (IsDockerfileName(filename)) {
    out->push_back({given, TargetKind::kDockerfile, ""});
  } else if (IsYamlName(filename)) {
    if (auto kind = ClassifyYamlFile(path)) {
      out->push_back({given, *kind, ""});
    } else if (top_level) {
      out->push_back({given, TargetKind::kKubernetes,
                      "not a Kubernetes manifest (no apiVersion/kind) or Compose file (no "
                      "services)"});
    }
  } else if (LooksLikeImage(given)) {
    out->push_back({given, TargetKind::kImage, ""});
  } else if (top_level) {
    out->push_back({given, TargetKind::kImage,
                    "not recognised: not an image tarball, Dockerfile, Kubernetes manifest or "
                    "Compose file (use --dockerfile for a Dockerfile with another name)"});
  }
}

}  // namespace

bool IsDockerfileName(const std::string& filename) {
  std::string lower = Lower(filename);
  return lower == "dockerfile" || lower == "containerfile" || lower.ends_with(".dockerfile") ||
         lower.starts_with("dockerfile.") || lower.starts_with("containerfile.");
}

std::vector<DiscoveredTarget> DiscoverTargets(const std::vector<std::string>& paths,
                                              const std::vector<std::string>& explicit_dockerfiles) {
  std::vector<DiscoveredTarget> out;
  for (const std::string& path : explicit_dockerfiles) {
    out.push_back({path, TargetKind::kDockerfile, ""});
  }
  for (const std::string& path : paths) Discover(path, true, &out);
  return out;
}

}  // namespace imglint
