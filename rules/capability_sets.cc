// SPDX-License-Identifier: Apache-2.0
#include "rules/capability_sets.h"

#include <array>
#include <cctype>
#include <string>

#include "rules/image_files.h"

namespace imglint {
namespace {

// Capabilities that give root-equivalent power (escape, arbitrary file
// access, identity change) and so make an IL203 finding an error.
constexpr std::array<std::string_view, 16> kDangerous{
    "cap_sys_admin",    "cap_sys_module",      "cap_sys_ptrace", "cap_sys_rawio",
    "cap_dac_override", "cap_dac_read_search", "cap_setuid",     "cap_setgid",
    "cap_setfcap",      "cap_setpcap",         "cap_fowner",     "cap_chown",
    "cap_bpf",          "cap_sys_boot",        "cap_mac_admin",  "cap_mac_override"};

}  // namespace

bool IsRootEquivalentCaps(std::string_view caps) {
  std::string lower(caps);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // getcap prints "=ep" (no names) for the full set; setcap also takes "all".
  if (!lower.empty() && lower[0] == '=') return true;
  if (ContainsCap(lower, "all")) return true;
  for (std::string_view cap : kDangerous) {
    if (ContainsCap(lower, cap)) return true;
  }
  return false;
}

}  // namespace imglint
