// SPDX-License-Identifier: Apache-2.0
/// Reads the small JSON files users keep registry credentials in (Docker's
/// config.json, containers auth.json). They are untrusted input: regular
/// files only (a FIFO or /dev/zero would block or never end), a size cap,
/// the nesting depth checked before nlohmann_json recurses, and a JSON error
/// reported by line and column only — nlohmann's message quotes the text
/// around the error, which may be a password.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace imglint {

inline constexpr std::uint64_t kMaxConfigFileBytes = 4 << 20;

enum class ConfigFileStatus { kLoaded, kMissing, kError };

/// Loads `path`. kMissing when it does not exist (not an error: most users
/// have only one of the files); kError with *err = "<label>: <reason>" when it
/// cannot be read, is too large or is not valid JSON.
ConfigFileStatus ReadConfigJson(const std::string& path, std::string_view label,
                                nlohmann::json* out, std::string* err,
                                std::uint64_t max_bytes = kMaxConfigFileBytes);

/// "line 3, column 7" for the 1-based byte offset `byte` of `text`.
std::string TextPosition(std::string_view text, std::size_t byte);

}  // namespace imglint
