// SPDX-License-Identifier: Apache-2.0
/// Which capability sets amount to root. One list for the image side (getcap
/// text decoded from `security.capability`) and the Dockerfile side (the text
/// given to `setcap`), so IL203 raises the same files to an error either way.
#pragma once

#include <string_view>

namespace imglint {

/// True when `caps` (getcap/setcap text such as "cap_sys_admin+ep",
/// "=ep", "all=ep"; case-insensitive) names the full set or a capability that
/// gives root-equivalent power (escape, arbitrary file access, module load).
bool IsRootEquivalentCaps(std::string_view caps);

}  // namespace imglint
