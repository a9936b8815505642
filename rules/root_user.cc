// SPDX-License-Identifier: Apache-2.0
// IL101 root-user: the container runs as root.
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "rules/build_correlation.h"
#include "rules/dockerfile_facts.h"
#include "rules/image_files.h"
#include "rules/rule.h"
#include "rules/sysctl_advice.h"
#include "rules/user_resolution.h"
#include "rules/workload_facts.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL101",
    .name = "root-user",
    .title = "Container runs as root",
    .severity = Severity::kError,
    .rationale = R"md(A process running as uid 0 in a container is root in its user namespace: a
kernel or runtime escape, a writable host mount or a mis-set capability turns a bug in the
application into root on the node. The usual reason images keep root — binding port 80 or
443 — is gone since Linux 4.11: with `net.ipv4.ip_unprivileged_port_start=0` in the
container's network namespace an unprivileged process can bind any port.

imglint decides "root" the way the runtime does: an empty user, `root`, `0`, `0:…`,
`root:…`, or a name whose uid in the image's own `/etc/passwd` is 0 (an alias such as
`toor`).

In a Dockerfile the final stage's effective `USER` counts: its last `USER`, or through
`FROM <stage>` that of a parent stage (reported at that line), with `ARG`/`ENV` variables
expanded as BuildKit does. A final stage with no `USER` at all is reported at its `FROM`: the
container then runs as the base image's user, root unless the base image sets one. A `USER`
whose variable has no value (`ARG APP_UID` without default and no `--build-arg`) is not
reported: who the container runs as is then unknown, and imglint does not guess. Linted
together with the image it built, the image's `/etc/passwd` resolves names such as `toor`.

In Kubernetes manifests the effective `runAsUser: 0` is reported where it is set (pod or
container `securityContext`; the container level wins). Without `runAsUser`, the image
decides: when the image (matched by reference) is linted too and runs as root, the container
is reported — at `runAsNonRoot: false` when that is written, at its `image:` otherwise;
`runAsNonRoot: true` makes the kubelet refuse a root image instead. In Compose files,
`user: root`, `0`, `0:…` or `root:…` is reported, and a service without `user:` whose image
or `build:` Dockerfile is linted and runs as root.)md",
    .remediation = R"md(Create an unprivileged user in the image and switch to it as the last
`USER` of the final stage, preferably by number so Kubernetes' `runAsNonRoot` can verify it:

```dockerfile
RUN useradd --system --uid 10001 --no-create-home app
USER 10001:10001
```

If root was only there to listen on a port below 1024, set the unprivileged-port sysctl
where the container runs instead (Docker >= 20.10 already does):

```yaml
securityContext:
  sysctls:
  - name: net.ipv4.ip_unprivileged_port_start
    value: "0"
```
or `docker run` / `podman run --sysctl net.ipv4.ip_unprivileged_port_start=0`.)md",
    .bad_example = "FROM nginx:1.27\nEXPOSE 80\n",
    .good_example = "FROM nginxinc/nginx-unprivileged:1.27\nUSER 101:101\nEXPOSE 8080\n",
    .references =
        R"md(- [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
- [Kubernetes: configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html))md",
    .cwe = "CWE-250",
    .precision = "very-high",
    .security_severity = "7.0",
};

std::string Recommendation() {
  return "run as an unprivileged user: add one in the image and end the final stage with "
         "`USER 10001:10001`; if root is only there to bind a port below 1024, set " +
         std::string(kPortSysctl) + "=0 instead: " + SysctlSnippet(Runtime::kUnknown);
}

