// SPDX-License-Identifier: Apache-2.0
#include "analyzer/capabilities.h"

#include <array>
#include <cctype>
#include <cstdio>

namespace imglint {
namespace {

// libcap 2.66 _cap_names[], indexed by capability number (__CAP_BITS = 41).
constexpr std::array<std::string_view, 41> kCapNames = {
    "cap_chown",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_fowner",
    "cap_fsetid",
    "cap_kill",
    "cap_setgid",
    "cap_setuid",
    "cap_setpcap",
    "cap_linux_immutable",
    "cap_net_bind_service",
    "cap_net_broadcast",
    "cap_net_admin",
    "cap_net_raw",
    "cap_ipc_lock",
    "cap_ipc_owner",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_sys_chroot",
    "cap_sys_ptrace",
    "cap_sys_pacct",
    "cap_sys_admin",
    "cap_sys_boot",
    "cap_sys_nice",
    "cap_sys_resource",
    "cap_sys_time",
    "cap_sys_tty_config",
    "cap_mknod",
    "cap_lease",
    "cap_audit_write",
    "cap_audit_control",
    "cap_setfcap",
    "cap_mac_override",
    "cap_mac_admin",
    "cap_syslog",
    "cap_wake_alarm",
    "cap_block_suspend",
    "cap_audit_read",
    "cap_perfmon",
    "cap_bpf",
    "cap_checkpoint_restore",
};

// Capabilities that give root-equivalent power (escape, arbitrary file
// access, identity change): a file or setcap step granting one is an error.
constexpr std::array<std::string_view, 16> kRootEquivalent{
    "cap_sys_admin",    "cap_sys_module",      "cap_sys_ptrace", "cap_sys_rawio",
    "cap_dac_override", "cap_dac_read_search", "cap_setuid",     "cap_setgid",
    "cap_setfcap",      "cap_setpcap",         "cap_fowner",     "cap_chown",
    "cap_bpf",          "cap_sys_boot",        "cap_mac_admin",  "cap_mac_override"};

// cap_to_text() splits the 64 bits at cap_max_bits(), which libcap asks the
// running kernel for. Every kernel since 5.9 knows 41 capabilities, so this
// is what getcap prints on any current host; fixing it keeps our output
// independent of the machine imglint runs on.
constexpr int kCapMaxBits = 41;
constexpr int kCapAllBits = 64;  // __CAP_MAXBITS: two 32-bit words

// Flag values of libcap's LIBCAP_EFF/PER/INH (1 << CAP_EFFECTIVE etc.).
constexpr int kEff = 1;
constexpr int kPer = 2;
constexpr int kInh = 4;

constexpr std::uint32_t kRevisionMask = 0xFF000000;
constexpr std::uint32_t kRevision1 = 0x01000000;
constexpr std::uint32_t kRevision2 = 0x02000000;
constexpr std::uint32_t kRevision3 = 0x03000000;
constexpr std::uint32_t kFlagEffective = 0x000001;

std::uint32_t Le32(std::string_view raw, std::size_t offset) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(raw[offset + i]));
  };
  return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
}

struct Sets {
  std::uint64_t eff, per, inh;
  int Flags(int n) const {
    std::uint64_t bit = std::uint64_t{1} << n;
    return ((eff & bit) ? kEff : 0) | ((per & bit) ? kPer : 0) | ((inh & bit) ? kInh : 0);
  }
};

std::string FlagLetters(int flags) {
  std::string s;
  if (flags & kEff) s += 'e';
  if (flags & kInh) s += 'i';
  if (flags & kPer) s += 'p';
  return s;
}

}  // namespace

bool ParseFileCapabilities(std::string_view raw, FileCapabilities* out, std::string* err) {
  if (raw.size() < 4) {
    *err = "security.capability is " + std::to_string(raw.size()) + " bytes, too short";
    return false;
  }
  std::uint32_t magic = Le32(raw, 0);
  std::size_t words = 0;
  std::size_t want = 0;
  switch (magic & kRevisionMask) {
    case kRevision1:
      out->revision = 1, words = 1, want = 12;
      break;
    case kRevision2:
      out->revision = 2, words = 2, want = 20;
      break;
    case kRevision3:
      out->revision = 3, words = 2, want = 24;
      break;
    default:
      *err = "security.capability has unknown revision 0x" + [&] {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "%08x", magic & kRevisionMask);
        return std::string(buf);
      }();
      return false;
  }
  if (raw.size() != want) {
    *err = "security.capability revision " + std::to_string(out->revision) + " is " +
           std::to_string(raw.size()) + " bytes, expected " + std::to_string(want);
    return false;
  }
  out->effective = (magic & kFlagEffective) != 0;
  out->permitted = 0;
  out->inheritable = 0;
  for (std::size_t i = 0; i < words; ++i) {
    out->permitted |= static_cast<std::uint64_t>(Le32(raw, 4 + 8 * i)) << (32 * i);
    out->inheritable |= static_cast<std::uint64_t>(Le32(raw, 8 + 8 * i)) << (32 * i);
  }
  out->rootid = out->revision == 3 ? Le32(raw, 20) : 0;
  return true;
}

