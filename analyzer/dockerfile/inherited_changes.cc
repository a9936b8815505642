// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/inherited_changes.h"

#include <algorithm>
#include <array>

#include "analyzer/dockerfile/file_modes.h"
#include "analyzer/dockerfile/run_commands.h"

namespace imglint::dockerfile {
namespace {

bool IsOption(std::string_view word) { return word.size() > 1 && word[0] == '-'; }

// Programs that change, replace or remove the files their operands name.
constexpr std::array<std::string_view, 17> kFileChangers = {
    "chmod",   "chown",    "chgrp", "setcap",   "rm",    "unlink",   "mv",    "cp",      "ln",
    "install", "ginstall", "rsync", "truncate", "shred", "patchelf", "strip", "setfattr"};

// The first operand of these is not a file: the owner or capabilities
// (chmod's mode, which may look like an option, is found by ChmodMode).
bool FirstOperandIsNotAFile(std::string_view program, const Words& words) {
  if (program == "chown" || program == "chgrp") return true;
  if (program == "setcap") {
    return std::find(words.begin(), words.end(), "-r") == words.end();
  }
  return false;
}

void AddPath(std::string_view word, InheritedFileChanges* out) {
  if (word.find('$') != std::string_view::npos || word.find('`') != std::string_view::npos) {
    out->anything = true;  // a path the build computes: its reach is unknown
    return;
  }
  if (word.empty() || word[0] != '/') return;  // relative to a WORKDIR not tracked
  const size_t glob = word.find_first_of("*?[{");
  std::string path(word.substr(0, glob));
  if (glob == std::string_view::npos) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
  }
  if (path == "/") {
    out->anything = true;
  } else if (glob != std::string_view::npos) {
    out->prefixes.push_back(std::move(path));
  } else {
    out->paths.push_back(std::move(path));
  }
}

// `find START… -exec|-delete …`: everything below the start paths.
void AddFind(const Words& words, InheritedFileChanges* out) {
  const bool acts = std::any_of(words.begin(), words.end(), [](const std::string& w) {
    return w == "-exec" || w == "-execdir" || w == "-ok" || w == "-okdir" || w == "-delete";
  });
  if (!acts) return;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.empty() || w[0] == '-' || w[0] == '(' || w[0] == '!') break;
    AddPath(w, out);
  }
}

// `tar -x … -C DIR` / `--directory=DIR` replaces files below DIR.
void AddExtraction(const Words& words, InheritedFileChanges* out) {
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "-C" && i + 1 < words.size()) AddPath(words[i + 1], out);
    if (words[i].starts_with("--directory=")) AddPath(words[i].substr(12), out);
  }
}

// Package names without version or architecture ("passwd=1:4.8", "login:amd64").
void AddPackages(const Words& words, size_t first, InheritedFileChanges* out) {
  for (size_t i = first; i < words.size(); ++i) {
    if (IsOption(words[i])) continue;
    std::string name = words[i].substr(0, words[i].find_first_of("=:<>~"));
    if (!name.empty()) out->packages.push_back(std::move(name));
  }
}

// `apt-get purge X`, `apk del X`, `dpkg -r X`, `rpm -e X`, `dnf remove X` …
void AddRemovedPackages(std::string_view program, const Words& words, InheritedFileChanges* out) {
  auto subcommand_at = [&](std::initializer_list<std::string_view> names) -> size_t {
    for (size_t i = 1; i < words.size(); ++i) {
      if (IsOption(words[i])) continue;
      const bool match = std::find(names.begin(), names.end(), words[i]) != names.end();
      return match ? i + 1 : 0;  // the first word that is not an option decides
    }
    return 0;
  };
  size_t first = 0;
  if (program == "apt-get" || program == "apt" || program == "aptitude") {
    first = subcommand_at({"remove", "purge"});
  } else if (program == "apk") {
    first = subcommand_at({"del"});
  } else if (program == "dnf" || program == "yum" || program == "microdnf" || program == "tdnf") {
    first = subcommand_at({"remove", "erase"});
  } else if (program == "zypper") {
    first = subcommand_at({"rm", "remove"});
  } else if (program == "dpkg" || program == "rpm") {
    for (size_t i = 1; i < words.size() && first == 0; ++i) {
      const std::string& w = words[i];
      if (w == "-r" || w == "-P" || w == "--remove" || w == "--purge" || w == "-e" ||
          w == "--erase") {
        first = i + 1;
      }
    }
  }
  if (first != 0) AddPackages(words, first, out);
}

void AddInvocation(const Words& words, InheritedFileChanges* out) {
  const std::string_view program = Basename(words[0]);
  if (program == "find") {
    AddFind(words, out);
  } else if (program == "tar" || program == "bsdtar") {
    AddExtraction(words, out);
  } else if (const std::optional<ModeUse> chmod =
                 program == "chmod" ? ChmodMode(words) : std::nullopt) {
    for (size_t i = chmod->mode_word + 1; i < words.size(); ++i) {
      if (!IsOption(words[i])) AddPath(words[i], out);
    }
  } else if (std::find(kFileChangers.begin(), kFileChangers.end(), program) !=
             kFileChangers.end()) {
    bool skip_first = FirstOperandIsNotAFile(program, words);
    for (size_t i = 1; i < words.size(); ++i) {
      if (IsOption(words[i])) continue;
      if (skip_first) {
        skip_first = false;
        continue;
      }
      AddPath(words[i], out);
    }
  } else {
    AddRemovedPackages(program, words, out);
  }
}

}  // namespace

bool InheritedFileChanges::MayChange(std::string_view image_path) const {
  if (anything) return true;
  for (const std::string& path : paths) {
    if (image_path == path || (image_path.starts_with(path) && image_path.size() > path.size() &&
                               image_path[path.size()] == '/')) {
      return true;
    }
  }
  for (const std::string& prefix : prefixes) {
    if (image_path.starts_with(prefix)) return true;
  }
  const std::string_view name = Basename(image_path);
  return std::find(packages.begin(), packages.end(), name) != packages.end();
}

InheritedFileChanges ChangesToInheritedFiles(const Dockerfile& dockerfile, const BuildModel& build,
                                             const std::vector<int>& stages) {
  InheritedFileChanges out;
  ForEachInvocation(
      dockerfile, build, stages, [](std::string_view) { return true; },
      [&](const Stage&, const RunCommand&, const Instruction&, const LocatedCommand&,
          const Words& words) {
        if (!words.empty()) AddInvocation(words, &out);
      });
  // COPY and ADD replace what is at their destination.
  for (int s : stages) {
    for (const CopyCommand& copy : build.stages[s].copies) {
      if (!copy.destination.resolved()) {
        out.anything = true;
      } else {
        AddPath(copy.destination.value, &out);
      }
    }
  }
  return out;
}

}  // namespace imglint::dockerfile
