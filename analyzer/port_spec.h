// SPDX-License-Identifier: Apache-2.0
/// Port specifications as written in Dockerfile `EXPOSE`, image config
/// `ExposedPorts`, Compose `ports:`/`expose:` and Kubernetes `containerPort`:
/// `80`, `80/tcp`, `1000-1100/udp`, `80/sctp`. One parser for all of them so
/// IL301 (privileged-port) and IL302 (invalid-port) judge every input alike.
/// A spec that does not parse is kept, with its raw text and the reason, so a
/// rule can point at it instead of it silently disappearing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imglint {

enum class PortProtocol { kTcp, kUdp, kSctp };

/// "tcp" | "udp" | "sctp".
std::string_view PortProtocolName(PortProtocol protocol);

/// An inclusive port range with its protocol. A single port has start == end.
struct PortSpec {
  int start = 0;
  int end = 0;
  PortProtocol protocol = PortProtocol::kTcp;
  bool protocol_explicit = false;  // "/tcp" was written (not defaulted)
  std::string raw;                 // the text as written, for messages
  bool valid = false;
  std::string reason;  // why it is invalid, e.g. "port 70000 is outside 1-65535"

  bool IsRange() const { return end > start; }
  bool Contains(int port) const { return valid && port >= start && port <= end; }
};

/// Parses a decimal port number in 1-65535. On failure fills \a reason
/// ("port 70000 is outside 1-65535", "\"abc\" is not a port number").
bool ParsePortNumber(std::string_view text, int* out, std::string* reason);

/// Parses "80" or "80-90" (inclusive). "90-80" fails with "malformed range 90-80".
bool ParsePortRange(std::string_view text, int* start, int* end, std::string* reason);

/// Parses a protocol name case-insensitively, as Docker does ("TCP" is accepted).
/// Fails with "protocol \"foo\" is not tcp, udp or sctp".
bool ParsePortProtocol(std::string_view text, PortProtocol* out, std::string* reason);

/// Parses `PORT[-PORT][/PROTOCOL]`. Never fails: an invalid spec comes back
/// with valid == false and a reason. Text containing `$` is reported as an
/// unexpanded variable (the caller expands what it can first).
PortSpec ParsePortSpec(std::string_view text);

/// "80/tcp", "1000-1100/udp": the canonical form, independent of how it was written.
std::string FormatPortSpec(const PortSpec& spec);

/// A valid spec with any port below 1024 (ranges included): binding it needs
/// privilege, or net.ipv4.ip_unprivileged_port_start at most its start.
inline bool IsPrivilegedPort(const PortSpec& port) { return port.valid && port.start < 1024; }

/// The element of `items` with the lowest privileged port (the first one on
/// a tie), or nullptr. `spec_of(item)` gives its port, or nullptr for an item
/// that does not count (an EXPOSE whose variable has no value).
template <typename T, typename SpecOf>
const T* LowestPrivileged(const std::vector<T>& items, SpecOf spec_of) {
  const T* best = nullptr;
  int best_port = 0;
  for (const T& item : items) {
    const PortSpec* spec = spec_of(item);
    if (spec == nullptr || !IsPrivilegedPort(*spec)) continue;
    if (best == nullptr || spec->start < best_port) {
      best = &item;
      best_port = spec->start;
    }
  }
  return best;
}

}  // namespace imglint
