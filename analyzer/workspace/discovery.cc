// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/discovery.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "analyzer/image/image_reader.h"
#include "analyzer/manifest/classify.h"
#include "analyzer/source/image_source.h"
#include "analyzer/workspace/read_text.h"

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

// Kind of a YAML file, or nullopt when it is not ours (skipped quietly in
// directory scans; *why says why for a file named on the command line).
std::optional<TargetKind> ClassifyYamlFile(const fs::path& path, const Limits& limits,
                                           std::string* why) {
  ReadError error;
  YamlKind kind = ClassifyYaml(ReadFilePrefix(path.string(), 1 << 20), &error, limits);
  if (kind == YamlKind::kInvalid) {
    *why = error.line > 0 ? "line " + std::to_string(error.line) + ":" +
                                std::to_string(error.column) + ": " + error.message
                          : error.message;
  }
  switch (kind) {
    case YamlKind::kKubernetes:
      return TargetKind::kKubernetes;
    case YamlKind::kCompose:
      return TargetKind::kCompose;
    case YamlKind::kHelmTemplate:
      // Reported by the manifest reader as "not rendered"; the kind decides
      // which reader says so.
      return TargetKind::kKubernetes;
    case YamlKind::kOther:
    case YamlKind::kInvalid:
      break;
  }
  return std::nullopt;
}

// A Dockerfile by content (docs/design.md §2): its first instruction after blank
// lines, comments and parser directives is FROM or ARG. Binary data (a NUL)
// never is.
bool FirstInstructionIsFromOrArg(const std::string& prefix) {
  if (prefix.find('\0') != std::string::npos) return false;
  size_t pos = prefix.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 BOM
  while (pos < prefix.size()) {
    size_t end = prefix.find('\n', pos);
    if (end == std::string::npos) end = prefix.size();
    std::string_view line(prefix.data() + pos, end - pos);
    pos = end + 1;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.remove_prefix(1);
    }
    if (line.empty() || line.front() == '#') continue;
    size_t word_end = 0;
    while (word_end < line.size() && std::isalpha(static_cast<unsigned char>(line[word_end]))) {
      ++word_end;
    }
    const std::string word = Lower(std::string(line.substr(0, word_end)));
    const bool separated =
        word_end < line.size() && std::isspace(static_cast<unsigned char>(line[word_end]));
    return (word == "from" || word == "arg") && separated;
  }
  return false;
}

// "app.tar", "k8s/deploy.yaml", "Dockerfile.dev": valid image references
// too, but a user who typed one meant a file that is not there.
bool LooksLikeFileName(const std::string& target) {
  std::string lower = Lower(target);
  for (const char* suffix : {".tar", ".tgz", ".gz", ".zst", ".json", ".yaml", ".yml"}) {
    if (lower.ends_with(suffix)) return true;
  }
  return lower.find(".tar") != std::string::npos || lower.find("dockerfile") != std::string::npos ||
         lower.find("containerfile") != std::string::npos;
}

// Patterns in force while walking one directory given on the command line.
struct Scan {
  std::vector<std::shared_ptr<const PathPattern>> exclude;
  std::string root;  // the directory as given, with a trailing '/'
};

// `.imglintignore`: one glob (or re: pattern) per line, '#' comments.
void ReadIgnoreFile(const fs::path& file, Scan* scan, std::vector<DiscoveredTarget>* out) {
  std::ifstream in(file);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::string error;
    if (auto pattern = PathPattern::Compile(line, &error)) {
      scan->exclude.push_back(std::move(pattern));
    } else {
      out->push_back({file.string() + ":" + std::to_string(number), TargetKind::kImage, error});
    }
  }
}

bool Excluded(const Scan* scan, const std::string& path, bool is_dir) {
  if (!scan || scan->exclude.empty() || !path.starts_with(scan->root)) return false;
  std::string relative = path.substr(scan->root.size());
  for (const auto& pattern : scan->exclude) {
    if (pattern->Matches(relative)) return true;
    // "vendor/**" also excludes the directory "vendor" itself.
    if (is_dir && pattern->Matches(relative + "/")) return true;
  }
  return false;
}

// The directories and regular files in `dir`, sorted by name, with the type
// each entry carries (d_type: no stat(2) per file; lstat only where the file
// system gives none). Left out: `.git` and `node_modules`; symbolic links, so
// a scan never follows one out of the tree or round a loop; and anything else
// (a FIFO named Dockerfile would block the read forever, a socket or device
// is no text). Plain strings and readdir: a directory of thousands of
// Dockerfiles is listed before any is read, on one thread.
std::vector<std::pair<std::string, fs::file_type>> ListDirectory(const std::string& dir) {
  std::vector<std::pair<std::string, fs::file_type>> entries;
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) return entries;
  const std::string prefix = dir.ends_with("/") ? dir : dir + "/";
  while (const dirent* entry = ::readdir(stream)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == ".." || name == ".git" || name == "node_modules") continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {
      struct stat info;
      const std::string path = prefix + std::string(name);
      if (::lstat(path.c_str(), &info) != 0) continue;
      type = S_ISDIR(info.st_mode) ? DT_DIR : S_ISREG(info.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_DIR) {
      entries.emplace_back(name, fs::file_type::directory);
    } else if (type == DT_REG) {
      entries.emplace_back(name, fs::file_type::regular);
    }
  }
  ::closedir(stream);
  std::sort(entries.begin(), entries.end());
  return entries;
}

