// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/image_facts.h"

#include <cstdio>

#include "analyzer/capabilities.h"
#include "analyzer/image/image_path.h"
#include "analyzer/image/passwd.h"

namespace imglint {

const PortSpec* ImageFacts::LowestPrivilegedPort() const {
  return LowestPrivileged(ports, [](const PortSpec& port) { return &port; });
}

bool ImageFacts::EntrypointBindsLowPorts() const {
  return entrypoint != nullptr && GrantsNetBindService(entrypoint->capabilities);
}

namespace {

// Docker's default PATH when the config sets none.
constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool IsShell(std::string_view program) {
  std::string_view base = BaseName(program);
  return base == "sh" || base == "bash" || base == "ash" || base == "dash";
}

// The first word of a `sh -c` command, after an optional `exec`; "" when it
// is not a plain word (a variable, a subshell, quoting).
std::string ShellCommandProgram(std::string_view command) {
  auto next_word = [&command]() {
    while (!command.empty() && (command.front() == ' ' || command.front() == '\t')) {
      command.remove_prefix(1);
    }
    std::size_t end = command.find_first_of(" \t;&|");
    std::string_view word = command.substr(0, end);
    command.remove_prefix(word.size());
    return word;
  };
  std::string_view word = next_word();
  if (word == "exec") word = next_word();
  if (word.find_first_of("$`'\"(){}<>*?") != std::string_view::npos) return "";
  return std::string(word);
}

const FileEntry* Executable(const Image& image, const std::string& path) {
  const FileEntry* entry = image.FindResolved(path);
  if (entry == nullptr || !IsExecutableKind(*entry) || (entry->mode & 0111) == 0) return nullptr;
  return entry;
}

}  // namespace

const FileEntry* ResolveEntrypoint(const Image& image) {
  const ImageConfig& config = image.config;
  const std::vector<std::string>& argv = config.entrypoint.empty() ? config.cmd : config.entrypoint;
  if (argv.empty()) return nullptr;
  std::string program = argv[0];
  if (IsShell(program) && argv.size() >= 3 && argv[1] == "-c") {
    std::string command = ShellCommandProgram(argv[2]);
    if (!command.empty()) program = command;
  }
  if (program.empty()) return nullptr;
  if (program.find('/') != std::string::npos) {
    if (program.front() != '/') {
      program = JoinPath(config.working_dir.empty() ? "/" : config.working_dir, program);
    }
    return Executable(image, program);
  }
  std::string_view path = kDefaultPath;
  for (const std::string& variable : config.env) {
    if (variable.starts_with("PATH=")) path = std::string_view(variable).substr(5);
  }
  while (true) {
    std::size_t colon = path.find(':');
    std::string_view dir = path.substr(0, colon);
    if (!dir.empty() && dir.front() == '/') {
      if (const FileEntry* entry = Executable(image, JoinPath(dir, program))) return entry;
    }
    if (colon == std::string_view::npos) return nullptr;
    path.remove_prefix(colon + 1);
  }
}

ImageFacts AnalyzeImage(const ImageTarget& target, const Image& image) {
  ImageFacts facts;
  facts.target = &target;
  facts.image = &image;
  facts.location = ImageLocation(target, image);
  facts.user = ResolveImageUser(image);
  for (const std::string& key : image.config.exposed_ports) {
    facts.ports.push_back(ParsePortSpec(key));
  }
  for (const FileEntry& entry : image.files) {
    if (!entry.capabilities.empty() && IsExecutableKind(entry) &&
        GrantsNetBindService(entry.capabilities)) {
      facts.bind_capability_files.push_back(&entry);
    }
  }
  facts.entrypoint = ResolveEntrypoint(image);
  return facts;
}

Location ImageLocation(const ImageTarget& target, const Image& image) {
  Location location;
  location.path = target.path;
  location.platform = image.platform;
  return location;
}

Location FileLocation(const ImageTarget& target, const Image& image, const FileEntry& entry) {
  Location location = ImageLocation(target, image);
  location.image_path = entry.path;
  location.layer_digest = std::string(image.LayerDigest(entry));
  return location;
}

std::string OwnerName(const Image& image, std::uint32_t id, bool group) {
  const std::optional<std::string>& file = group ? image.group : image.passwd;
  if (file) {
    if (group) {
      if (auto entry = FindGroupEntryByGid(*file, id)) return entry->name;
    } else if (auto entry = FindPasswdEntryByUid(*file, id)) {
      return entry->name;
    }
  }
  if (id == 0) return "root";
  return (group ? "gid " : "uid ") + std::to_string(id);
}

std::string OctalMode(std::uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", mode & 07777u);
  return buffer;
}

}  // namespace imglint
