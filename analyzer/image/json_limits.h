// SPDX-License-Identifier: Apache-2.0
/// Parses untrusted image JSON (index, manifest, config, manifest.json) without
/// exceptions: the size and the nesting depth are checked before nlohmann_json
/// sees the text, because its recursive parser would otherwise overflow the
/// stack on "[[[[…" and allocate without bound.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace imglint {

inline constexpr int kMaxJsonDepth = 64;

/// Parses `text` into *out. On failure sets *err to "<what>: <reason>".
bool ParseImageJson(std::string_view text, std::string_view what, std::uint64_t max_bytes,
                    nlohmann::json* out, std::string* err);

/// Maximum nesting depth of arrays/objects in `text` (strings are skipped).
int JsonNestingDepth(std::string_view text);

/// Typed getters that never throw: they return the fallback when the key is
/// missing or has another type.
std::string JsonString(const nlohmann::json& obj, std::string_view key);
const nlohmann::json* JsonObject(const nlohmann::json& obj, std::string_view key);
const nlohmann::json* JsonArray(const nlohmann::json& obj, std::string_view key);

}  // namespace imglint
