// SPDX-License-Identifier: Apache-2.0
/// Replaces a file's contents all at once, for `imglint fix --write`: the new
/// text goes to a temporary file beside the target (same directory, so the
/// same file system), takes the target's mode and owner, is flushed, and is
/// renamed over it. A reader sees the old file or the new one, never half of
/// one; a failure leaves the target untouched.
///
/// A file with other hard links is the exception: a rename would split it
/// from them (as `sed -i` does), so it is rewritten in place, after a copy
/// of its old text is flushed beside it, and put back if the write fails.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

/// Replaces `path` (a symbolic link: the file it points to) with `data`,
/// keeping its permission bits, owner and group, and its hard links. False, with *error, when
/// any step fails — including when the owner cannot be kept.
bool ReplaceFileAtomically(const std::string& path, std::string_view data, std::string* error);

}  // namespace imglint
