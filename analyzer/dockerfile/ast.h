// SPDX-License-Identifier: Apache-2.0
/// The parsed form of a Dockerfile: one Instruction per logical line, with the
/// argument lists BuildKit's parser produces (its `Node` tree, flattened) plus
/// what a linter needs on top: the 1-based start/end line and column of every
/// instruction, flag and argument, the source text, and heredoc bodies.
///
/// Why a BuildKit-shaped model: rules must see the Dockerfile the way `docker
/// build` does (continuations, escape directive, JSON fallback, heredocs), and
/// BuildKit's own test data (dumped with DumpDockerfile) keeps us honest.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imglint::dockerfile {

/// A 1-based line/column pair. Columns count bytes of the line (after a UTF-8
/// BOM on line 1 is dropped). 0 means "unknown".
struct Position {
  int line = 0;
  int column = 0;
};

/// A source range; `end` is exclusive (one past the last byte), as in SARIF.
struct Range {
  Position start;
  Position end;
};

/// One argument node. `value` is exactly what BuildKit keeps in its AST
/// (JSON strings decoded; shell-form text joined from continuation lines; no
/// variable expansion). `range` covers the source characters it came from.
struct Argument {
  std::string value;
  Range range;
  size_t offset = 0;  ///< start offset in Instruction::original
};

/// A leading `--name[=value]` word of an instruction. `text` is the word as
/// BuildKit keeps it (quotes removed, `\` escapes applied): "--chmod=755".
struct Flag {
  std::string text;
  std::string name;   ///< "chmod"
  std::string value;  ///< "755"; empty when absent
  bool has_value = false;
  Range range;
};

/// A here-document attached to RUN/COPY/ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`).
struct Heredoc {
  std::string name;     ///< delimiter word, quotes removed
  int fd = 0;           ///< the N of `N<<EOF`; 0 when not written
  bool expand = true;   ///< false when (part of) the delimiter was quoted
  bool chomp = false;   ///< `<<-`: leading tabs are stripped from body lines
  std::string content;  ///< body, "\n"-terminated lines (CR dropped, tabs chomped)
  int body_line = 0;    ///< line of the first body line
  Range range;          ///< from the first body line to the end of the terminator
};

/// Maps an offset of Instruction::original back to the source. Continuation
/// lines are concatenated, so each piece remembers where it started.
struct Segment {
  size_t offset = 0;  ///< offset in `original` where this piece starts
  int line = 0;
  int column = 0;
};

/// One Dockerfile instruction (a logical line).
struct Instruction {
  std::string keyword;  ///< lower-cased as BuildKit does: "run"; unknown words are kept
  bool known = true;    ///< false for an unknown keyword (its arguments are dropped)
  std::vector<Flag> flags;
  std::vector<Argument> args;
  bool json = false;  ///< exec (JSON array) form of RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/VOLUME
  /// ONBUILD's trigger instruction (exactly one element for `ONBUILD X ...`).
  std::vector<Instruction> sub;
  std::vector<Heredoc> heredocs;
  /// BuildKit's Node.Original: the logical line, continuations joined and
  /// comment lines inside them dropped.
  std::string original;
  /// Where the exact source lines (first to last, heredoc bodies included)
  /// are in the text that was parsed: offsets, not a copy, which was one more
  /// string per instruction (see SourceText).
  size_t source_begin = 0;
  size_t source_end = 0;
  Range range;                        ///< keyword start to the end of the last consumed line
  Range keyword_range;                ///< just the keyword
  std::vector<std::string> comments;  ///< comment lines directly above
  /// offset -> position map for `original`; empty when `original` is one
  /// source line, which starts at range.start (most instructions: no
  /// allocation for them).
  std::vector<Segment> segments;

  /// Position of byte `offset` of `original`.
  Position PositionAt(size_t offset) const;
  /// The instruction's source lines in `text`, the text it was parsed from
  /// (line endings as they are there).
  std::string_view SourceText(std::string_view text) const {
    return text.substr(std::min(source_begin, text.size()), source_end - source_begin);
  }
  /// First flag named `name` (without dashes), or nullptr.
  const Flag* FindFlag(const std::string& name) const;
};

/// A parser directive (`# syntax=…`, `# escape=…`, `# check=…`).
struct Directive {
  std::string name;  ///< lower-cased key
  std::string value;
  Range range;
};

struct Dockerfile {
  std::vector<Directive> directives;
  char escape = '\\';  ///< '\\' or '`'
  std::vector<Instruction> instructions;
  /// Non-fatal remarks, e.g. BuildKit's "empty continuation line" warning.
  std::vector<std::string> warnings;
};

/// A syntax error; the caller prints `Dockerfile:LINE:COL: error: MESSAGE`.
struct ParseError {
  int line = 0;
  int column = 0;
  std::string message;
};

}  // namespace imglint::dockerfile
