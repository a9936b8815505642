// SPDX-License-Identifier: Apache-2.0
/// How an error names the resource limit it hit (docs/design.md §8): every limit has
/// a name that is both the command-line flag (`--max-path-length`) and the
/// key in the `limits:` section of .imglint.yaml (cli/limit_flags.h,
/// docs/limits.md), so the message tells the user exactly what to raise.
#pragma once

#include <string>
#include <string_view>

namespace imglint {

/// " (raise the limit with --max-path-length)"
inline std::string LimitHint(std::string_view name) {
  return " (raise the limit with --" + std::string(name) + ")";
}

}  // namespace imglint