// A transcription of libcap 2.66 cap_to_text() (libcap/cap_text.c): find the
// most common flag combination m among the named bits and print it as the
// prevailing "=m"; then, for every other combination t (7 down to 1), list
// the caps having exactly t followed by "+(t&~m)" and "-(m&~t)". When m is
// empty the leading "= " is dropped and the first "+" becomes "=". Bits at or
// above cap_max_bits() are appended as numbers with "+t".
std::string CapabilitiesToText(const FileCapabilities& caps) {
  Sets sets{caps.effective ? (caps.permitted | caps.inheritable) : 0, caps.permitted,
            caps.inheritable};
  int histo[8] = {0};
  for (int n = 0; n < kCapMaxBits; ++n) ++histo[sets.Flags(n)];
  int m = 7;
  for (int t = 7; t--;) {
    if (histo[t] >= histo[m]) m = t;
  }
  // Built by appending: `"x" + std::string` trips a GCC 12 -O3 -Wrestrict
  // false positive.
  std::string buf = "=";
  buf += FlagLetters(m);
  std::size_t base = 0;
  for (int t = 8; t--;) {
    if (t == m || histo[t] == 0) continue;
    buf += ' ';
    bool first = true;
    for (int n = 0; n < kCapMaxBits; ++n) {
      if (sets.Flags(n) != t) continue;
      if (!first) buf += ',';
      buf += CapabilityName(n);
      first = false;
    }
    int plus = t & ~m;
    if (plus) {
      char op = '+';
      if (buf.compare(base, 2, "= ") == 0) {
        base += 2;
        op = '=';
      }
      buf += op;
      buf += FlagLetters(plus);
    }
    int minus = ~t & m;
    if (minus) {
      buf += '-';
      buf += FlagLetters(minus);
    }
  }
  int high[8] = {0};
  for (int n = kCapMaxBits; n < kCapAllBits; ++n) ++high[sets.Flags(n)];
  for (int t = 8; t-- > 1;) {
    if (high[t] == 0) continue;
    buf += ' ';
    bool first = true;
    for (int n = kCapMaxBits; n < kCapAllBits; ++n) {
      if (sets.Flags(n) != t) continue;
      if (!first) buf += ',';
      buf += std::to_string(n);
      first = false;
    }
    buf += '+';
    buf += FlagLetters(t);
  }
  return buf.substr(base);
}

std::string GetcapText(const FileCapabilities& caps) {
  std::string text = CapabilitiesToText(caps);
  // getcap prints the rootid with %d, so ids above 2^31 come out negative.
  if (caps.revision == 3 && caps.rootid != 0 && caps.rootid != 0xFFFFFFFFu) {
    text += " [rootid=" + std::to_string(static_cast<std::int32_t>(caps.rootid)) + "]";
  }
  return text;
}

bool DecodeCapabilityXattr(std::string_view raw, std::string* text, std::string* err) {
  FileCapabilities caps;
  if (!ParseFileCapabilities(raw, &caps, err)) return false;
  *text = GetcapText(caps);
  return true;
}

std::string CapabilityName(int number) {
  if (number >= 0 && number < static_cast<int>(kCapNames.size())) {
    return std::string(kCapNames[static_cast<std::size_t>(number)]);
  }
  return std::to_string(number);
}

std::optional<int> CapabilityNumber(std::string_view name) {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.rfind("cap_", 0) != 0) lower = "cap_" + lower;
  for (std::size_t i = 0; i < kCapNames.size(); ++i) {
    if (kCapNames[i] == lower) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::string NormalizeCapabilityName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (out.rfind("CAP_", 0) == 0) out.erase(0, 4);
  return out;
}

std::string AddedBindCapability(std::string_view name) {
  std::string normalized = NormalizeCapabilityName(name);
  return normalized == "NET_BIND_SERVICE" || normalized == "ALL" ? normalized : "";
}

bool NamesCapability(std::string_view text, std::string_view cap) {
  for (size_t at = text.find(cap); at != std::string_view::npos; at = text.find(cap, at + 1)) {
    const size_t end = at + cap.size();
    const bool starts = at == 0 || text[at - 1] == ',' || text[at - 1] == ' ';
    const bool ends = end == text.size() || text[end] == ',' || text[end] == '=' ||
                      text[end] == '+' || text[end] == '-' || text[end] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

bool GrantsNetBindService(std::string_view caps) {
  // getcap prints "=ep" (no names) for the full set.
  return (!caps.empty() && caps[0] == '=') || NamesCapability(caps, "cap_net_bind_service");
}

bool IsRootEquivalent(std::string_view caps) {
  std::string lower(caps);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // getcap prints "=ep" (no names) for the full set; setcap also takes "all".
  if (!lower.empty() && lower[0] == '=') return true;
  if (NamesCapability(lower, "all")) return true;
  for (std::string_view cap : kRootEquivalent) {
    if (NamesCapability(lower, cap)) return true;
  }
  return false;
}

std::vector<int> CapabilityNumbers(const FileCapabilities& caps) {
  std::vector<int> out;
  std::uint64_t all = caps.permitted | caps.inheritable;
  for (int n = 0; n < kCapAllBits; ++n) {
    if (all & (std::uint64_t{1} << n)) out.push_back(n);
  }
  return out;
}

}  // namespace imglint
