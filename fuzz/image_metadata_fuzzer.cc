// SPDX-License-Identifier: Apache-2.0
// OCI and docker-save metadata: oci-layout, index.json (nested indexes),
// manifests, configs and manifest.json, without the tar container and with
// digest verification off, so mutations of the JSON reach the planners
// instead of stopping at a checksum. The input is a list of members:
//
//   ==> oci-layout
//   {"imageLayoutVersion":"1.0.0"}
//   ==> index.json
//   {...}
//   ==> blobs/sha256/<hex>
//   {...}
//
// Every config blob is also fed to ParseImageConfig on its own.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/image_archive.h"
#include "analyzer/image/image_config.h"
#include "analyzer/image/image_path.h"
#include "analyzer/image/image_plan.h"

namespace {

constexpr std::string_view kSeparator = "==> ";

class MemoryArchive : public imglint::ImageArchive {
 public:
  explicit MemoryArchive(std::map<std::string, std::string> members)
      : members_(std::move(members)) {}

  bool Resolve(std::string_view name, std::string* canonical, std::string* err) const override {
    std::string normalized;
    if (!imglint::NormalizeMemberName(name, &normalized)) {
      *err = "escapes the archive";
      return false;
    }
    if (members_.count(normalized) == 0) {
      *err = "no such member";
      return false;
    }
    *canonical = normalized;
    return true;
  }

  bool ReadSmall(const std::string& canonical, std::uint64_t limit, std::string* out,
                 std::string* err) override {
    auto it = members_.find(canonical);
    if (it == members_.end()) {
      *err = "no such member";
      return false;
    }
    if (it->second.size() > limit) {
      *err = "larger than the limit";
      return false;
    }
    *out = it->second;
    return true;
  }

  std::uint64_t MemberSize(const std::string& canonical) const override {
    auto it = members_.find(canonical);
    return it == members_.end() ? 0 : it->second.size();
  }

  void ReadLayers(const std::vector<std::string>& members, const imglint::LayerReadOptions&, int,
                  std::vector<std::shared_ptr<imglint::LayerContents>>* out) override {
    out->clear();
    for (std::size_t i = 0; i < members.size(); ++i) {
      out->push_back(std::make_shared<imglint::LayerContents>());
    }
  }

 private:
  std::map<std::string, std::string> members_;
};

std::map<std::string, std::string> SplitMembers(std::string_view text) {
  std::map<std::string, std::string> members;
  std::size_t pos = text.find(kSeparator);
  while (pos != std::string_view::npos) {
    std::size_t name_start = pos + kSeparator.size();
    std::size_t name_end = text.find('\n', name_start);
    if (name_end == std::string_view::npos) break;
    std::size_t next = text.find(kSeparator, name_end + 1);
    std::string_view data =
        text.substr(name_end + 1,
                    next == std::string_view::npos ? std::string_view::npos : next - name_end - 1);
    members[std::string(text.substr(name_start, name_end - name_start))] = std::string(data);
    pos = next;
  }
  return members;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> members = SplitMembers(text);
  for (const auto& [name, blob] : members) {
    imglint::ImageConfig config;
    std::string err;
    imglint::ParseImageConfig(blob, "config " + name, 1u << 20, &config, &err);
  }
  MemoryArchive archive(std::move(members));
  imglint::ImageReadOptions options;
  options.verify_digests = false;
  options.limits.max_metadata_bytes = 1u << 20;
  for (const char* platform : {"", "linux/arm64/v8"}) {
    options.platform = platform;
    imglint::PlanResult plan;
    std::string err;
    if (archive.Exists("manifest.json")) {
      imglint::PlanDockerSave(&archive, options, &plan, &err);
    } else {
      imglint::PlanOciLayout(&archive, options, &plan, &err);
    }
  }
  return 0;
}
