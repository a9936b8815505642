// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/image_config.h"

#include "analyzer/image/json_limits.h"

namespace imglint {

bool ParseImageConfig(std::string_view text, std::string_view what, std::uint64_t max_bytes,
                      ImageConfig* out, std::string* err) {
  nlohmann::json doc;
  if (!ParseImageJson(text, what, max_bytes, &doc, err)) return false;
  if (!doc.is_object()) {
    *err = std::string(what) + ": not a JSON object";
    return false;
  }
  *out = ImageConfig{};
  out->os = JsonString(doc, "os");
  out->architecture = JsonString(doc, "architecture");
  out->variant = JsonString(doc, "variant");
  if (const nlohmann::json* config = JsonObject(doc, "config")) {
    out->user = JsonString(*config, "User");
    if (const nlohmann::json* ports = JsonObject(*config, "ExposedPorts")) {
      for (const auto& [key, value] : ports->items()) out->exposed_ports.push_back(key);
    }
    if (const nlohmann::json* env = JsonArray(*config, "Env")) {
      for (const auto& item : *env) {
        if (item.is_string()) out->env.push_back(item.get<std::string>());
      }
    }
    // Entrypoint/Cmd: an array of strings, or null; a string (hand-written
    // configs) is the shell form Docker would have stored as an array.
    auto strings = [&](const char* key, std::vector<std::string>* into) {
      if (const nlohmann::json* list = JsonArray(*config, key)) {
        for (const auto& item : *list) {
          if (item.is_string()) into->push_back(item.get<std::string>());
        }
      } else if (std::string text = JsonString(*config, key); !text.empty()) {
        *into = {"/bin/sh", "-c", text};
      }
    };
    strings("Entrypoint", &out->entrypoint);
    strings("Cmd", &out->cmd);
    out->working_dir = JsonString(*config, "WorkingDir");
    if (const nlohmann::json* labels = JsonObject(*config, "Labels")) {
      for (const auto& [key, value] : labels->items()) {
        if (value.is_string()) out->labels[key] = value.get<std::string>();
      }
    }
  }
  if (const nlohmann::json* history = JsonArray(doc, "history")) {
    for (const auto& item : *history) {
      if (!item.is_object()) continue;
      HistoryEntry h;
      h.created_by = JsonString(item, "created_by");
      h.comment = JsonString(item, "comment");
      auto empty = item.find("empty_layer");
      h.empty_layer = empty != item.end() && empty->is_boolean() && empty->get<bool>();
      out->history.push_back(std::move(h));
    }
  }
  return true;
}

}  // namespace imglint
