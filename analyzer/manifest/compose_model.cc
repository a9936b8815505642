// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/compose_model.h"

#include "analyzer/capabilities.h"

namespace imglint {

bool Service::SharesNetworkNamespace() const {
  if (!network_mode) return false;
  const std::string& mode = network_mode->value;
  return mode.rfind("service:", 0) == 0 || mode.rfind("container:", 0) == 0;
}

const Sysctl* Service::FindSysctl(std::string_view name) const {
  for (const Sysctl& s : sysctls) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool Service::AddsCapability(std::string_view cap) const {
  const std::string want = NormalizeCapabilityName(cap);
  for (const Located<std::string>& item : cap_add) {
    const std::string have = NormalizeCapabilityName(item.value);
    if (have == want || have == "ALL") return true;
  }
  return false;
}

const Service* ComposeFile::FindService(std::string_view name) const {
  for (const Service& s : services) {
    if (s.name.value == name) return &s;
  }
  return nullptr;
}

}  // namespace imglint
