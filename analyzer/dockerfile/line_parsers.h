// SPDX-License-Identifier: Apache-2.0
/// BuildKit's per-instruction argument parsers (`dispatch` table of
/// frontend/dockerfile/parser): how the text after the keyword and flags
/// becomes an argument list for RUN, COPY, ENV, … Each argument remembers the
/// byte range it came from in the logical line so that the parser can give
/// it a source position. Internal to the dockerfile module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imglint::dockerfile::internal {

/// An argument with its [begin, end) offsets in the logical line.
struct RawArg {
  std::string value;
  size_t begin = 0;
  size_t end = 0;
};

/// A leading `--flag` word with its offsets.
struct RawFlag {
  std::string text;
  size_t begin = 0;
  size_t end = 0;
};

/// The argument parser BuildKit uses for a keyword.
enum class ArgParser {
  kIgnore,           ///< unknown instruction: arguments dropped
  kMaybeJson,        ///< RUN CMD ENTRYPOINT SHELL
  kMaybeJsonToList,  ///< ADD COPY VOLUME
  kWhitespace,       ///< FROM EXPOSE
  kString,           ///< USER WORKDIR MAINTAINER STOPSIGNAL
  kNameOrNameVal,    ///< ARG
  kEnv,              ///< ENV
  kLabel,            ///< LABEL
  kHealthcheck,      ///< HEALTHCHECK
  kSubCommand,       ///< ONBUILD
};

ArgParser ParserFor(std::string_view keyword);

struct ArgParse {
  std::vector<RawArg> args;
  bool json = false;
  std::string error;        ///< set on failure
  size_t error_offset = 0;  ///< where the error is, in the logical line
};

/// Parses `rest` (already trimmed; starts at `base` in the logical line)
/// into `out`, which must be empty (or cleared: its capacity is reused).
/// kSubCommand and kIgnore are handled by the caller. Returns false on a
/// syntax error (ENV without value, non-string JSON array, …).
bool ParseArgs(ArgParser parser, std::string_view rest, size_t base, char escape, ArgParse* out);

/// BuildKit's extractBuilderFlags: peels leading `--flag` words off `line`
/// (which starts at `base`). Returns the remainder's offset relative to
/// `line` (line.size() when nothing remains).
size_t ExtractFlags(std::string_view line, size_t base, std::vector<RawFlag>* flags);

/// BuildKit's parseWords: splits on unquoted whitespace, keeping quotes and
/// escapes in the words; appends them to `words`.
void ParseWords(std::string_view rest, size_t base, char escape, std::vector<RawArg>* words);

}  // namespace imglint::dockerfile::internal
