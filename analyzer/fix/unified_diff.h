// SPDX-License-Identifier: Apache-2.0
/// A unified diff of one file's planned edits, the form `imglint fix` prints
/// by default: `--- a/PATH` / `+++ b/PATH` headers, hunks with three lines of
/// context, GNU diff's `\ No newline at end of file`, so `patch -p1` and
/// `git apply` take it as is. Built from the edits themselves (they say which
/// lines change), not by diffing two texts. An absolute path is shown
/// without its leading '/' (`a/etc/app.yaml`), as git shows one: apply such
/// a diff with `patch -p1` (or `git apply`) from the root directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/fix/text_edit.h"

namespace imglint {

/// The diff that turns `before` into ApplyEdits(before, edits); "" when
/// `edits` change nothing. `edits` must be normalized (NormalizeEdits).
/// Lines keep their own line breaks, CRLF included.
std::string UnifiedDiff(std::string_view path, std::string_view before,
                        const std::vector<TextEdit>& edits, int context = 3);

}  // namespace imglint
