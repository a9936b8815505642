// SPDX-License-Identifier: Apache-2.0
#include "rules/sysctl_advice.h"

namespace imglint {
namespace {

std::string Indent(int n) { return std::string(n > 0 ? static_cast<size_t>(n) : 0, ' '); }

const std::string kFlag = "--sysctl " + std::string(kPortSysctl) + "=0";

}  // namespace

std::string KubernetesSysctlSnippet(int indent) {
  std::string pad = Indent(indent);
  return pad + "securityContext:\n" + pad + "  sysctls:\n" + pad + "  - name: " +
         std::string(kPortSysctl) + "\n" + pad + "    value: \"0\"";
}

std::string ComposeSysctlSnippet(int indent) {
  std::string pad = Indent(indent);
  return pad + "sysctls:\n" + pad + "  " + std::string(kPortSysctl) + ": 0";
}

std::string SysctlSnippet(Runtime runtime) {
  switch (runtime) {
    case Runtime::kDocker:
      return "docker run " + kFlag + " … (Docker >= 20.10 already does this by default)";
    case Runtime::kNerdctl:
      return "nerdctl run " + kFlag + " … (nerdctl >= 2.2.1 already does this by default)";
    case Runtime::kPodman:
      return "podman run " + kFlag +
             " …\nor in containers.conf: [containers] default_sysctls = "
             "[\"net.ipv4.ping_group_range=0 0\", \"" +
             std::string(kPortSysctl) + "=0\"]";
    case Runtime::kContainerd1:
      return "containerd 1.x config.toml: [plugins.\"io.containerd.grpc.v1.cri\"] "
             "enable_unprivileged_ports = true (or set the sysctl in the pod spec)";
    case Runtime::kContainerd:
      return "containerd >= 2.0 sets it for CRI pods by default; for ctr: ctr run "
             "--sysctl " +
             std::string(kPortSysctl) + "=0 …";
    case Runtime::kCriO:
      return "crio.conf: [crio.runtime] default_sysctls = [\"" + std::string(kPortSysctl) +
             "=0\"] (or set it in the pod spec)";
    case Runtime::kKubernetes:
      return "in the pod spec:\n" + KubernetesSysctlSnippet(2);
    case Runtime::kAuto:
    case Runtime::kUnknown:
      break;
  }
  return "docker run / podman run " + kFlag + " …, or in a Kubernetes pod spec:\n" +
         KubernetesSysctlSnippet(2);
}

std::string RuntimeSysctlSentence() {
  return RuntimesThatSetSysctl() + " set " + std::string(kPortSysctl) +
         "=0 by default; Podman, CRI-O and containerd 1.x do not, and Kubernetes depends on "
         "the node's runtime";
}

}  // namespace imglint
