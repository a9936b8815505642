// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/fix_request_sysctl.h"

#include <string>
#include <string_view>

#include "analyzer/runtime.h"

namespace imglint {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A manifest finding's subject is its container's or service's key, a dot,
// then the setting.
bool IsAbout(const Finding& finding, const std::string& path, const std::string& key) {
  return finding.subject.kind == Subject::Kind::kSetting && finding.location.path == path &&
         finding.subject.value.size() > key.size() && StartsWith(finding.subject.value, key) &&
         finding.subject.value[key.size()] == '.';
}

}  // namespace

std::optional<size_t> FindingContainer(const Workspace& workspace, const Finding& finding) {
  for (size_t i = 0; i < workspace.containers.size(); ++i) {
    const ContainerFacts& c = workspace.containers[i];
    if (IsAbout(finding, c.file->path, c.key)) return i;
  }
  return std::nullopt;
}

std::optional<size_t> FindingService(const Workspace& workspace, const Finding& finding) {
  for (size_t i = 0; i < workspace.services.size(); ++i) {
    const ServiceFacts& s = workspace.services[i];
    if (IsAbout(finding, s.file->path, s.key)) return i;
  }
  return std::nullopt;
}

bool AddPodSysctl(const Workspace& workspace, size_t pod, FixRequest* request) {
  const PortSysctl& state = workspace.pods[pod].sysctl;
  if (state.host_network) {
    request->refusal = state.host_network_text +
                       ": the pod uses the node's network namespace, where " +
                       state.HostNetworkRejecter() + " net.* sysctls; set " +
                       std::string(kPortSysctl) + " on the node, or listen on a port >= 1024";
    return false;
  }
  request->intents.push_back({FixIntent::Kind::kPodSysctl, pod, ""});
  return true;
}

bool AddServiceSysctl(const Workspace& workspace, size_t service, FixRequest* request) {
  const ServiceFacts& s = workspace.services[service];
  if (s.sysctl.host_network) {
    // The runtime that refuses it, as --runtime says (Podman too).
    request->refusal = s.sysctl.host_network_text +
                       ": the service uses the host's network namespace, where " +
                       s.sysctl.HostNetworkRejecter() + " net.* sysctls; set " +
                       std::string(kPortSysctl) + " on the host, or listen on a port >= 1024";
    return false;
  }
  if (s.sysctl.unknown_namespace || s.service->SharesNetworkNamespace()) {
    request->refusal =
        "the service shares another container's network namespace, whose "
        "sysctls it cannot set";
    return false;
  }
  request->intents.push_back({FixIntent::Kind::kServiceSysctl, service, ""});
  return true;
}

}  // namespace imglint