// `known`: the type a directory entry gave (no symlinks, they are skipped), so
// a file found in a directory costs no stat(2) before it is read.
void Discover(std::string given, bool top_level, const Scan* scan,
              const std::vector<std::shared_ptr<const PathPattern>>& exclude, const Limits& limits,
              std::vector<DiscoveredTarget>* out, fs::file_type known = fs::file_type::none) {
  std::error_code ec;
  fs::file_status status =
      known != fs::file_type::none ? fs::file_status(known) : fs::status(given, ec);
  if (given == "-") {
    out->push_back({given, TargetKind::kImage, ""});
    return;
  }
  if (top_level && HasImageTransport(given)) {
    out->push_back({given, TargetKind::kImage, ""});  // the image source reports its errors
    return;
  }
  if (ec || !fs::exists(status)) {
    // Not a path: an image reference (nginx:1.25) when it parses as one and
    // does not look like a mistyped file name.
    ImageTargetSpec spec;
    std::string why;
    if (top_level && !LooksLikeFileName(given) && ParseImageTarget(given, &spec, &why)) {
      out->push_back({given, TargetKind::kImage, ""});
    } else {
      out->push_back({given, TargetKind::kImage, "no such file or directory"});
    }
    return;
  }
  // What fs::path::filename() gives.
  const std::string filename = given.substr(given.find_last_of('/') + 1);
  if (fs::is_directory(status)) {
    const fs::path path(given);
    if (fs::exists(path / "oci-layout", ec)) {
      out->push_back({given, TargetKind::kImage, ""});
      return;
    }
    Scan own;
    if (top_level) {
      own.root = given.ends_with("/") ? given : given + "/";
      own.exclude = exclude;
      if (fs::is_regular_file(path / ".imglintignore", ec)) {
        ReadIgnoreFile(path / ".imglintignore", &own, out);
      }
      scan = &own;
    }
    for (const auto& [name, type] : ListDirectory(given)) {
      std::string child_path = given.ends_with("/") ? given + name : given + "/" + name;
      if (Excluded(scan, child_path, type == fs::file_type::directory)) continue;
      Discover(std::move(child_path), false, scan, exclude, limits, out, type);
    }
    return;
  }
  if (!fs::is_regular_file(status) && top_level) {
    out->push_back({given, TargetKind::kImage, ""});  // a pipe or device: read as a stream
    return;
  }
  // From here on `given` is a regular file: a scan lists no other kind, and
  // anything else named on the command line was taken above. Said so to the
  // reader, which then needs no fstat(2) to know a short read is the end.
  // The path is built only when the content must be read: a scan of
  // thousands of Dockerfiles recognises nearly all by name.
  auto add = [&](TargetKind kind, std::string error = "") {
    out->push_back({std::move(given), kind, std::move(error), /*regular_file=*/true});
  };
  const auto path = [&] { return fs::path(given); };
  std::optional<TargetKind> yaml_kind;
  if (IsDockerfileName(filename)) {
    add(TargetKind::kDockerfile);
  } else if (IsYamlName(filename)) {
    std::string why;
    if (auto kind = ClassifyYamlFile(path(), limits, &why)) {
      add(*kind);
    } else if (top_level) {
      add(TargetKind::kKubernetes, why.empty() ? "not a Kubernetes manifest (no apiVersion/kind) "
                                                 "or Compose file (no services)"
                                               : why);
    }
  } else if (Lower(filename).find("dockerfile") != std::string::npos &&
             FirstInstructionIsFromOrArg(ReadFilePrefix(given, 64 << 10))) {
    // "src__adservice__Dockerfile.in", "Dockerfile~": the name hints, the content decides.
    add(TargetKind::kDockerfile);
  } else if (LooksLikeImage(given)) {
    add(TargetKind::kImage);
  } else if (top_level && FirstInstructionIsFromOrArg(ReadFilePrefix(given, 64 << 10))) {
    add(TargetKind::kDockerfile);
  } else if (std::string why; top_level && (yaml_kind = ClassifyYamlFile(path(), limits, &why))) {
    add(*yaml_kind);  // named on the command line: by content
  } else if (top_level) {
    add(TargetKind::kImage,
        "not recognised: not an image tarball, Dockerfile, Kubernetes manifest or "
        "Compose file (use --dockerfile for a Dockerfile with another name)");
  }
}

}  // namespace

bool LooksLikeDockerfile(const std::string& head) { return FirstInstructionIsFromOrArg(head); }

bool IsDockerfileName(const std::string& filename) {
  const std::string lower = Lower(filename);
  const std::string_view name = lower;
  for (const std::string_view stem : {"dockerfile", "containerfile"}) {
    if (name == stem) return true;
    auto separator = [](char c) { return c == '.' || c == '-' || c == '_'; };
    if (name.size() > stem.size() && name.starts_with(stem) && separator(name[stem.size()])) {
      return true;
    }
    if (name.size() > stem.size() && name.ends_with(stem) &&
        separator(name[name.size() - stem.size() - 1])) {
      return true;
    }
  }
  return false;
}

std::vector<DiscoveredTarget> DiscoverTargets(
    const std::vector<std::string>& paths, const std::vector<std::string>& explicit_dockerfiles,
    const std::vector<std::shared_ptr<const PathPattern>>& exclude, const Limits& yaml_limits) {
  std::vector<DiscoveredTarget> out;
  for (const std::string& path : explicit_dockerfiles) {
    out.push_back({path, TargetKind::kDockerfile, ""});
  }
  for (const std::string& path : paths) Discover(path, true, nullptr, exclude, yaml_limits, &out);
  return out;
}

}  // namespace imglint
