// SPDX-License-Identifier: Apache-2.0
/// Decides who a USER string runs as, by its spelling and the image's own
/// /etc/passwd and /etc/group. Shared by the image, Dockerfile and manifest
/// sides of the analysis so every rule agrees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/dockerfile/facts.h"
#include "analyzer/image/image.h"
#include "analyzer/source/base_image.h"

namespace imglint {

/// `user[:group]` split at the first colon.
struct UserSpec {
  std::string user;
  std::string group;  // empty when absent
  bool has_group = false;
};
UserSpec ParseUserSpec(std::string_view text);

struct ResolvedUser {
  bool is_root = false;
  std::optional<std::uint32_t> uid;  // when known
  bool user_missing = false;         // a name absent from /etc/passwd (or no passwd)
  bool group_missing = false;        // a group name absent from /etc/group
  /// Root only through the image's /etc/passwd: a name other than "root"
  /// that it gives uid 0 (an alias such as `toor`). Findings then point at
  /// that file and name the image whose file it is.
  bool root_by_passwd = false;
  /// Why it is root, for messages: "USER is empty (defaults to root)",
  /// "\"toor\" has uid 0 in /etc/passwd".
  std::string reason;
};

/// Resolves `spec` against the image's /etc/passwd and /etc/group contents
/// (nullopt = the file does not exist, or no image is known). Without files,
/// only "", "root" and numeric ids can be decided; other names are reported
/// as missing only when `files_known` is true.
ResolvedUser ResolveUser(std::string_view spec, const std::optional<std::string>& passwd,
                         const std::optional<std::string>& group, bool files_known);

/// The configured user of `image`, resolved against its own files.
ResolvedUser ResolveImageUser(const Image& image);

/// Who the final stage of a Dockerfile runs as: resolved against the
/// /etc/passwd and /etc/group of the image it built when one is linked
/// (`image`), else by its spelling alone (root, 0, 0:…, root:…). Without
/// USER, the linked image's configured user applies, and without an image:
/// root.
///
/// Without a linked image, a base read by --resolve-base (`base`) stands in:
/// its configured user applies without USER, and with --resolve-base=full
/// its /etc/passwd and /etc/group decide names — unless the build may add
/// users itself (`may_add_users`: RUN steps, or copies into /etc).
ResolvedUser ResolveFinalUser(const dockerfile::FinalUser& user, const Image* image,
                              const BaseImage* base = nullptr, bool may_add_users = true);

}  // namespace imglint
