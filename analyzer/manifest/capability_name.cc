// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/capability_name.h"

#include <cctype>

namespace imglint {

std::string NormalizeCapabilityName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (out.rfind("CAP_", 0) == 0) out.erase(0, 4);
  return out;
}

}  // namespace imglint
