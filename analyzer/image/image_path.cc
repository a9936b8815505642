// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/image_path.h"

#include <vector>

namespace imglint {
namespace {

// Splits on '/' and applies "." / ".." lexically. Returns false when ".."
// would climb above the first component (only reported, never applied).
bool Resolve(std::string_view path, std::vector<std::string_view>* parts) {
  bool escaped = false;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts->empty()) {
        escaped = true;
      } else {
        parts->pop_back();
      }
      continue;
    }
    parts->push_back(part);
  }
  return !escaped;
}

}  // namespace

std::string NormalizeImagePath(std::string_view path) {
  std::vector<std::string_view> parts;
  Resolve(path, &parts);  // ".." at the root stays at the root, by design
  std::string out;
  for (std::string_view part : parts) {
    out.push_back('/');
    out.append(part);
  }
  if (out.empty()) out.push_back('/');  // not `= "/"`: GCC 12 -O3 -Wrestrict false positive
  return out;
}

bool NormalizeMemberName(std::string_view name, std::string* out) {
  if (name.empty() || name.front() == '/') return false;
  std::vector<std::string_view> parts;
  if (!Resolve(name, &parts) || parts.empty()) return false;
  out->clear();
  for (std::string_view part : parts) {
    if (!out->empty()) out->push_back('/');
    out->append(part);
  }
  return true;
}

std::string_view BaseName(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return path.substr(0, 1);
  return path.substr(0, slash);
}

std::string JoinPath(std::string_view dir, std::string_view rel) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out.push_back('/');
  out.append(rel);
  return out;
}

}  // namespace imglint
