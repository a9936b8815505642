// SPDX-License-Identifier: Apache-2.0
/// imglint.1 written from the CLI11 definition itself (`imglint --help-man`,
/// run by the build), so the man page can never drift from the options.
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}  // namespace CLI

namespace imglint {

/// The whole man page in roff (man macros). Deterministic: no dates.
std::string RenderManPage(const CLI::App& app, std::string_view version);

}  // namespace imglint
