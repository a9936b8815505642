// SPDX-License-Identifier: Apache-2.0
#include "analyzer/runtime.h"

#include <array>

namespace imglint {
namespace {

constexpr std::array<RuntimeInfo, 8> kRuntimes{{
    {Runtime::kDocker, "docker", "Docker Engine >= 20.10", true, false,
     "moby/moby#41030: sets the sysctl to 0 in every container network namespace, rootless "
     "too; not with --network host or container:<id>, and not on kernels < 4.11. Measured "
     "(tests/daemon/runtime_truth_test.cc, Docker 20.10): --cap-add gives a non-root user "
     "no ambient capabilities"},
    {Runtime::kPodman, "podman", "Podman", false, true,
     "containers.conf default_sysctls only sets net.ipv4.ping_group_range. Measured "
     "(tests/daemon/runtime_truth_test.cc, Podman 4.3): --cap-add is raised to ambient for a "
     "non-root user"},
    {Runtime::kContainerd, "containerd", "containerd >= 2.0 (CRI)", true, false,
     "containerd/containerd#9348: enable_unprivileged_ports defaults to true for Kubernetes "
     "pods (CRI), not for ctr"},
    {Runtime::kContainerd1, "containerd1", "containerd 1.6-1.7 (CRI)", false, false,
     "CRI plugin enable_unprivileged_ports defaults to false"},
    {Runtime::kNerdctl, "nerdctl", "nerdctl >= 2.2.1", true, false,
     "containerd/nerdctl#4615: sets the sysctl to 0 like Docker"},
    {Runtime::kCriO, "cri-o", "CRI-O", false, false, "crio.conf default_sysctls = []"},
    {Runtime::kKubernetes, "kubernetes", "Kubernetes", false, false,
     "depends on the node's CRI runtime; net.ipv4.ip_unprivileged_port_start is a safe sysctl "
     "since Kubernetes 1.22, set per pod in spec.securityContext.sysctls"},
    {Runtime::kUnknown, "unknown", "an unknown runtime", false, false,
     "no runtime named: assume it does not set the sysctl"},
}};

constexpr RuntimeInfo kAutoInfo{
    Runtime::kAuto, "auto", "auto",
    false,          false,  "Kubernetes for manifests, Docker for Compose, else unknown"};

}  // namespace

std::span<const RuntimeInfo> RuntimeTable() { return kRuntimes; }

const RuntimeInfo& InfoFor(Runtime runtime) {
  for (const RuntimeInfo& info : kRuntimes) {
    if (info.runtime == runtime) return info;
  }
  return kAutoInfo;
}

std::optional<Runtime> ParseRuntime(std::string_view name) {
  if (name == "auto") return Runtime::kAuto;
  if (name == "crio") return Runtime::kCriO;
  for (const RuntimeInfo& info : kRuntimes) {
    if (info.name == name) return info.runtime;
  }
  return std::nullopt;
}

std::string RuntimeNames() {
  std::string out;
  for (const RuntimeInfo& info : kRuntimes) {
    out += info.name;
    out += ", ";
  }
  return out + "auto";
}

std::string RuntimesThatSetSysctl() {
  std::string out;
  int count = 0;
  for (const RuntimeInfo& info : kRuntimes) {
    if (info.sets_unprivileged_port_sysctl) ++count;
  }
  int seen = 0;
  for (const RuntimeInfo& info : kRuntimes) {
    if (!info.sets_unprivileged_port_sysctl) continue;
    if (seen > 0) out += (seen == count - 1) ? " and " : ", ";
    out += info.display_name;
    ++seen;
  }
  return out;
}

}  // namespace imglint
