// SPDX-License-Identifier: Apache-2.0
/// A shell script as a flat list of commands and the operators between them
/// (`&&`, `||`, `;`, `|`, `&`, newline), with the byte range of each: what
/// `imglint fix` needs to cut one command out of a RUN line or a heredoc
/// script and splice the rest together (docs/design.md §4, "Fixes").
///
/// Only flat lists are described. Subshells, `{ }` groups, `if`/`for`/
/// `while`/`case` and function definitions nest commands in ways a flat list
/// cannot say, so such a script is marked `nested` and nothing in it is cut.
/// Quotes, `\` escapes, `$(…)`, `${…}` and backquotes stay inside their word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imglint::dockerfile {

struct ListCommand {
  size_t begin = 0;             ///< first byte of its first word
  size_t end = 0;               ///< one past its last word (comments and blanks excluded)
  bool substitution = false;    ///< has `$(…)`, backquotes or `<(…)`/`>(…)`
  bool heredoc = false;         ///< has a `<<` redirection
  std::string_view first_word;  ///< as written, quotes kept
};

struct ListOperator {
  enum class Kind : std::uint8_t { kAnd, kOr, kSequence, kPipe, kBackground, kNewline };
  Kind kind = Kind::kSequence;
  size_t begin = 0;  ///< the operator's first byte
  size_t end = 0;    ///< where the next command starts (blanks, newlines, comments absorbed)
};

struct CommandList {
  std::vector<ListCommand> commands;
  /// operators[i] follows commands[i]; one more than commands.size() - 1
  /// when the script ends with `;` or `&`.
  std::vector<ListOperator> operators;
  /// Why the script is not a flat list ("a subshell"), or "".
  std::string nested;
};

/// Splits `script`; linear, no recursion.
CommandList SplitCommandList(std::string_view script);

}  // namespace imglint::dockerfile
