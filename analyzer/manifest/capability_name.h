// SPDX-License-Identifier: Apache-2.0
/// Capability names are written many ways: `NET_BIND_SERVICE` (Kubernetes,
/// Compose), `CAP_NET_BIND_SERVICE` (Docker also accepts it), and
/// `cap_net_bind_service` (libcap text, as imglint decodes file capabilities).
/// One normaliser so every comparison agrees.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

/// Upper-cases and strips a leading "CAP_": "cap_net_bind_service" -> "NET_BIND_SERVICE".
std::string NormalizeCapabilityName(std::string_view name);

}  // namespace imglint
