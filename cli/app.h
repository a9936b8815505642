// SPDX-License-Identifier: Apache-2.0
/// The command line (CLI11): `imglint [options] TARGET...` plus the `rules`
/// and `explain` subcommands.
#pragma once

namespace imglint {

/// Parses argv and runs; returns the process exit code (docs/design.md §5).
int Main(int argc, char** argv);

}  // namespace imglint
