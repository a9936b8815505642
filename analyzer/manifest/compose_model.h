// SPDX-License-Identifier: Apache-2.0
/// What imglint knows about a Compose file: per service, the fields that decide
/// whether it runs as root (IL101), which ports it listens on (IL301/IL302),
/// whether the unprivileged-port sysctl is set and applies (IL303: not with
/// `network_mode: host` or `container:`/`service:` sharing), and which
/// privilege it is granted instead (IL304). Values keep their YAML positions;
/// services and their `sysctls:` keep their indentation for snippets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/manifest/yaml_types.h"
#include "analyzer/port_spec.h"

namespace imglint {

/// `build: ./dir` (short) or `build: {context: ./dir, dockerfile: Dockerfile.x}`.
struct ComposeBuild {
  bool long_form = false;
  Pos pos;
  std::optional<Located<std::string>> context;  // "." is Compose's default when absent
  std::optional<Located<std::string>> dockerfile;
};

/// One `ports:` entry, short (`[IP:][HOST:]CONTAINER[/PROTO]`, ranges allowed)
/// or long (`target`, `published`, `host_ip`, `protocol`, `mode`). Invalid
/// entries keep their raw text and a reason so IL302 can point at them.
struct ComposePort {
  std::string raw;  // as written; long form reconstructed as "[host_ip:]published:target/proto"
  Pos pos;
  bool long_form = false;
  PortSpec target;          // the container side, with the protocol
  std::string host_ip;      // "" when not given; IPv6 without brackets ("::1")
  std::string published;    // host side as written after variable defaults; "" = not published
  int published_start = 0;  // parsed host range; 0 when none or unresolved
  int published_end = 0;
  /// The host side uses a variable without a default (`${PORT}:80`): its
  /// value is only known at deploy time. The entry is still valid.
  bool published_unresolved = false;
  bool uses_variables = false;  // any `$VAR`/`${VAR…}` in the entry
  std::string mode;             // long form "host" | "ingress"
  bool valid = false;
  std::string reason;
};

/// One `expose:` entry ("3000", 3000, "3000-3005", "3000/udp").
struct ExposedPort {
  PortSpec spec;
  Pos pos;
};

struct Service {
  Located<std::string> name;  // the key under `services:`
  Pos pos;                    // the service mapping
  int indent = -1;            // 0-based column of its keys; -1 if flow style

  std::optional<Located<std::string>> image;
  std::optional<ComposeBuild> build;
  std::optional<Located<std::string>> user;  // "1000", "1000:1000", "root", "${UID}"
  std::vector<ComposePort> ports;
  std::vector<ExposedPort> expose;
  std::vector<Located<std::string>> cap_add;
  ListLayout cap_add_layout;  // where `cap_add` is written
  std::vector<Located<std::string>> cap_drop;
  std::optional<Located<bool>> privileged;
  std::vector<Sysctl> sysctls;
  bool has_sysctls_key = false;
  bool sysctls_list_form = false;  // `- net.ipv4.x=0` rather than a mapping
  Pos sysctls_key_pos;
  int sysctls_indent = -1;    // 0-based column of the entries; -1 if flow/empty
  bool sysctls_flow = false;  // `sysctls: {...}` / `[...]`: new entries go inside
  std::optional<Located<std::string>> network_mode;  // "host", "service:db", "container:x"

  bool HostNetwork() const { return network_mode && network_mode->value == "host"; }
  /// `service:NAME` / `container:NAME`: the network namespace (and so its
  /// sysctls) belongs to another container.
  bool SharesNetworkNamespace() const;
  const Sysctl* FindSysctl(std::string_view name) const;
  /// True when `cap_add` names \a cap or ALL; case-insensitive, "CAP_" optional.
  bool AddsCapability(std::string_view cap) const;
};

struct ComposeFile {
  std::string path;
  std::vector<Service> services;
  std::vector<Issue> issues;

  const Service* FindService(std::string_view name) const;
};

}  // namespace imglint
