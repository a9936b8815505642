// SPDX-License-Identifier: Apache-2.0
#include "report/baseline.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

namespace imglint {

using nlohmann::json;

std::string RenderBaseline(const std::vector<Finding>& findings) {
  // Keyed by what a reviewer scans (path, rule) and made unique by fingerprint.
  std::map<std::tuple<std::string, std::string, std::string>, const Finding*> sorted;
  for (const Finding& f : findings)
    sorted.emplace(std::tuple(f.location.path, f.rule_id, f.fingerprint), &f);
  json entries = json::array();
  for (const auto& [key, f] : sorted) {
    json entry = {
        {"fingerprint", f->fingerprint}, {"rule", f->rule_id}, {"path", f->location.path}};
    if (!f->location.image_path.empty()) entry["image_path"] = f->location.image_path;
    entry["message"] = f->message;
    entries.push_back(std::move(entry));
  }
  json doc = {{"version", 1}, {"tool", "imglint"}, {"findings", std::move(entries)}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

bool ParseBaseline(const std::string& text, std::set<std::string>* fingerprints, std::string* err) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    *err = "not a JSON baseline document";
    return false;
  }
  if (!doc.contains("version") || doc["version"] != 1) {
    *err = "unsupported baseline version (expected 1)";
    return false;
  }
  const json& entries = doc["findings"];
  if (!entries.is_array()) {
    *err = "\"findings\" must be an array";
    return false;
  }
  for (const json& entry : entries) {
    if (!entry.is_object() || !entry.contains("fingerprint") || !entry["fingerprint"].is_string()) {
      *err = "every finding needs a \"fingerprint\" string";
      return false;
    }
    fingerprints->insert(entry["fingerprint"].get<std::string>());
  }
  return true;
}

size_t FilterBaseline(const std::set<std::string>& baseline, std::vector<Finding>* findings) {
  return std::erase_if(*findings,
                       [&](const Finding& f) { return baseline.count(f.fingerprint) > 0; });
}

}  // namespace imglint
