// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/user_resolution.h"

#include "analyzer/image/passwd.h"

namespace imglint {

UserSpec ParseUserSpec(std::string_view text) {
  UserSpec spec;
  size_t colon = text.find(':');
  spec.user = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    spec.has_group = true;
    spec.group = std::string(text.substr(colon + 1));
  }
  return spec;
}

ResolvedUser ResolveUser(std::string_view spec_text, const std::optional<std::string>& passwd,
                         const std::optional<std::string>& group, bool files_known) {
  ResolvedUser out;
  UserSpec spec = ParseUserSpec(spec_text);
  if (spec.user.empty()) {
    out.is_root = true;
    out.uid = 0;
    out.reason = spec_text.empty() ? "no user is set, so it runs as root"
                                   : "the user part is empty, so it runs as root";
  } else if (auto uid = ParseId(spec.user)) {
    out.uid = *uid;
    out.is_root = *uid == 0;
    if (out.is_root) out.reason = "uid 0 is root";
  } else if (passwd && LookupUid(*passwd, spec.user)) {
    out.uid = LookupUid(*passwd, spec.user);
    out.is_root = *out.uid == 0;
    if (out.is_root && spec.user != "root") {
      out.root_by_passwd = true;
      out.reason = "\"" + spec.user + "\" has uid 0 in /etc/passwd";
    } else if (out.is_root) {
      out.reason = "root is uid 0";
    }
  } else if (spec.user == "root") {
    // Runtimes resolve "root" to uid 0 even without /etc/passwd.
    out.is_root = true;
    out.uid = 0;
    out.reason = "root is uid 0";
  } else {
    out.user_missing = files_known;
  }
  if (spec.has_group && !spec.group.empty() && !ParseId(spec.group) && files_known) {
    out.group_missing = !(group && LookupGid(*group, spec.group));
  }
  return out;
}

ResolvedUser ResolveImageUser(const Image& image) {
  return ResolveUser(image.config.user, image.passwd, image.group, /*files_known=*/true);
}

ResolvedUser ResolveFinalUser(const dockerfile::FinalUser& user, const Image* image,
                              const BaseImage* base, bool may_add_users) {
  const std::optional<std::string> none;
  if (image == nullptr && base != nullptr) {
    const std::string& spec = user.has_user ? user.value : base->config.user;
    const Image* files = base->image ? &*base->image : nullptr;
    const bool known = files != nullptr && (!user.has_user || !may_add_users);
    return ResolveUser(spec, known ? files->passwd : none, known ? files->group : none, known);
  }
  const std::string& spec =
      user.has_user ? user.value : (image != nullptr ? image->config.user : std::string());
  return ResolveUser(spec, image != nullptr ? image->passwd : none,
                     image != nullptr ? image->group : none, image != nullptr);
}

}  // namespace imglint
