// SPDX-License-Identifier: Apache-2.0
/// Byte-level helpers every renderer needs because findings quote hostile
/// input (file names from images, Dockerfile text): valid UTF-8, terminal-safe
/// text, XML escaping and URI percent-encoding.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

/// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string ValidUtf8(std::string_view text);

/// Valid UTF-8 with C0/C1 control characters (except '\n' and '\t') shown as
/// `\xNN`, so a file name from an image cannot drive the user's terminal.
std::string TerminalSafe(std::string_view text);

/// XML 1.0 attribute/text escaping of valid UTF-8; characters XML 1.0 cannot
/// carry at all (most C0 controls) become U+FFFD, newlines and tabs become
/// character references so attribute values keep them.
std::string XmlEscape(std::string_view text);

/// Percent-encodes a '/'-separated path for use in a URI: unreserved
/// characters, '/' and the sub-delimiters safe in a path stay; ':' is always
/// encoded so a relative reference can never be read as a scheme.
std::string PercentEncodePath(std::string_view path);

}  // namespace imglint
