// SPDX-License-Identifier: Apache-2.0
/// What imglint knows about a Kubernetes manifest: the workloads in it, their
/// pod specs and containers, and exactly the security-relevant fields the
/// rules judge (docs/design.md §3: runAsUser/runAsNonRoot for IL101, containerPort for
/// IL301/IL302, sysctls and hostNetwork for IL303, capabilities for IL304).
/// Every value carries its YAML position; pod specs and security contexts
/// also carry their indentation so a rule can emit a ready-to-paste
/// `securityContext.sysctls` snippet that lines up with the user's file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/manifest/yaml_types.h"
#include "analyzer/port_spec.h"

namespace imglint {

/// A `securityContext` mapping. One type for both levels; the comments say
/// which fields each level has. Absent fields are nullopt/empty.
struct SecurityContext {
  bool present = false;  // the `securityContext:` key exists (even if empty)
  Pos key_pos;           // the `securityContext` key
  Pos pos;               // its mapping
  int indent = -1;       // 0-based column of its keys; -1 if flow style or empty

  // Both levels; the container level overrides the pod level.
  std::optional<Located<int64_t>> run_as_user;
  std::optional<Located<int64_t>> run_as_group;
  std::optional<Located<bool>> run_as_non_root;

  // Container level only.
  std::optional<Located<bool>> allow_privilege_escalation;
  std::optional<Located<bool>> privileged;
  std::vector<Located<std::string>> cap_add;   // as written: "NET_BIND_SERVICE"
  ListLayout cap_add_layout;                   // where `capabilities.add` is written
  std::vector<Located<std::string>> cap_drop;  // may contain "ALL"

  // Pod level only: `sysctls: [{name, value}]`.
  std::vector<Sysctl> sysctls;
  bool has_sysctls_key = false;
  Pos sysctls_key_pos;
  int sysctls_indent = -1;    // 0-based column of the list's `-`; -1 if flow/empty
  bool sysctls_flow = false;  // `sysctls: [...]`: new items go inside the brackets

  /// The sysctl named \a name, or nullptr.
  const Sysctl* FindSysctl(std::string_view name) const;
};

/// `ports[]` of a container. `spec` holds containerPort + protocol; an entry
/// the API server would reject (missing/non-integer/out-of-range port,
/// protocol other than TCP/UDP/SCTP) has spec.valid == false and a reason.
struct ContainerPort {
  PortSpec spec;
  std::optional<Located<int64_t>> host_port;
  std::string name;
  Pos pos;  // the list item
};

enum class ContainerKind { kContainer, kInit, kEphemeral };

struct Container {
  ContainerKind kind = ContainerKind::kContainer;
  int index = 0;  // position within its list (containers / initContainers / …)
  Located<std::string> name;
  std::optional<Located<std::string>> image;
  Pos pos;  // the list item mapping
  std::vector<ContainerPort> ports;
  SecurityContext sc;      // the container's own securityContext
  SecurityContext pod_sc;  // a copy of the pod-level one, so no back-pointer is needed

  bool IsInit() const { return kind == ContainerKind::kInit; }
  /// "containers" | "initContainers" | "ephemeralContainers".
  std::string_view ListName() const;

  /// Container-level value if set, else the pod-level one, else nullopt (the
  /// image's USER decides). The position says which level supplied it.
  std::optional<Located<int64_t>> EffectiveRunAsUser() const;
  std::optional<Located<int64_t>> EffectiveRunAsGroup() const;
  std::optional<Located<bool>> EffectiveRunAsNonRoot() const;
  /// Kubernetes: privilege escalation is allowed unless explicitly false, and
  /// always when privileged (the API rejects privileged + false anyway).
  bool EffectiveAllowPrivilegeEscalation() const;
  bool Privileged() const { return sc.privileged && sc.privileged->value; }
  /// True when `capabilities.add` names \a cap ("NET_BIND_SERVICE") or ALL;
  /// matches case-insensitively and with or without the "CAP_" prefix.
  bool AddsCapability(std::string_view cap) const;
  /// True when `capabilities.drop` names \a cap or ALL.
  bool DropsCapability(std::string_view cap) const;
};

/// A pod spec wherever it sits in its object (`spec`, `spec.template.spec`, …).
struct PodSpec {
  std::string path;  // "spec.template.spec", relative to the object
  Pos pos;           // the mapping
  int indent = -1;   // 0-based column of its keys; -1 if flow style
  std::optional<Located<bool>> host_network;
  SecurityContext sc;                 // pod-level securityContext (runAsUser…, sysctls)
  std::vector<Container> containers;  // containers, then initContainers, then ephemeral

  bool HostNetwork() const { return host_network && host_network->value; }
};

/// An object that carries a pod spec (Pod, Deployment, …, CronJob, PodTemplate).
struct Workload {
  std::string api_version;
  Located<std::string> kind;
  Located<std::string> name;  // metadata.name ("" if absent, e.g. generateName)
  std::string ns;             // metadata.namespace
  Pos pos;                    // the object's mapping
  int document = 0;           // 0-based index of its YAML document
  std::string object_path;    // "" for a top-level object, "items[3]" inside a List
  PodSpec pod;
};

struct KubeFile {
  std::string path;
  std::vector<Workload> workloads;
  int object_count = 0;  // all objects with apiVersion+kind, workloads or not
  std::vector<Issue> issues;

  size_t ContainerCount() const;
};

/// Where the pod spec of \a kind lives inside its object ("spec.template.spec"),
/// or "" for kinds without a pod spec.
std::string_view PodSpecPath(std::string_view kind);

}  // namespace imglint
