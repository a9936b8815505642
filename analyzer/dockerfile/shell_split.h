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
///
/// Each command also records where it is and what ends it, so `imglint fix`
/// can cut one out of a RUN along the same tokens the rules saw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"

namespace imglint::dockerfile {

/// The control operator that ends a command.
enum class ShellOperator : std::uint8_t {
  kEnd,          ///< the end of the script
  kNewline,      ///< a newline (heredoc bodies after it are skipped)
  kSequence,     ///< `;`
  kAnd,          ///< `&&`
  kOr,           ///< `||`
  kPipe,         ///< `|`, `|&`
  kBackground,   ///< `&`
  kCaseEnd,      ///< `;;`, `;&`: the end of a `case` item
  kOpen,         ///< `(`: a subshell, function definition or array
  kClose,        ///< `)`
  kSubstitution  ///< the `(` of `<(…)`/`>(…)`: the command goes on after its `)`
};

struct SimpleCommand {
  std::vector<std::string> assignments;  ///< leading NAME=value words
  std::vector<std::string> words;        ///< command name and arguments, quotes removed
  std::vector<std::string> heredocs;     ///< delimiters of `<<WORD` redirections
  int line = 0;                          ///< source line of the first token
  size_t offset = 0;                     ///< offset of the first token in the script

  // Its text as written, for edits: from its first token to its last, a
  // token being a word, a leading keyword or a redirection and its target
  // (not a blank or a comment).
  size_t begin = 0;      ///< first byte of its first token (== end when it has none)
  size_t first_end = 0;  ///< one past its first token (up to a blank or an operator)
  size_t end = 0;        ///< one past its last token
  ShellOperator ends_with = ShellOperator::kEnd;
  size_t operator_end = 0;    ///< one past that operator
  bool substitution = false;  ///< has `$(…)`, `$((…))` or backquotes
  bool here_input = false;    ///< has a `<<` heredoc or `<<<` here-string redirection
  bool compound = false;  ///< its first token is a compound command's word (`if`, `for`, `{`…)
  bool bodies_follow = false;  ///< heredoc bodies were skipped after the newline that ends it
};

/// Splits `script`; `line_of(offset)` gives the source line of a byte.
/// A command may have no words (only assignments, or only `<<EOF`).
std::vector<SimpleCommand> SplitShellCommands(std::string_view script,
                                              const std::function<int(size_t)>& line_of);
/// Same, for a script whose first byte is on `first_line` (lines counted by "\n").
std::vector<SimpleCommand> SplitShellCommands(std::string_view script, int first_line);

/// Every command position of `script`, lines counted from 1: also those
/// SplitShellCommands leaves out, without tokens (`a && ; b`, a blank line)
/// or with only keywords (`fi`), so that the operators between them are all
/// there for an edit to read.
std::vector<SimpleCommand> SplitShellScript(std::string_view script);

/// Every simple command a RUN executes: its command line (lines mapped
/// through the instruction's continuation lines), an exec-form `sh -c`
/// script, and heredoc bodies that the shell runs (`RUN <<EOF`,
/// `RUN bash <<EOF`) — but not heredocs fed to other programs as data.
/// Commands without words are left out.
std::vector<SimpleCommand> SplitRunCommands(const Dockerfile& dockerfile, const RunCommand& run);

}  // namespace imglint::dockerfile
