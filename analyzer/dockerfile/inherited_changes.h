// SPDX-License-Identifier: Apache-2.0
/// Which files of the external base image the build may change. With
/// `--resolve-base=full` the setuid, setgid and capability files of the base
/// are the final image's too — unless a step of the final chain removes,
/// replaces or re-modes them. A base file is reported only when no step can
/// reach it, so a build that clears the bits (`find / -perm /6000 -exec
/// chmod a-s {} +`) or removes the file is never blamed for it.
///
/// Not read: scripts the build runs (`RUN ./harden.sh`), relative paths
/// (WORKDIR is not tracked), and which files a removed package owned (only a
/// file named like the package counts as removed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"

namespace imglint::dockerfile {

struct InheritedFileChanges {
  /// A step whose reach cannot be bounded: a path with a variable left in it,
  /// `COPY … /`, `chmod -R … /`.
  bool anything = false;
  /// Absolute paths the steps name: the file, or everything below a
  /// directory.
  std::vector<std::string> paths;
  /// What a glob starts with ("/usr/bin/pass" for "/usr/bin/pass*").
  std::vector<std::string> prefixes;
  /// Packages the steps remove (`apt-get purge`, `apk del`, `rpm -e` …).
  std::vector<std::string> packages;

  /// May a step of the build have changed the base's file at `image_path`?
  bool MayChange(std::string_view image_path) const;
};

/// The changes the RUN (heredoc scripts included) and COPY/ADD steps of
/// `stages` (the final chain) may make to files they did not create.
InheritedFileChanges ChangesToInheritedFiles(const Dockerfile& dockerfile, const BuildModel& build,
                                             const std::vector<int>& stages);

}  // namespace imglint::dockerfile
