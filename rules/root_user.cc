// SPDX-License-Identifier: Apache-2.0
// IL101 root-user: the container runs as root.
#include <memory>
#include <string>

#include "rules/image_files.h"
#include "rules/rule.h"
#include "rules/sysctl_advice.h"
#include "rules/user_resolution.h"

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
`toor`).)md",
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
    .good_example =
        "FROM nginxinc/nginx-unprivileged:1.27\nUSER 101:101\nEXPOSE 8080\n",
    .references = R"md(- [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
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
  // Dockerfiles: filled by the Dockerfile side.
  static void CheckDockerfiles(const Workspace&, Emitter&) {}
  // Kubernetes and Compose: filled by the manifest side.
  static void CheckManifests(const Workspace&, Emitter&) {}

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
    std::string message = user.empty() ? "the image runs as root: " + resolved.reason
                                       : "the image runs as root: USER \"" + user +
                                             "\" — " + resolved.reason;
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
