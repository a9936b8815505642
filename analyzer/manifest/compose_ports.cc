// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/compose_ports.h"

#include <arpa/inet.h>

#include <vector>

namespace imglint {
namespace {

// `${A:-${B:-${C:-80}}}`: real files nest once at most.
constexpr int kMaxInterpolationDepth = 8;

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Expand(std::string_view text, int depth, bool* used, bool* unresolved) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '$' || i + 1 == text.size()) {
      out += c;
      continue;
    }
    const char next = text[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (next == '{') {
      int open = 1;
      size_t close = i + 2;
      for (; close < text.size() && open > 0; ++close) {
        if (text[close] == '{') ++open;
        if (text[close] == '}') --open;
      }
      *used = true;
      if (open > 0) {  // no closing brace: keep the text, it cannot be expanded
        *unresolved = true;
        out.append(text.substr(i));
        return out;
      }
      const std::string_view inner = text.substr(i + 2, close - 1 - (i + 2));
      size_t name_end = 0;
      while (name_end < inner.size() && IsNameChar(inner[name_end])) ++name_end;
      const std::string_view name = inner.substr(0, name_end);
      std::string_view rest = inner.substr(name_end);
      if (rest.substr(0, 2) == ":-" || rest.substr(0, 1) == "-") {
        rest.remove_prefix(rest[0] == ':' ? 2 : 1);
        if (depth < kMaxInterpolationDepth) {
          out += Expand(rest, depth + 1, used, unresolved);
        } else {
          *unresolved = true;
          out += "${" + std::string(name) + "}";
        }
      } else {
        *unresolved = true;
        out += "${" + std::string(name) + "}";
      }
      i = close - 1;
      continue;
    }
    if (IsNameChar(next)) {
      size_t end = i + 1;
      while (end < text.size() && IsNameChar(text[end])) ++end;
      *used = true;
      *unresolved = true;
      out += "${" + std::string(text.substr(i + 1, end - i - 1)) + "}";
      i = end - 1;
      continue;
    }
    out += c;
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool HasVariable(std::string_view text) { return text.find('$') != std::string_view::npos; }

// Shared tail of both syntaxes: fills target, published and host_ip.
void FillPort(std::string_view container, std::string_view protocol, std::string_view host,
              std::string_view ip, ComposePort* port) {
  PortSpec& target = port->target;
  target.raw = std::string(container);
  if (!protocol.empty()) {
    // Appended in two steps: `"/" + std::string` trips a GCC 12 -O3
    // -Wrestrict false positive.
    target.raw += '/';
    target.raw += protocol;
  }
  if (!ip.empty() && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  port->host_ip = std::string(ip);
  port->published = std::string(host);

  auto fail = [&](std::string reason) {
    port->reason = reason;
    if (target.reason.empty()) target.reason = std::move(reason);
  };
  if (!protocol.empty()) {
    if (HasVariable(protocol)) {
      return fail("protocol \"" + std::string(protocol) + "\" contains an unexpanded variable");
    }
    if (!ParsePortProtocol(protocol, &target.protocol, &target.reason)) {
      return fail(target.reason);
    }
    target.protocol_explicit = true;
  }
  if (container.empty()) return fail("missing container port");
  if (HasVariable(container)) {
    return fail("container port \"" + std::string(container) +
                "\" contains an unexpanded variable");
  }
  if (!ParsePortRange(container, &target.start, &target.end, &target.reason)) {
    return fail(target.reason);
  }
  target.valid = true;
  if (!ip.empty() && !HasVariable(ip) && !IsIpAddress(ip)) {
    return fail("invalid host IP \"" + std::string(ip) + "\"");
  }
  if (HasVariable(host)) {
    port->published_unresolved = true;
  } else if (!host.empty()) {
    std::string reason;
    if (!ParsePortRange(host, &port->published_start, &port->published_end, &reason)) {
      return fail("host port: " + reason);
    }
    // Docker: a host range must match the container range, unless the
    // container side is a single port (then one host port is picked).
    if (target.IsRange() &&
        port->published_end - port->published_start != target.end - target.start) {
      return fail("host range " + std::string(host) + " and container range " +
                  std::string(container) + " differ in size");
    }
  }
  port->valid = true;
}

}  // namespace

std::string ExpandComposeDefaults(std::string_view text, bool* used_variables, bool* unresolved) {
  *used_variables = false;
  *unresolved = false;
  return Expand(text, 0, used_variables, unresolved);
}

bool IsIpAddress(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return false;
  const std::string s(text);
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

ComposePort ParseComposeShortPort(std::string_view text) {
  ComposePort port;
  port.raw = std::string(text);
  bool unresolved = false;
  const std::string expanded = ExpandComposeDefaults(text, &port.uses_variables, &unresolved);
  std::string_view spec = expanded;
  std::string_view protocol;
  const size_t slash = spec.find('/');
  if (slash != std::string_view::npos) {
    protocol = spec.substr(slash + 1);
    spec = spec.substr(0, slash);
    if (protocol.empty()) protocol = "tcp";  // Docker treats "80/" as tcp
  }
  // Docker's splitParts: the last field is the container port, the one before
  // it the host port, and everything before that (colons included) the IP.
  const std::vector<std::string_view> parts = Split(spec, ':');
  const size_t n = parts.size();
  std::string_view ip;
  std::string_view host;
  if (n == 2) {
    host = parts[0];
  } else if (n >= 3) {
    host = parts[n - 2];
    const size_t ip_len = static_cast<size_t>(parts[n - 2].data() - spec.data()) - 1;
    ip = spec.substr(0, ip_len);
  }
  FillPort(parts[n - 1], protocol, host, ip, &port);
  return port;
}

ComposePort MakeComposeLongPort(std::string_view target, std::string_view published,
                                std::string_view host_ip, std::string_view protocol,
                                std::string_view mode) {
  ComposePort port;
  port.long_form = true;
  port.mode = std::string(mode);
  bool used = false;
  bool unresolved = false;
  const std::string t = ExpandComposeDefaults(target, &used, &unresolved);
  port.uses_variables |= used;
  const std::string p = ExpandComposeDefaults(published, &used, &unresolved);
  port.uses_variables |= used;
  const std::string ip = ExpandComposeDefaults(host_ip, &used, &unresolved);
  port.uses_variables |= used;
  const std::string proto = ExpandComposeDefaults(protocol, &used, &unresolved);
  port.uses_variables |= used;

  // Appended piece by piece: `"/" + std::string` trips a GCC 12 -O3
  // -Wrestrict false positive.
  port.raw.clear();
  if (!host_ip.empty()) {
    port.raw += host_ip;
    port.raw += ':';
  }
  if (!published.empty()) {
    port.raw += published;
    port.raw += ':';
  }
  port.raw += target;
  if (!protocol.empty()) {
    port.raw += '/';
    port.raw += protocol;
  }
  if (t.find('-') != std::string::npos) {
    // compose-go decodes `target` as one integer: a range is rejected.
    port.target.raw = t;
    port.reason = port.target.reason = "target \"" + t + "\" must be a single port";
    return port;
  }
  FillPort(t, proto, p, ip, &port);
  return port;
}

PortSpec ParseComposeExpose(std::string_view text) {
  bool used = false;
  bool unresolved = false;
  const std::string expanded = ExpandComposeDefaults(text, &used, &unresolved);
  PortSpec spec = ParsePortSpec(expanded);
  spec.raw = std::string(text);
  return spec;
}

}  // namespace imglint
