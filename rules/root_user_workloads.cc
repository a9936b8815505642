// SPDX-License-Identifier: Apache-2.0
// IL101 root-user for Kubernetes workloads and Compose services.
#include <set>
#include <string>
#include <tuple>

#include "analyzer/manifest/sysctl_edit.h"
#include "analyzer/sysctl_advice.h"
#include "rules/root_user.h"

namespace imglint {

namespace {

// "its containers", or the labels of those the pod-level runAsUser: 0 still
// reaches when others set their own user ("container web").
std::string PodLevelRootContainers(const Workspace& workspace, size_t pod) {
  std::string reached;
  bool all = true;
  for (const ContainerFacts& c : workspace.containers) {
    if (c.pod != pod) continue;
    if (c.user.root() && !c.user.from_image && !c.container->sc.run_as_user) {
      reached += (reached.empty() ? "" : ", ") + c.label;
    } else {
      all = false;
    }
  }
  return all ? "its containers" : reached;
}

}  // namespace

void CheckRootWorkloads(const Workspace& workspace, Emitter& emit) {
  const std::string sysctl(kPortSysctl);
  std::set<std::tuple<std::string, int, int>> reported;
  for (const ContainerFacts& c : workspace.containers) {
    const EffectiveUser& user = c.user;
    if (!user.root()) continue;
    const PodSpec& pod = c.workload->pod;
    const std::string fix =
        "set runAsUser: 10001 and runAsNonRoot: true in the securityContext (an image user "
        "that can run the process); if root is only there to bind a port below 1024, set " +
        sysctl + "=0 instead; " + KubernetesSysctlEdit(pod, pod.path).Text();
    if (!user.from_image) {
      const bool pod_level = !c.container->sc.run_as_user;
      if (!reported.emplace(c.file->path, user.location.line, user.location.column).second) {
        continue;
      }
      emit.Report(pod_level ? "runAsUser: 0 in the pod securityContext runs " +
                                  PodLevelRootContainers(workspace, c.pod) + " as root"
                            : "runAsUser: 0 runs " + c.label + " as root",
                  fix, user.location,
                  Subject::Setting((pod_level ? workspace.pods[c.pod].key : c.key) +
                                   ".securityContext.runAsUser"));
      continue;
    }
    Location at = user.location;
    std::string message = c.label + " sets no runAsUser and " + user.description;
    if (std::optional<Located<bool>> non_root = c.container->EffectiveRunAsNonRoot()) {
      at = YamlLocation(c.file->path, non_root->pos);  // runAsNonRoot: false, said explicitly
      message = "runAsNonRoot: false lets " + c.label + " run as root: " + user.description;
    } else {
      message += ": it runs as root";
    }
    Finding& f = emit.Report(std::move(message), fix, at, Subject::Setting(c.key + ".user"));
    f.related.insert(f.related.end(), user.related.begin(), user.related.end());
  }
  for (const ServiceFacts& s : workspace.services) {
    const EffectiveUser& user = s.user;
    if (!user.root()) continue;
    const std::string fix =
        "set user: \"10001:10001\" (a user the image can run as); if root is only there to "
        "bind a port below 1024, set " +
        sysctl + "=0 instead (Docker >= 20.10 already does); " +
        ComposeSysctlEdit(*s.service).Text();
    const std::string message =
        user.from_image ? s.label + " sets no user and " + user.description + ": it runs as root"
                        : user.description + " runs " + s.label + " as root";
    Finding& f = emit.Report(message, fix, user.location, Subject::Setting(s.key + ".user"));
    f.related.insert(f.related.end(), user.related.begin(), user.related.end());
  }
}

}  // namespace imglint
