// SPDX-License-Identifier: Apache-2.0
/// The checks BuildKit applies when it turns parsed nodes into typed
/// instructions (frontend/dockerfile/instructions): which `--flags` each
/// instruction accepts and whether they need a value, argument counts, stage
/// names, ONBUILD triggers. `docker build` fails on these before running
/// anything, so imglint reports them as syntax errors too.
#pragma once

#include "analyzer/dockerfile/ast.h"

namespace imglint::dockerfile {

/// Returns false with `*err` (position of the offending flag or keyword)
/// when `docker build` would reject the instruction.
bool CheckInstruction(const Instruction& inst, ParseError* err);

}  // namespace imglint::dockerfile
