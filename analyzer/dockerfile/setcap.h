// SPDX-License-Identifier: Apache-2.0
/// `setcap` in build steps: which arguments grant file capabilities.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/dockerfile/run_commands.h"

namespace imglint::dockerfile {

/// Does setcap text (any case) grant something, as opposed to clearing
/// ("cap_net_raw-ep", "cap_net_raw=")?
bool SetcapGrants(std::string_view caps);

/// Does setcap text grant cap_net_bind_service and nothing else? Every
/// clause ("cap_net_bind_service+ep", "CAP_NET_BIND_SERVICE=eip") names
/// only it; an empty name list ("=ep") means every capability.
bool GrantsOnlyNetBindService(std::string_view caps);

/// Can this RUN text run setcap?
bool MayRunSetcap(std::string_view text);

/// For a `setcap [-q] [-v] [-n ROOTID] (-r|-|CAPS) FILE [(-r|-|CAPS) FILE …]`
/// invocation: the (CAPS, FILE) word indices of every pair that grants
/// capabilities. Empty for any other program.
std::vector<std::pair<size_t, size_t>> SetcapGrantsIn(const Words& invocation);

}  // namespace imglint::dockerfile
