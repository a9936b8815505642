// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/platform.h"

#include <algorithm>

namespace imglint {
namespace {

std::string NormalizeArch(std::string arch) {
  if (arch == "x86_64" || arch == "x86-64") return "amd64";
  if (arch == "aarch64") return "arm64";
  return arch;
}

std::string NormalizeVariant(const std::string& arch, std::string variant) {
  if (arch == "arm64" && variant == "v8") return "";
  return variant;
}

}  // namespace

std::string Platform::ToString() const {
  if (empty()) return {};
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

bool ParsePlatform(std::string_view text, Platform* out, std::string* err) {
  std::string parts[3];
  int n = 0;
  std::size_t pos = 0;
  for (;;) {
    std::size_t slash = text.find('/', pos);
    std::string_view part = text.substr(pos, slash == std::string_view::npos ? slash : slash - pos);
    const bool charset_ok = std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
    if (n == 3 || part.empty() || !charset_ok) {
      *err = "invalid platform \"" + std::string(text) + "\" (expected os/arch[/variant])";
      return false;
    }
    parts[n++] = std::string(part);
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (n < 2) {
    *err = "invalid platform \"" + std::string(text) + "\" (expected os/arch[/variant])";
    return false;
  }
  out->os = parts[0];
  out->architecture = parts[1];
  out->variant = parts[2];
  return true;
}

bool PlatformMatches(const Platform& wanted, const Platform& have) {
  if (wanted.os != have.os) return false;
  std::string wanted_arch = NormalizeArch(wanted.architecture);
  std::string have_arch = NormalizeArch(have.architecture);
  if (wanted_arch != have_arch) return false;
  if (wanted.variant.empty()) return true;
  return NormalizeVariant(wanted_arch, wanted.variant) == NormalizeVariant(have_arch, have.variant);
}

}  // namespace imglint

#include <sys/utsname.h>

namespace imglint {

std::string HostPlatform() {
  struct utsname u;
  std::string machine = ::uname(&u) == 0 ? u.machine : "x86_64";
  if (machine == "armv7l" || machine == "armv7") return "linux/arm/v7";
  if (machine == "armv6l" || machine == "armv6") return "linux/arm/v6";
  if (machine == "i386" || machine == "i686") return "linux/386";
  return "linux/" + NormalizeArch(machine);
}

}  // namespace imglint
