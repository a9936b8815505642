// SPDX-License-Identifier: Apache-2.0
/// Dockerfile text -> Dockerfile model (analyzer/dockerfile/ast.h), following
/// BuildKit's parser (moby/buildkit frontend/dockerfile/parser) rule for rule:
/// directives, continuation lines (comment and blank lines inside them are
/// dropped but still counted), case-insensitive keywords, leading `--flags`,
/// JSON vs shell form with BuildKit's fallback, heredocs, ONBUILD, UTF-8 BOM
/// and CRLF. Unknown instructions are kept (Instruction::known == false) with
/// their arguments dropped, as BuildKit's parser does.
///
/// Untrusted input: never throws, never aborts, runs in time linear in the
/// input (no recursion proportional to it), and accepts lines of any length.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"

namespace imglint::dockerfile {

struct ParseOptions {
  /// Also run the checks `docker build` applies right after parsing
  /// (instruction_check.h): unknown or malformed flags, wrong argument
  /// counts, invalid stage names, bad ONBUILD triggers. BuildKit's parser
  /// conformance data contains made-up flags, so its test turns this off.
  bool validate = true;
};

/// Parses `text`. On failure returns false and fills `*err` (1-based line and
/// column of the offending token); `*out` is then unspecified.
bool ParseDockerfile(std::string_view text, Dockerfile* out, ParseError* err,
                     const ParseOptions& options = {});

/// The instruction keywords BuildKit knows, lower case ("add" … "workdir").
const std::vector<std::string>& InstructionKeywords();

/// BuildKit parses unknown instructions but refuses them when it builds; so
/// does imglint. False with *err at the first one's keyword: "unknown
/// instruction: FORM (did you mean FROM?)".
bool CheckKnownInstructions(const Dockerfile& dockerfile, ParseError* err);

}  // namespace imglint::dockerfile
