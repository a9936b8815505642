// SPDX-License-Identifier: Apache-2.0
/// Image platforms ("os/arch[/variant]"): parsing the --platform option,
/// matching it against index descriptors and configs the way containerd does
/// (architecture aliases, arm64's default variant v8), and formatting the
/// platform a finding names.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;

  bool empty() const { return os.empty() && architecture.empty(); }
  /// "linux/arm64/v8"; "" when empty.
  std::string ToString() const;
};

/// Parses "os/arch[/variant]": two or three non-empty parts of lower-case
/// letters, digits, '.', '_' and '-'. Returns false with *err otherwise. The
/// one validation of --platform, wherever it is used.
bool ParsePlatform(std::string_view text, Platform* out, std::string* err);

/// True when `have` satisfies `wanted`. An empty wanted variant matches any
/// variant; "arm64" and "arm64/v8" are the same platform.
bool PlatformMatches(const Platform& wanted, const Platform& have);

}  // namespace imglint

namespace imglint {

/// The platform this process runs on ("linux/amd64", "linux/arm64",
/// "linux/arm/v7"): what a registry image defaults to, as with docker pull.
std::string HostPlatform();

}  // namespace imglint
