// SPDX-License-Identifier: Apache-2.0
/// BuildKit's `Node.Dump()` S-expression format, e.g.
/// `(copy ["--chmod=755"] "a" "/b")` or `(onbuild (run "echo" "hi"))`.
/// Exists so that BuildKit's parser test data (`result` files) can be compared
/// with our parse byte for byte, and for debugging.
#pragma once

#include <string>

#include "analyzer/dockerfile/ast.h"

namespace imglint::dockerfile {

/// One instruction, without the surrounding parentheses.
std::string DumpInstruction(const Instruction& inst);
/// The whole file: one `(…)` line per instruction, each ending in "\n"
/// (equal to BuildKit's `AST.Dump() + "\n"`).
std::string DumpDockerfile(const Dockerfile& dockerfile);

}  // namespace imglint::dockerfile
