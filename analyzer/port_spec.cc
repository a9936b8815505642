// SPDX-License-Identifier: Apache-2.0
#include "analyzer/port_spec.h"

#include <cctype>

namespace imglint {
namespace {

constexpr int kMinPort = 1;
constexpr int kMaxPort = 65535;

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text);
  out += '"';
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view PortProtocolName(PortProtocol protocol) {
  switch (protocol) {
    case PortProtocol::kTcp:
      return "tcp";
    case PortProtocol::kUdp:
      return "udp";
    case PortProtocol::kSctp:
      return "sctp";
  }
  return "tcp";
}

bool ParsePortNumber(std::string_view text, int* out, std::string* reason) {
  if (text.empty()) {
    *reason = "empty port number";
    return false;
  }
  // Accumulate in a wide type and stop early so "99999999999999999999" can
  // neither overflow nor be mistaken for a small number.
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      *reason = Quoted(text) + " is not a port number";
      return false;
    }
    if (value <= kMaxPort) value = value * 10 + (c - '0');
  }
  if (value < kMinPort || value > kMaxPort) {
    *reason = "port " + std::string(text) + " is outside 1-65535";
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

bool ParsePortRange(std::string_view text, int* start, int* end, std::string* reason) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!ParsePortNumber(text, start, reason)) return false;
    *end = *start;
    return true;
  }
  int lo = 0;
  int hi = 0;
  if (!ParsePortNumber(text.substr(0, dash), &lo, reason) ||
      !ParsePortNumber(text.substr(dash + 1), &hi, reason)) {
    return false;
  }
  if (hi < lo) {
    *reason = "malformed range " + std::string(text);
    return false;
  }
  *start = lo;
  *end = hi;
  return true;
}

bool ParsePortProtocol(std::string_view text, PortProtocol* out, std::string* reason) {
  if (EqualsIgnoreCase(text, "tcp")) {
    *out = PortProtocol::kTcp;
  } else if (EqualsIgnoreCase(text, "udp")) {
    *out = PortProtocol::kUdp;
  } else if (EqualsIgnoreCase(text, "sctp")) {
    *out = PortProtocol::kSctp;
  } else {
    *reason = "protocol " + Quoted(text) + " is not tcp, udp or sctp";
    return false;
  }
  return true;
}

PortSpec ParsePortSpec(std::string_view text) {
  PortSpec spec;
  spec.raw = std::string(text);
  if (text.find('$') != std::string_view::npos) {
    spec.reason = "port " + Quoted(text) + " contains an unexpanded variable";
    return spec;
  }
  std::string_view ports = text;
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    ports = text.substr(0, slash);
    if (!ParsePortProtocol(text.substr(slash + 1), &spec.protocol, &spec.reason)) return spec;
    spec.protocol_explicit = true;
  }
  if (!ParsePortRange(ports, &spec.start, &spec.end, &spec.reason)) return spec;
  spec.valid = true;
  return spec;
}

std::string FormatPortSpec(const PortSpec& spec) {
  if (!spec.valid) return spec.raw;
  // Appended piece by piece: `"-" + std::to_string(...)` builds a temporary
  // whose inlined copy GCC 12 at -O3 misreads as overlapping (-Wrestrict).
  std::string out = std::to_string(spec.start);
  if (spec.IsRange()) {
    out += '-';
    out += std::to_string(spec.end);
  }
  out += '/';
  out += PortProtocolName(spec.protocol);
  return out;
}

}  // namespace imglint
