// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/json_limits.h"

#include <algorithm>

#include "analyzer/limit_hint.h"

namespace imglint {

int JsonNestingDepth(std::string_view text) {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character, including \"
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        max_depth = std::max(max_depth, ++depth);
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return max_depth;
}

bool ParseImageJson(std::string_view text, std::string_view what, std::uint64_t max_bytes,
                    nlohmann::json* out, std::string* err) {
  if (text.size() > max_bytes) {
    *err = std::string(what) + ": larger than the metadata limit of " + std::to_string(max_bytes) +
           " bytes" + LimitHint("max-metadata-bytes");
    return false;
  }
  if (JsonNestingDepth(text) > kMaxJsonDepth) {
    *err = std::string(what) + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
           " levels";
    return false;
  }
  try {
    *out = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    *err = std::string(what) + ": " + e.what();
    return false;
  }
  return true;
}

std::string JsonString(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const nlohmann::json* JsonObject(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_object()) return nullptr;
  return &*it;
}

const nlohmann::json* JsonArray(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_array()) return nullptr;
  return &*it;
}

}  // namespace imglint
