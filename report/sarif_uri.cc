// SPDX-License-Identifier: Apache-2.0
#include "report/sarif_uri.h"

#include <filesystem>

#include "analyzer/text.h"

namespace imglint {
namespace {

namespace fs = std::filesystem;

/// Lexically normal, absolute (against `base`), without a trailing '/'.
std::string Normalise(const std::string& path, const std::string& base) {
  fs::path p(path.empty() ? "." : path);
  if (!p.is_absolute()) p = fs::path(base.empty() ? "/" : base) / p;
  std::string out = p.lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string FileUri(const std::string& absolute) { return "file://" + PercentEncodePath(absolute); }

}  // namespace

SarifUriMapper::SarifUriMapper(const std::string& root, const std::string& working_dir)
    : root_(Normalise(root, working_dir)), working_dir_(Normalise(working_dir, "/")) {}

ArtifactUri SarifUriMapper::Map(const std::string& path) const {
  std::string absolute = Normalise(path, working_dir_);
  fs::path relative = fs::path(absolute).lexically_relative(root_);
  std::string rel = relative.generic_string();
  bool inside = !rel.empty() && rel != "." && rel != ".." && !rel.starts_with("../");
  ArtifactUri out;
  if (inside) {
    out.uri = PercentEncodePath(rel);
    out.relative = true;
  } else {
    out.uri = FileUri(absolute);
  }
  return out;
}

std::string SarifUriMapper::RootUri() const { return FileUri(root_ == "/" ? root_ : root_ + "/"); }

}  // namespace imglint
