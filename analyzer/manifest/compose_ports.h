// SPDX-License-Identifier: Apache-2.0
/// Compose port syntax: the short `ports:` form `[IP:][HOST:]CONTAINER[/PROTO]`
/// (ranges, IPv6 `[::1]:80:80` and bare `::1:80:80`, split the way Docker's
/// nat.ParsePortSpec does), `expose:` entries, and Compose variable
/// interpolation defaults (`${PORT:-8080}`), which are common in port strings.
#pragma once

#include <string>
#include <string_view>

#include "analyzer/manifest/compose_model.h"

namespace imglint {

/// Expands Compose interpolation where the text itself decides the value:
/// `${VAR:-default}` / `${VAR-default}` become the default and `$$` becomes
/// `$`. Variables whose value only the environment knows (`$VAR`, `${VAR}`,
/// `${VAR:?msg}`, `${VAR:+alt}`) are left as `${VAR}`. Sets \a used_variables
/// when any variable appeared and \a unresolved when one could not be expanded.
std::string ExpandComposeDefaults(std::string_view text, bool* used_variables, bool* unresolved);

/// Parses a short-syntax `ports:` entry (string or number, as text).
ComposePort ParseComposeShortPort(std::string_view text);

/// Builds a long-syntax entry from its fields as text ("" when absent):
/// `target` (required, a single port), `published` (port or range, may use
/// variables), `host_ip`, `protocol` (default tcp) and `mode`.
ComposePort MakeComposeLongPort(std::string_view target, std::string_view published,
                                std::string_view host_ip, std::string_view protocol,
                                std::string_view mode);

/// Parses an `expose:` entry ("3000", "3000-3005", "3000/udp").
PortSpec ParseComposeExpose(std::string_view text);

/// True for a literal IPv4 or IPv6 address (no brackets).
bool IsIpAddress(std::string_view text);

}  // namespace imglint
