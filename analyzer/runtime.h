// SPDX-License-Identifier: Apache-2.0
/// Where a container runs decides whether a non-root process can bind a port
/// below 1024: some runtimes set net.ipv4.ip_unprivileged_port_start=0 in every
/// container network namespace, others do not. This is the one table of those
/// defaults (docs/design.md §3); every rule asks it instead of hard-coding a runtime.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace imglint {

enum class Runtime {
  kAuto,     // Kubernetes for manifests, Docker for Compose, unknown otherwise
  kUnknown,  // treated as not setting the sysctl
  kDocker,
  kPodman,
  kContainerd,  // containerd CRI >= 2.0
  kContainerd1,
  kNerdctl,
  kCriO,
  kKubernetes,
};

struct RuntimeInfo {
  Runtime runtime;
  std::string_view name;          // the --runtime spelling
  std::string_view display_name;  // "Docker Engine >= 20.10"
  bool sets_unprivileged_port_sysctl;
  /// Does a capability added to a container (cap_add, --cap-add) reach a
  /// non-root process as an ambient capability, so it can use it?
  bool ambient_capabilities_for_non_root;
  std::string_view source;  // where the defaults are documented or measured
};

/// All rows except kAuto, in --runtime help order.
std::span<const RuntimeInfo> RuntimeTable();
const RuntimeInfo& InfoFor(Runtime runtime);
std::optional<Runtime> ParseRuntime(std::string_view name);
/// "docker, podman, …" for messages and --help.
std::string RuntimeNames();
/// "Docker Engine >= 20.10, containerd >= 2.0 (CRI) and nerdctl >= 2.2.1" — the
/// runtimes that set the sysctl by default, for messages.
std::string RuntimesThatSetSysctl();

/// The sysctl every port recommendation is about.
inline constexpr std::string_view kPortSysctl = "net.ipv4.ip_unprivileged_port_start";

}  // namespace imglint
