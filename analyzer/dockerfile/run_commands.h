// SPDX-License-Identifier: Apache-2.0
/// What the RUN instructions of a build execute, as programs with their
/// words: the simple commands of the shell text and of the heredoc scripts
/// the shell runs, with `sudo`, `env X=1`, `busybox`, `xargs` and
/// `find … -exec … {} +` peeled off, and where each word sits in the source.
/// The Dockerfile facts (chmod/install modes, setcap) are read from these.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"
#include "analyzer/dockerfile/shell_split.h"

namespace imglint::dockerfile {

using Words = std::vector<std::string>;

// A simple command of a RUN, as SplitRunCommands lists it.
struct LocatedCommand {
  SimpleCommand cmd;
  size_t index = 0;  // position in SplitRunCommands' list
};

/// The last path component of a command word ("/usr/bin/chmod" -> "chmod").
std::string_view Basename(std::string_view word);

/// words[begin, end) joined with single spaces.
std::string JoinWords(const Words& words, size_t begin, size_t end);

/// A cheap test on the raw text of a RUN, to skip splitting it into
/// commands when it cannot contain what a visitor looks for.
using TextFilter = bool (*)(std::string_view);

/// Is any text of the RUN (line, heredoc bodies, the exec words joined by
/// blanks) `relevant`?
/// Splitting into commands is the costly part of the scan, and most RUNs
/// never mention chmod, install -m or setcap.
bool Mentions(const RunCommand& run, TextFilter relevant);

/// The source range of `word` in `located`, searched from the command's first
/// token on. Falls back to the command's line when the word is not found
/// verbatim (escapes, exec form with JSON escapes). `text` is what the
/// Dockerfile was parsed from.
Range WordRange(std::string_view text, const Instruction& inst, const RunCommand& run,
                const LocatedCommand& located, std::string_view word);

/// The programs `words` runs: the command itself after wrappers (`sudo`,
/// `doas`, `env`, `busybox`, `command`, `nohup`, `nice`, `xargs`) and their
/// options, plus the commands of `find … -exec/-execdir/-ok … ;|+`.
std::vector<Words> Invocations(const Words& words);

/// A visitor of every program a RUN of the given stages runs.
using InvocationVisitor = std::function<void(const Stage&, const RunCommand&, const Instruction&,
                                             const LocatedCommand&, const Words&)>;

/// Visits every program invocation in the RUNs of `stages` whose text is
/// `relevant`, in instruction order.
void ForEachInvocation(const Dockerfile& dockerfile, const BuildModel& build,
                       const std::vector<int>& stages, TextFilter relevant,
                       const InvocationVisitor& visit);

}  // namespace imglint::dockerfile