class RootUser final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckImages(workspace, emit);
    CheckDockerfiles(workspace, emit);
    CheckManifests(workspace, emit);
  }

 private:
  // " \"name\"" for a named stage; nothing for an unnamed one (the last).
  static std::string FinalStageName(const dockerfile::Stage& stage) {
    return stage.name.empty() ? "" : " \"" + stage.name + "\"";
  }

  // Dockerfiles: the final stage's effective USER, variables expanded and
  // parent stages followed. A USER that cannot be expanded is not reported:
  // who it runs as depends on a --build-arg imglint was not given.
  static void CheckDockerfiles(const Workspace& workspace, Emitter& emit) {
    if (workspace.dockerfiles.empty()) return;
    const std::vector<BuildLink> links = LinkBuilds(workspace);
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      std::optional<FinalUser> user = FinalStageUser(target);
      if (!user || user->unresolved) continue;
      const BuildLink* link = LinkOf(links, target);
      const Image* image = link != nullptr ? link->image : nullptr;
      ResolvedUser resolved = ResolveFinalUser(*user, image);
      if (!resolved.is_root) continue;
      std::string message;
      if (user->setting == nullptr) {
        const std::string base =
            user->stage->base.resolved() ? user->stage->base.value : user->stage->base.raw;
        message = "the final stage" + FinalStageName(*user->stage) + " sets no USER";
        if (image != nullptr) {
          message += " and the image " + link->image_target->path +
                     " has none: the container runs as root";
        } else if (base == "scratch") {
          message += ": the container runs as root";
        } else {
          message += ": the container runs as root unless the base image " + base + " sets a user";
        }
        emit.Report(std::move(message), Recommendation(), user->location, "user:");
        continue;
      }
      message = "USER " + user->raw;
      if (user->raw != user->value) message += " (\"" + user->value + "\")";
      message += user->inherited ? ", inherited by the final stage" + FinalStageName(*user->stage) +
                                       ", runs the container as root"
                                 : " in the final stage runs the container as root";
      if (resolved.reason.find("/etc/passwd") != std::string::npos && image != nullptr) {
        message += ": " + resolved.reason + " of " + link->image_target->path;
      }
      Finding& f =
          emit.Report(std::move(message), Recommendation(), user->location, "user:" + user->raw);
      if (user->inherited) f.related.push_back(user->final_from);
    }
  }
  // Kubernetes: the effective runAsUser: 0 (reported once at the level that
  // sets it), or no runAsUser with a linted root image unless runAsNonRoot
  // is true (then the kubelet refuses to start it). Compose: `user:` that
  // resolves to root, or none with a linted root image or Dockerfile.
  static void CheckManifests(const Workspace& workspace, Emitter& emit) {
    std::set<std::tuple<std::string, int, int>> reported;
    ForEachContainer(workspace, [&](const KubeFile& file, const Workload& workload,
                                    const Container& container, const ImageSide& image) {
      const EffectiveUser user = KubeContainerUser(file.path, container, image);
      if (!user.root()) return;
      const std::string label = ContainerLabel(container);
      const std::string fix =
          "set runAsUser: 10001 and runAsNonRoot: true in the securityContext (an image user "
          "that can run the process); if root is only there to bind a port below 1024, set " +
          std::string(kPortSysctl) + "=0 instead; " +
          KubernetesSysctlEdit(workload.pod, workload.pod.path).Text();
      if (!user.from_image) {
        const bool pod_level = !container.sc.run_as_user;
        if (!reported.emplace(file.path, user.location.line, user.location.column).second) return;
        emit.Report(pod_level ? "runAsUser: 0 in the pod securityContext runs its containers as "
                                "root"
                              : "runAsUser: 0 runs " + label + " as root",
                    fix, user.location,
                    pod_level ? PodKey(workload) + ".securityContext.runAsUser"
                              : ContainerKey(workload, container) + ".securityContext.runAsUser");
        return;
      }
      Location at = user.location;
      std::string message = label + " sets no runAsUser and " + user.description;
      if (std::optional<Located<bool>> non_root = container.EffectiveRunAsNonRoot()) {
        at = YamlLocation(file.path, non_root->pos);  // runAsNonRoot: false, said explicitly
        message = "runAsNonRoot: false lets " + label + " run as root: " + user.description;
      } else {
        message += ": it runs as root";
      }
      Finding& f =
          emit.Report(std::move(message), fix, at, ContainerKey(workload, container) + ".user");
      for (const Location& l : user.related) f.related.push_back(l);
    });
    ForEachService(workspace, [&](const ComposeFile& file, const Service& service,
                                  const ImageSide& image) {
      const EffectiveUser user = ComposeServiceUser(file.path, service, image);
      if (!user.root()) return;
      const std::string fix =
          "set user: \"10001:10001\" (a user the image can run as); if root is only there to "
          "bind a port below 1024, set " +
          std::string(kPortSysctl) + "=0 instead (Docker >= 20.10 already does); " +
          ComposeSysctlEdit(service).Text();
      const std::string message =
          user.from_image ? "service " + service.name.value + " sets no user and " +
                                user.description + ": it runs as root"
                          : user.description + " runs service " + service.name.value + " as root";
      Finding& f = emit.Report(message, fix, user.location, ServiceKey(service) + ".user");
      for (const Location& l : user.related) f.related.push_back(l);
    });
  }

  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) CheckImage(target, image, emit);
    }
  }

 private:
  static void CheckImage(const ImageTarget& target, const Image& image, Emitter& emit) {
    const std::string& user = image.config.user;
    ResolvedUser resolved = ResolveUser(user, image.passwd, image.group, /*files_known=*/true);
    if (!resolved.is_root) return;
    Location where = ImageLocation(target, image);
    std::string message =
        user.empty() ? "the image runs as root: " + resolved.reason
                     : "the image runs as root: USER \"" + user + "\" — " + resolved.reason;
    if (resolved.reason.find("/etc/passwd") != std::string::npos) {
      where.image_path = "/etc/passwd";
      if (const FileEntry* passwd = image.Find("/etc/passwd")) {
        where.layer_digest = std::string(image.LayerDigest(*passwd));
      }
    }
    emit.Report(std::move(message), Recommendation(), std::move(where), "user:" + user);
  }
};

}  // namespace

std::unique_ptr<Rule> MakeRootUser() { return std::make_unique<RootUser>(); }

}  // namespace imglint
