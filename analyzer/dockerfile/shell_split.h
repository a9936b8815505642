// SPDX-License-Identifier: Apache-2.0
/// Splits the shell text of a RUN instruction into simple commands, so rules
/// can look for `chmod u+s`, `chmod 4755`, `install -m 4755`, `setcap …`
/// without being fooled by `&&` chains, pipes, quotes or redirections.
///
/// It is a tokenizer, not a shell: it splits on `&&`, `||`, `;`, `|`, `&`,
/// `(`, `)` and newlines outside quotes, removes quotes and backslash
/// escapes, drops comments, redirections (`> f`, `2>&1`, `<<EOF` + body) and
/// leading keywords (`if`, `then`, `do`, `!`, `{` …), and keeps `$VAR`,
/// `$(…)` and backquotes verbatim inside words (nothing is expanded or run).
/// Linear time, no recursion.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"

namespace imglint::dockerfile {

struct SimpleCommand {
  std::vector<std::string> assignments;  ///< leading NAME=value words
  std::vector<std::string> words;        ///< command name and arguments, quotes removed
  std::vector<std::string> heredocs;     ///< delimiters of `<<WORD` redirections
  int line = 0;                          ///< source line of the first token
  size_t offset = 0;                     ///< offset of the first token in the script
};

/// Splits `script`; `line_of(offset)` gives the source line of a byte.
/// A command may have no words (only assignments, or only `<<EOF`).
std::vector<SimpleCommand> SplitShellCommands(std::string_view script,
                                              const std::function<int(size_t)>& line_of);
/// Same, for a script whose first byte is on `first_line` (lines counted by "\n").
std::vector<SimpleCommand> SplitShellCommands(std::string_view script, int first_line);

/// Every simple command a RUN executes: its command line (lines mapped
/// through the instruction's continuation lines), an exec-form `sh -c`
/// script, and heredoc bodies that the shell runs (`RUN <<EOF`,
/// `RUN bash <<EOF`) — but not heredocs fed to other programs as data.
/// Commands without words are left out.
std::vector<SimpleCommand> SplitRunCommands(const Dockerfile& dockerfile, const RunCommand& run);

}  // namespace imglint::dockerfile
