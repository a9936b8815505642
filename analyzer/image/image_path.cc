// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/image_path.h"

#include <deque>
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

namespace {

// Splits "/a/b" or "a/b" into components (empty ones dropped).
void AppendComponents(std::string_view path, std::deque<std::string>* out, bool front) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (end > pos) parts.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  if (front) {
    out->insert(out->begin(), parts.begin(), parts.end());
  } else {
    out->insert(out->end(), parts.begin(), parts.end());
  }
}

}  // namespace

std::optional<std::string> ResolveInImage(
    std::string_view path,
    const std::function<const std::string*(const std::string&)>& symlink_target) {
  std::deque<std::string> pending;
  AppendComponents(path, &pending, false);
  std::string current;               // "" stands for "/"
  std::vector<std::size_t> lengths;  // length of `current` before each component
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!lengths.empty()) {  // never above the root
        current.resize(lengths.back());
        lengths.pop_back();
      }
      continue;
    }
    lengths.push_back(current.size());
    current += "/" + part;
    const std::string* target = symlink_target(current);
    if (target == nullptr) continue;
    if (++hops > kMaxSymlinkHops) return std::nullopt;
    current.resize(lengths.back());
    lengths.pop_back();
    if (!target->empty() && target->front() == '/') {
      current.clear();
      lengths.clear();
    }
    AppendComponents(*target, &pending, true);
  }
  return current.empty() ? std::string("/") : current;
}

}  // namespace imglint
