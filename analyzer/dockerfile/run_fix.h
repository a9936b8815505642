// SPDX-License-Identifier: Apache-2.0
/// The text edits of `imglint fix` for Dockerfiles (docs/design.md §4,
/// "Fixes"): take a `setcap` that grants only cap_net_bind_service out of its
/// RUN, and a `chmod` that sets setuid/setgid bits: removed when it only adds
/// them (`u+s`, `g+s`), its octal mode without them otherwise (`4755` ->
/// `0755`, the permissions the step meant to set are kept).
///
/// A command is cut only where it is a whole command of a flat `&&` list or
/// `;`/newline sequence and the rest of the script means what it meant: a
/// RUN that is only that command goes entirely (continuation lines,
/// comments between them and heredoc bodies included), `a && X && b` becomes
/// `a && b`, and a heredoc script loses the command's line. `||`, pipes,
/// background jobs, subshells, compound commands, command substitution,
/// exec-form `sh -c` strings and `install -m` are refused with the reason.
/// Edits are spliced at the positions the parser recorded; every other byte
/// (line endings, tabs, the escape character) stays.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"
#include "analyzer/fix/text_edit.h"

namespace imglint::dockerfile {

/// What a finding's RUN step does.
enum class RunStepKind { kSetcap, kSpecialBits };

/// The edits that undo the setcap or chmod whose flagged word (the
/// capability text, or the mode) starts at `at`, in the Dockerfile `text`
/// parsed as `dockerfile` and `build`.
TextFix RunStepFix(std::string_view text, const std::string& path, const Dockerfile& dockerfile,
                   const BuildModel& build, Position at, RunStepKind kind);

/// Two flagged commands of one RUN (`RUN setcap … a && setcap … b`) cannot
/// both go by separate cuts: each cut keeps the other command's operator, so
/// their edits overlap and together would leave no valid script. Of `fixes`
/// (RunStepFix results, one per distinct step; refused ones are skipped),
/// those whose edits overlap another's in the same file are refused with
/// the reason; the file's other fixes still go ahead.
void RefuseOverlappingRunSteps(const std::vector<TextFix*>& fixes);

}  // namespace imglint::dockerfile
