// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/sysctl_edit.h"

#include "analyzer/runtime.h"
#include "analyzer/sysctl_advice.h"

namespace imglint {
namespace {

std::string Indent(int n) { return std::string(n > 0 ? static_cast<size_t>(n) : 0, ' '); }

const std::string kSysctl(kPortSysctl);
std::string LineRef(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : ""; }

const std::string kKubernetesFlowItem = "{name: " + kSysctl + ", value: \"0\"}";

}  // namespace

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
      edit.snippet = KubernetesSysctlItem(sc.sysctls_indent >= 0 ? sc.sysctls_indent : sc.indent);
      edit.insert_before_line = sc.sysctls_key_pos.line + 1;
    } else {
      edit.snippet = "[" + kKubernetesFlowItem + "]";
    }
    return edit;
  }
  if (sc.present) {
    if (sc.indent >= 0) {
      edit.intro = "add to the pod's securityContext" + LineRef(sc.key_pos.line) + ":";
      edit.snippet = Indent(sc.indent) + "sysctls:\n" + KubernetesSysctlItem(sc.indent);
      edit.insert_before_line = sc.key_pos.line + 1;
      return edit;
    }
    if (sc.pos.line == 0 && pod.indent >= 0) {
      // `securityContext:` with no value: its keys go on the next lines.
      const int indent = pod.indent + 2;
      edit.intro = "add to the pod's securityContext" + LineRef(sc.key_pos.line) + ":";
      edit.snippet = Indent(indent) + "sysctls:\n" + KubernetesSysctlItem(indent);
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

}  // namespace imglint
