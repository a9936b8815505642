// SPDX-License-Identifier: Apache-2.0
/// Linux capabilities, the one home for them: the raw `security.capability`
/// xattr of a file, getcap/setcap text, and capability names as Kubernetes
/// and Compose write them.
///
/// Decodes the raw `security.capability` extended attribute (struct
/// vfs_cap_data / vfs_ns_cap_data, revisions 1-3) into exactly the text that
/// `getcap -n` from libcap 2.66 prints, e.g. "cap_net_bind_service=ep" or
/// "cap_net_raw+p cap_sys_admin=ep"-style groupings. Matching getcap lets a
/// user paste our message into a `setcap` command or compare with their own
/// tooling. Rules use CapabilityNumbers() to test for dangerous capabilities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imglint {

/// A decoded vfs_cap_data.
struct FileCapabilities {
  int revision = 0;  // 1, 2 or 3
  bool effective = false;
  std::uint64_t permitted = 0;  // bit n = capability n
  std::uint64_t inheritable = 0;
  std::uint32_t rootid = 0;  // revision 3 only
};

/// Parses the little-endian xattr value. Like libcap and the kernel, the size
/// must be exactly 12 (v1), 20 (v2) or 24 (v3) bytes. On failure sets *err.
bool ParseFileCapabilities(std::string_view raw, FileCapabilities* out, std::string* err);

/// libcap's cap_to_text(): "cap_net_raw,cap_net_admin=eip", "=" for an empty
/// set, unknown capability numbers as decimal. The rootid is not included.
std::string CapabilitiesToText(const FileCapabilities& caps);

/// What getcap -n prints after the file name: CapabilitiesToText plus
/// " [rootid=N]" for a revision 3 attribute with a non-zero root id.
std::string GetcapText(const FileCapabilities& caps);

/// Convenience: parse + GetcapText. On a malformed value returns false.
bool DecodeCapabilityXattr(std::string_view raw, std::string* text, std::string* err);

/// "cap_net_bind_service" for 10; the decimal number for unknown values.
std::string CapabilityName(int number);

/// Capability number for a name ("cap_net_raw" or "CAP_NET_RAW" or
/// "NET_RAW"); nullopt when unknown.
std::optional<int> CapabilityNumber(std::string_view name);

/// Numbers of all capabilities in permitted | inheritable.
std::vector<int> CapabilityNumbers(const FileCapabilities& caps);

/// Upper-cases and strips a leading "CAP_": "cap_net_bind_service" ->
/// "NET_BIND_SERVICE", the spelling Kubernetes and Compose use. Capability
/// names are written many ways (`NET_BIND_SERVICE`, `CAP_NET_BIND_SERVICE`,
/// `cap_net_bind_service`); every comparison goes through this.
std::string NormalizeCapabilityName(std::string_view name);

/// How an added capability (`capabilities.add`, `cap_add`) written `name`
/// grants CAP_NET_BIND_SERVICE: "NET_BIND_SERVICE" or "ALL" (normalised),
/// or "" when it does not.
std::string AddedBindCapability(std::string_view name);

/// Is `cap` ("cap_sys_admin") one of the names in getcap/setcap text
/// `text`? Names are separated by ',' or ' ' and end at ',', '=', '+', '-'
/// or ' ' ("cap_a,cap_b+ep cap_c=p").
bool NamesCapability(std::string_view text, std::string_view cap);

/// Does getcap text grant cap_net_bind_service (named, or "=ep" for all)?
bool GrantsNetBindService(std::string_view caps);

/// True when `caps` (getcap/setcap text such as "cap_sys_admin+ep",
/// "=ep", "all=ep"; case-insensitive) names the full set or a capability that
/// gives root-equivalent power (escape, arbitrary file access, module load).
bool IsRootEquivalent(std::string_view caps);

}  // namespace imglint
