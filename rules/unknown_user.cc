// SPDX-License-Identifier: Apache-2.0
// IL102 unknown-user: USER names a user or group the image does not have.
#include <memory>
#include <string>

#include "rules/rule.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL102",
    .name = "unknown-user",
    .title = "USER names a user or group missing from the image",
    .severity = Severity::kError,
    .rationale = R"md(A runtime resolves a user *name* through the image's own `/etc/passwd`
(and a group name through `/etc/group`). When the name is missing, the container does not
start at all: Docker reports `unable to find user app: no matching entries in passwd file`.
Numeric ids need no entry and always work.)md",
    .remediation = R"md(Create the user (and group) in the same stage before `USER`, or use
numeric ids, which need no passwd entry and let Kubernetes' `runAsNonRoot` verify them:

```dockerfile
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app app
USER app:app
```)md",
    .bad_example = "FROM debian:12\nUSER app\n",
    .good_example = "FROM debian:12\nRUN useradd --uid 10001 app\nUSER app\n",
    .references =
        R"md(- [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user))md",
    .cwe = "CWE-1188",
    .precision = "high",
    .security_severity = "3.0",
    .linux_only = true,
};

constexpr char kCreateUser[] = "create the user in the image before USER, or use a numeric uid";
constexpr char kCreateGroup[] = "create the group in the image before USER, or use a numeric gid";

class UnknownUser final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    for (const ImageFacts& image : workspace.image_facts) CheckImage(image, emit);
    for (const BuildLink& link : workspace.links) CheckDockerfile(link, emit);
    for (const DockerfileTarget& target : workspace.dockerfiles) CheckOnBase(target, emit);
  }

 private:
  static void CheckImage(const ImageFacts& facts, Emitter& emit) {
    const Image& image = *facts.image;
    const std::string& user = image.config.user;
    const UserSpec spec = ParseUserSpec(user);
    Location where = facts.location;
    if (facts.user.user_missing) {
      where.image_path = "/etc/passwd";
      emit.Report("USER \"" + user + "\": user \"" + spec.user + "\" is not in " +
                      (image.passwd ? "the image's /etc/passwd" : "the image (no /etc/passwd)") +
                      "; the container will not start",
                  kCreateUser, where, Subject::User(spec.user));
    }
    if (facts.user.group_missing) {
      where.image_path = "/etc/group";
      emit.Report("USER \"" + user + "\": group \"" + spec.group + "\" is not in " +
                      (image.group ? "the image's /etc/group" : "the image (no /etc/group)") +
                      "; the container will not start",
                  kCreateGroup, where, Subject::Group(spec.group));
    }
  }

  // Dockerfiles: only with an image the Dockerfile built; its /etc/passwd and
  // /etc/group decide whether USER names exist.
  static void CheckDockerfile(const BuildLink& link, Emitter& emit) {
    const std::optional<dockerfile::FinalUser>& user = link.dockerfile->facts.final_user;
    if (!user || !user->has_user || user->unresolved) return;
    const Image& image = *link.image;
    const ResolvedUser resolved = ResolveFinalUser(*user, &image);
    const UserSpec spec = ParseUserSpec(user->value);
    const std::string& tar = link.image_target->path;
    if (resolved.user_missing) {
      emit.Report("USER " + user->raw + ": user \"" + spec.user + "\" is not in " +
                      (image.passwd ? "/etc/passwd of " : "the image (no /etc/passwd) ") + tar +
                      "; the container will not start",
                  kCreateUser, user->location, Subject::User(spec.user));
    }
    if (resolved.group_missing) {
      emit.Report("USER " + user->raw + ": group \"" + spec.group + "\" is not in " +
                      (image.group ? "/etc/group of " : "the image (no /etc/group) ") + tar +
                      "; the container will not start",
                  kCreateGroup, user->location, Subject::Group(spec.group));
    }
  }

  // Dockerfiles built by no linted image, on a base read with
  // --resolve-base=full: the base's files decide when no build step can add
  // a user (ResolveFinalUser leaves names undecided otherwise).
  static void CheckOnBase(const DockerfileTarget& target, Emitter& emit) {
    const std::optional<dockerfile::FinalUser>& user = target.facts.final_user;
    if (target.link != nullptr || !target.base || !target.base->image || !user || !user->has_user ||
        !target.final_user) {
      return;
    }
    const Image& image = *target.base->image;
    const UserSpec spec = ParseUserSpec(user->value);
    const std::string base = "the base image " + user->external_base;
    const std::string tail = ", and no step of the build adds it; the container will not start";
    if (target.final_user->user_missing) {
      emit.Report("USER " + user->raw + ": user \"" + spec.user + "\" is not in " +
                      (image.passwd ? "/etc/passwd of " + base : base + " (no /etc/passwd)") + tail,
                  kCreateUser, user->location, Subject::User(spec.user));
    }
    if (target.final_user->group_missing) {
      emit.Report("USER " + user->raw + ": group \"" + spec.group + "\" is not in " +
                      (image.group ? "/etc/group of " + base : base + " (no /etc/group)") + tail,
                  kCreateGroup, user->location, Subject::Group(spec.group));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeUnknownUser() { return std::make_unique<UnknownUser>(); }

}  // namespace imglint
