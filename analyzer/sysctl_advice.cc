// SPDX-License-Identifier: Apache-2.0
#include "analyzer/sysctl_advice.h"

namespace imglint {
namespace {

std::string Indent(int n) { return std::string(n > 0 ? static_cast<size_t>(n) : 0, ' '); }

const std::string kSysctl(kPortSysctl);
const std::string kFlag = "--sysctl " + kSysctl + "=0";

}  // namespace

std::string KubernetesSysctlItem(int indent) {
  const std::string pad = Indent(indent);
  return pad + "- name: " + kSysctl + "\n" + pad + "  value: \"0\"";
}

std::string KubernetesSysctlSnippet(int indent) {
  const std::string pad = Indent(indent);
  return pad + "securityContext:\n" + pad + "  sysctls:\n" + KubernetesSysctlItem(indent + 2);
}

std::string ComposeSysctlSnippet(int indent) {
  const std::string pad = Indent(indent);
  return pad + "sysctls:\n" + pad + "  " + kSysctl + ": 0";
}

std::string SysctlSnippet(Runtime runtime) {
  switch (runtime) {
    case Runtime::kDocker:
      return "docker run " + kFlag + " …\n(Docker >= 20.10 already does this by default)";
    case Runtime::kNerdctl:
      return "nerdctl run " + kFlag + " …\n(nerdctl >= 2.2.1 already does this by default)";
    case Runtime::kPodman:
      return "podman run " + kFlag +
             " …\nor for every container, in containers.conf:\n[containers]\n"
             "default_sysctls = [\"net.ipv4.ping_group_range=0 0\", \"" +
             kSysctl + "=0\"]";
    case Runtime::kContainerd1:
      return NodeRuntimeSysctlAdvice(runtime) + "\nor per pod:\n" + KubernetesSysctlSnippet(0);
    case Runtime::kContainerd:
      return "containerd >= 2.0 sets it for Kubernetes pods (CRI) by default; with ctr:\nctr run " +
             kFlag + " …";
    case Runtime::kCriO:
      return NodeRuntimeSysctlAdvice(runtime) + "\nor per pod:\n" + KubernetesSysctlSnippet(0);
    case Runtime::kKubernetes:
      return "in the pod spec:\n" + KubernetesSysctlSnippet(0);
    case Runtime::kAuto:
    case Runtime::kUnknown:
      break;
  }
  return "where the container runs:\ndocker run " + kFlag +
         " … (Docker >= 20.10 does this by default)\npodman run " + kFlag +
         " …\nin a Kubernetes pod spec:\n" + KubernetesSysctlSnippet(0);
}

std::string NodeRuntimeSysctlAdvice(Runtime runtime) {
  switch (runtime) {
    case Runtime::kContainerd1:
      return "on every node, containerd 1.x /etc/containerd/config.toml:\n"
             "[plugins.\"io.containerd.grpc.v1.cri\"]\nenable_unprivileged_ports = true";
    case Runtime::kCriO:
      return "on every node, CRI-O /etc/crio/crio.conf:\n[crio.runtime]\ndefault_sysctls = [\"" +
             kSysctl + "=0\"]";
    default:
      return "";
  }
}

std::string HostSysctlAdvice(int port) {
  const std::string value = std::to_string(port < 0 ? 0 : port);
  return "with host networking the host's own setting applies: set it on the host\nsysctl -w " +
         kSysctl + "=" + value + "\necho '" + kSysctl + " = " + value +
         "' > /etc/sysctl.d/50-unprivileged-ports.conf\nor give up host networking and set the "
         "sysctl for the container's own network namespace";
}

}  // namespace imglint
