// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/kube_model.h"

#include <array>
#include <utility>

#include "analyzer/capabilities.h"

namespace imglint {
namespace {

bool ListHas(const std::vector<Located<std::string>>& list, std::string_view cap) {
  const std::string want = NormalizeCapabilityName(cap);
  for (const Located<std::string>& item : list) {
    if (NormalizeCapabilityName(item.value) == want) return true;
  }
  return false;
}

template <typename T>
std::optional<Located<T>> Override(const std::optional<Located<T>>& container,
                                   const std::optional<Located<T>>& pod) {
  return container ? container : pod;
}

}  // namespace

const Sysctl* SecurityContext::FindSysctl(std::string_view name) const {
  for (const Sysctl& s : sysctls) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string_view Container::ListName() const {
  switch (kind) {
    case ContainerKind::kContainer:
      return "containers";
    case ContainerKind::kInit:
      return "initContainers";
    case ContainerKind::kEphemeral:
      return "ephemeralContainers";
  }
  return "containers";
}

std::optional<Located<int64_t>> Container::EffectiveRunAsUser() const {
  return Override(sc.run_as_user, pod_sc.run_as_user);
}

std::optional<Located<int64_t>> Container::EffectiveRunAsGroup() const {
  return Override(sc.run_as_group, pod_sc.run_as_group);
}

std::optional<Located<bool>> Container::EffectiveRunAsNonRoot() const {
  return Override(sc.run_as_non_root, pod_sc.run_as_non_root);
}

bool Container::EffectiveAllowPrivilegeEscalation() const {
  if (Privileged()) return true;
  return !(sc.allow_privilege_escalation && !sc.allow_privilege_escalation->value);
}

bool Container::AddsCapability(std::string_view cap) const {
  return ListHas(sc.cap_add, cap) || ListHas(sc.cap_add, "ALL");
}

bool Container::DropsCapability(std::string_view cap) const {
  return ListHas(sc.cap_drop, cap) || ListHas(sc.cap_drop, "ALL");
}

size_t KubeFile::ContainerCount() const {
  size_t n = 0;
  for (const Workload& w : workloads) n += w.pod.containers.size();
  return n;
}

std::string_view PodSpecPath(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kPaths = {{
      {"Pod", "spec"},
      {"Deployment", "spec.template.spec"},
      {"ReplicaSet", "spec.template.spec"},
      {"StatefulSet", "spec.template.spec"},
      {"DaemonSet", "spec.template.spec"},
      {"Job", "spec.template.spec"},
      {"ReplicationController", "spec.template.spec"},
      {"CronJob", "spec.jobTemplate.spec.template.spec"},
      {"PodTemplate", "template.spec"},
  }};
  for (const auto& [k, path] : kPaths) {
    if (k == kind) return path;
  }
  return {};
}

}  // namespace imglint
