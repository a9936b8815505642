// SPDX-License-Identifier: Apache-2.0
#include "rules/sysctl_advice.h"

namespace imglint {
namespace {

std::string Indent(int n) { return std::string(n > 0 ? static_cast<size_t>(n) : 0, ' '); }

const std::string kSysctl(kPortSysctl);
const std::string kFlag = "--sysctl " + kSysctl + "=0";

std::string LineRef(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : ""; }

// The Kubernetes list item, at `indent` (the column of its `-`).
std::string KubernetesItem(int indent) {
  const std::string pad = Indent(indent);
  return pad + "- name: " + kSysctl + "\n" + pad + "  value: \"0\"";
}

const std::string kKubernetesFlowItem = "{name: " + kSysctl + ", value: \"0\"}";

}  // namespace

std::string KubernetesSysctlSnippet(int indent) {
  const std::string pad = Indent(indent);
  return pad + "securityContext:\n" + pad + "  sysctls:\n" + KubernetesItem(indent + 2);
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

std::string RuntimeSysctlSentence() {
  return RuntimesThatSetSysctl() + " set " + kSysctl +
         "=0 by default; Podman, CRI-O and containerd 1.x do not, and Kubernetes depends on "
         "the node's runtime";
}

SysctlEdit KubernetesSysctlEdit(const PodSpec& pod, const std::string& pod_path) {
  SysctlEdit edit;
  const SecurityContext& sc = pod.sc;
  if (const Sysctl* s = sc.FindSysctl(kPortSysctl)) {
    const bool own_line = s->value_pos.line > 0 && s->value_pos.line != s->pos.line;
    edit.intro = "set its value" + LineRef(s->value_pos.line ? s->value_pos.line : s->pos.line) +
                 " to the string \"0\":";
    if (own_line) {
      edit.snippet = Indent(s->pos.column - 1) + "value: \"0\"";
      edit.replace_line = s->value_pos.line;
    } else {
      edit.snippet = kKubernetesFlowItem;
    }
    return edit;
  }
  if (sc.has_sysctls_key) {
    edit.intro = "add to spec.securityContext.sysctls" + LineRef(sc.sysctls_key_pos.line) + ":";
    if (sc.sysctls_flow) {
      edit.snippet = kKubernetesFlowItem;  // goes inside the brackets
    } else if (sc.sysctls_indent >= 0 || sc.indent >= 0) {
      // A block list, or `sysctls:` with no value, whose items may sit at
      // the key's own column.
      edit.snippet = KubernetesItem(sc.sysctls_indent >= 0 ? sc.sysctls_indent : sc.indent);
      edit.insert_before_line = sc.sysctls_key_pos.line + 1;
    } else {
      edit.snippet = "[" + kKubernetesFlowItem + "]";
    }
    return edit;
  }
  if (sc.present) {
    if (sc.indent >= 0) {
      edit.intro = "add to the pod's securityContext" + LineRef(sc.key_pos.line) + ":";
      edit.snippet = Indent(sc.indent) + "sysctls:\n" + KubernetesItem(sc.indent);
      edit.insert_before_line = sc.key_pos.line + 1;
      return edit;
    }
    if (sc.pos.line == 0 && pod.indent >= 0) {
      // `securityContext:` with no value: its keys go on the next lines.
      const int indent = pod.indent + 2;
      edit.intro = "add to the pod's securityContext" + LineRef(sc.key_pos.line) + ":";
      edit.snippet = Indent(indent) + "sysctls:\n" + KubernetesItem(indent);
      edit.insert_before_line = sc.key_pos.line + 1;
      return edit;
    }
    edit.intro = "add to the pod's securityContext" + LineRef(sc.key_pos.line) + ":";
    edit.snippet = "sysctls: [" + kKubernetesFlowItem + "]";
    return edit;
  }
  edit.intro = "add to the pod spec " + pod_path + LineRef(pod.pos.line) + ":";
  if (pod.indent >= 0) {
    edit.snippet = KubernetesSysctlSnippet(pod.indent);
    edit.insert_before_line = pod.pos.line;
  } else {
    edit.snippet = "securityContext: {sysctls: [" + kKubernetesFlowItem + "]}";
  }
  return edit;
}

SysctlEdit ComposeSysctlEdit(const Service& service) {
  SysctlEdit edit;
  const std::string label = "service " + service.name.value;
  if (const Sysctl* s = service.FindSysctl(kPortSysctl)) {
    edit.intro = "set it to 0" + LineRef(s->pos.line) + ":";
    if (service.sysctls_list_form && service.sysctls_indent >= 0) {
      edit.snippet = Indent(service.sysctls_indent) + "- " + kSysctl + "=0";
      edit.replace_line = s->pos.line;
    } else if (!service.sysctls_list_form && service.sysctls_indent >= 0 &&
               s->value_pos.line == s->pos.line) {
      edit.snippet = Indent(s->pos.column - 1) + kSysctl + ": 0";
      edit.replace_line = s->pos.line;
    } else {
      edit.snippet = service.sysctls_list_form ? kSysctl + "=0" : kSysctl + ": 0";
    }
    return edit;
  }
  if (service.has_sysctls_key) {
    edit.intro = "add to the sysctls of " + label + LineRef(service.sysctls_key_pos.line) + ":";
    if (service.sysctls_flow) {
      edit.snippet = service.sysctls_list_form ? "\"" + kSysctl + "=0\"" : kSysctl + ": 0";
    } else if (service.sysctls_indent >= 0) {
      edit.snippet = Indent(service.sysctls_indent) +
                     (service.sysctls_list_form ? "- " + kSysctl + "=0" : kSysctl + ": 0");
      edit.insert_before_line = service.sysctls_key_pos.line + 1;
    } else if (service.indent >= 0) {
      // `sysctls:` with no value: a mapping on the next lines.
      edit.snippet = Indent(service.indent + 2) + kSysctl + ": 0";
      edit.insert_before_line = service.sysctls_key_pos.line + 1;
    } else {
      edit.snippet = "{" + kSysctl + ": 0}";
    }
    return edit;
  }
  edit.intro = "add to " + label + LineRef(service.pos.line) + ":";
  if (service.indent >= 0) {
    edit.snippet = ComposeSysctlSnippet(service.indent);
    edit.insert_before_line = service.pos.line;
  } else {
    edit.snippet = "sysctls: {" + kSysctl + ": 0}";
  }
  return edit;
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
