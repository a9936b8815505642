// SPDX-License-Identifier: Apache-2.0
/// Error messages quote untrusted bytes (entry names, member paths, JSON
/// strings). Before such a message reaches a terminal or a report, control
/// characters (an ANSI escape sequence in a tar entry name) and invalid
/// UTF-8 are made visible as `\xNN`, so the message is printable, valid
/// UTF-8 text whatever the input was.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

/// `text` with bytes below 0x20, 0x7f and every byte that is not
/// part of a valid UTF-8 sequence replaced by `\xNN`; a backslash stays a
/// backslash. Valid non-ASCII UTF-8 is kept.
std::string EscapeForMessage(std::string_view text);

}  // namespace imglint
