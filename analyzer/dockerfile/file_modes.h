// SPDX-License-Identifier: Apache-2.0
/// File modes as build steps write them: which special bits (setuid 04000,
/// setgid 02000) a chmod-style mode turns on, and where the mode is in a
/// `chmod` or `install` command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/dockerfile/run_commands.h"

namespace imglint::dockerfile {

/// The special bits (04000 setuid, 02000 setgid) that a chmod-style `mode`
/// turns on: octal ("4755", "04755", "6755") or symbolic ("u+s", "g+s",
/// "+s", "a+s", "u=rwxs", "ug+s", "u+x,g+s"). Bits a later clause removes
/// again ("u+s,u-s") do not count; "a-s", "0755" set nothing. nullopt when
/// `mode` is not a valid mode (chmod would fail).
std::optional<std::uint32_t> SpecialBitsSetByMode(std::string_view mode);

/// The mode a `chmod` or `install` invocation applies.
struct ModeUse {
  size_t mode_word = 0;  // index of the word carrying the mode
  std::string mode;      // the mode itself
  std::string paths;     // files it applies to, as written
  // Only directories are named (`install -d`, `dir/`): a setgid directory
  // just passes its group on, and setuid means nothing on a directory.
  bool directories_only = false;
};

/// `chmod [OPTION]... MODE FILE...`; GNU chmod takes "-s", "-w" … as modes.
std::optional<ModeUse> ChmodMode(const Words& cmd);
/// `install [-m MODE | -mMODE | --mode=MODE | -Dm MODE] … DEST`.
std::optional<ModeUse> InstallMode(const Words& cmd);
/// The mode of a `chmod`, `install` or `ginstall` invocation, if any.
std::optional<ModeUse> ModeOf(const Words& invocation);

/// Can this RUN text set a special bit through a mode? It runs chmod, or
/// install with a mode option (`-m`, `-Dm`, `--mode`: "install" alone is in
/// every apt-get line), and somewhere holds a mode that could set one: a
/// clause adding `s` (`+s`, `u=rwxs`) or an octal number with 04000 or 02000
/// (`4755`, `02775`), quotes and backslashes disregarded (`"4"755`, `u\+s`).
/// A cheap filter that never says no to a step SpecialBitsSetByMode finds:
/// most chmods are `+x` or `755`, and splitting their RUNs into commands was
/// an eighth of the time a lint of thousands of Dockerfiles took.
bool MaySetSpecialBit(std::string_view text);

}  // namespace imglint::dockerfile
