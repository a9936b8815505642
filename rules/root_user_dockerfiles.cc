// SPDX-License-Identifier: Apache-2.0
// IL101 root-user for Dockerfiles: the final stage's effective USER.
#include <string>
#include <utility>

#include "rules/root_user.h"

namespace imglint {
namespace {

// " \"name\"" for a named stage; nothing for an unnamed one (the last).
std::string StageName(const std::string& name) { return name.empty() ? "" : " \"" + name + "\""; }

// A final stage without USER: who decides instead, as far as imglint knows.
std::string NoUserMessage(const DockerfileTarget& target, const dockerfile::FinalUser& user) {
  std::string message = "the final stage" + StageName(user.stage_name) + " sets no USER";
  if (target.link != nullptr) {
    return message + " and the image " + target.link->image_target->path +
           " has none: the container runs as root";
  }
  if (target.base) {
    const std::string& base_user = target.base->config.user;
    return message + " and its base image " + user.external_base + " runs as root: " +
           (base_user.empty() ? std::string("its config sets no user")
                              : "its config sets user \"" + base_user + "\"");
  }
  if (user.external_base == "scratch") return message + ": the container runs as root";
  message +=
      ": the container runs as root unless the base image " + user.external_base + " sets a user";
  if (!target.base_error.empty()) {
    message += " (--resolve-base could not read it: " + target.base_error + ")";
  }
  return message;
}

// The final stage's effective USER, variables expanded and parent stages
// followed. A USER that cannot be expanded has no final_user: who it runs
// as depends on a --build-arg imglint was not given.
void CheckDockerfile(const DockerfileTarget& target, Emitter& emit) {
  if (!target.final_user || !target.final_user->is_root) return;
  const dockerfile::FinalUser& user = *target.facts.final_user;
  if (!user.has_user) {
    emit.Report(NoUserMessage(target, user), RootUserRecommendation(), user.location,
                Subject::User(""));
    return;
  }
  std::string message = "USER " + user.raw;
  if (user.raw != user.value) message += " (\"" + user.value + "\")";
  message += user.inherited ? ", inherited by the final stage" + StageName(user.stage_name) +
                                  ", runs the container as root"
                            : " in the final stage runs the container as root";
  // A name root only through /etc/passwd: say whose file that is.
  const ResolvedUser& resolved = *target.final_user;
  if (resolved.root_by_passwd && target.link != nullptr) {
    message += ": " + resolved.reason + " of " + target.link->image_target->path;
  } else if (resolved.root_by_passwd && target.base) {
    message += ": " + resolved.reason + " of the base image " + user.external_base;
  }
  Finding& f = emit.Report(std::move(message), RootUserRecommendation(), user.location,
                           Subject::User(user.raw));
  if (user.inherited) f.related.push_back(user.final_from);
}

}  // namespace

void CheckRootDockerfiles(const Workspace& workspace, Emitter& emit) {
  for (const DockerfileTarget& target : workspace.dockerfiles) CheckDockerfile(target, emit);
}

}  // namespace imglint
