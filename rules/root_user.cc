// SPDX-License-Identifier: Apache-2.0
// IL101 root-user: the container runs as root. Metadata, fix, dispatch and
// images; Dockerfiles in root_user_dockerfiles.cc, workloads in
// root_user_workloads.cc.
#include "rules/root_user.h"

#include <memory>
#include <string>

#include "analyzer/sysctl_advice.h"
#include "analyzer/workspace/fix_request_dockerfile.h"

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
    .linux_only = true,
    .fix =
        R"md(For a Dockerfile, `imglint fix` says what to change and where — "add `USER <non-root>` to
the final stage after line N", or change the root `USER` on its line — but makes no edit:
which user the image should run as is yours to pick. Kubernetes and Compose findings have no
automatic fix.)md",
    .fix_advises_only = true,
};

class RootUser final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  // A Dockerfile's root user: what to change and where, never an edit.
  FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const override {
    if (finding.subject.kind != Subject::Kind::kUser) return {};
    return NonRootUserAdvice(workspace, finding);
  }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    for (const ImageFacts& image : workspace.image_facts) CheckImage(image, emit);
    CheckRootDockerfiles(workspace, emit);
    CheckRootWorkloads(workspace, emit);
  }

 private:
  static void CheckImage(const ImageFacts& image, Emitter& emit) {
    if (!image.user.is_root) return;
    const std::string& user = image.image->config.user;
    const std::string& reason = image.user.reason;
    Location where = image.location;
    if (image.user.root_by_passwd) {
      where.image_path = "/etc/passwd";
      if (const FileEntry* passwd = image.image->Find("/etc/passwd")) {
        where.layer_digest = std::string(image.image->LayerDigest(*passwd));
      }
    }
    emit.Report(user.empty() ? "the image runs as root: " + reason
                             : "the image runs as root: USER \"" + user + "\" — " + reason,
                RootUserRecommendation(), std::move(where), Subject::User(user));
  }
};

}  // namespace

std::string RootUserRecommendation() {
  // Built once: a scan of thousands of Dockerfiles reports it for most of them.
  static const std::string text =
      "run as an unprivileged user: add one in the image and end the final stage with "
      "`USER 10001:10001`; if root is only there to bind a port below 1024, set " +
      std::string(kPortSysctl) + "=0 instead: " + SysctlSnippet(Runtime::kUnknown);
  return text;
}

std::unique_ptr<Rule> MakeRootUser() { return std::make_unique<RootUser>(); }

}  // namespace imglint
