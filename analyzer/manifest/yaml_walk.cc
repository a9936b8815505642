// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/yaml_walk.h"

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_set>

#include "analyzer/limit_hint.h"

namespace imglint {
namespace {

// `<<: *a` where *a itself merges *b…: real files use one or two levels.
constexpr int kMaxMergeDepth = 8;
// Past this, more issues add nothing for the user and only cost memory.
constexpr size_t kMaxIssues = 1000;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

bool IsDigits(std::string_view s, std::string_view alphabet) {
  if (s.empty()) return false;
  for (char c : s) {
    if (alphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool IsFloat(std::string_view s, bool underscores) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
  size_t i = 0;
  size_t mantissa_digits = 0;
  auto digit = [&](char c) { return (c >= '0' && c <= '9') || (underscores && c == '_'); };
  while (i < s.size() && digit(s[i])) ++i, ++mantissa_digits;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  bool exponent = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  // Without a dot or exponent it is an integer, not a float.
  return i == s.size() && (dot || exponent);
}

bool IsInt(std::string_view s, YamlSchema schema) {
  const bool yaml11 = schema == YamlSchema::kYaml11;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    return IsDigits(s.substr(2), yaml11 ? "0123456789abcdefABCDEF_" : "0123456789abcdefABCDEF");
  }
  if (!yaml11 && s.size() > 2 && s[0] == '0' && s[1] == 'o') {
    return IsDigits(s.substr(2), "01234567");
  }
  if (yaml11 && s.size() > 2 && s[0] == '0' && s[1] == 'b') return IsDigits(s.substr(2), "01_");
  return IsDigits(s, yaml11 ? "0123456789_" : "0123456789") && s[0] != '_';
}

}  // namespace

bool ParseInt64(std::string_view text, int64_t* out) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 19) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  const uint64_t max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (value > max + (negative ? 1 : 0)) return false;
  *out = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  return true;
}

ScalarKind ResolvePlainScalar(std::string_view s, YamlSchema schema) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarKind::kNull;
  static constexpr std::array<std::string_view, 6> kBool12 = {"true",  "True",  "TRUE",
                                                              "false", "False", "FALSE"};
  static constexpr std::array<std::string_view, 16> kBool11 = {
      "y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
      "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  if (std::find(kBool12.begin(), kBool12.end(), s) != kBool12.end()) return ScalarKind::kBool;
  if (schema == YamlSchema::kYaml11 &&
      std::find(kBool11.begin(), kBool11.end(), s) != kBool11.end()) {
    return ScalarKind::kBool;
  }
  if (IsInt(s, schema)) return ScalarKind::kInt;
  if (s == ".nan" || s == ".NaN" || s == ".NAN" || IsFloat(s, schema == YamlSchema::kYaml11)) {
    return ScalarKind::kFloat;
  }
  return ScalarKind::kString;
}

ScalarKind ResolveScalar(const YAML::Node& node, YamlSchema schema) {
  if (!node.IsScalar()) return ScalarKind::kNull;
  const std::string& tag = node.Tag();
  if (tag == "!") return ScalarKind::kString;  // quoted or block scalar
  if (tag.compare(0, kTagPrefix.size(), kTagPrefix) == 0) {
    const std::string_view type = std::string_view(tag).substr(kTagPrefix.size());
    if (type == "str") return ScalarKind::kString;
    if (type == "int") return ScalarKind::kInt;
    if (type == "bool") return ScalarKind::kBool;
    if (type == "float") return ScalarKind::kFloat;
    if (type == "null") return ScalarKind::kNull;
  }
  return ResolvePlainScalar(node.Scalar(), schema);
}

Pos PosOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Pos{};
  return Pos{mark.line + 1, mark.column + 1};
}

int BlockIndentOf(const YAML::Node& node) {
  if (!node.IsMap() && !node.IsSequence()) return -1;
  if (node.Style() == YAML::EmitterStyle::Flow) return -1;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? -1 : mark.column;
}

YamlWalker::YamlWalker(const Limits& limits, YamlSchema schema, bool has_aliases)
    : limits_(limits), schema_(schema), has_aliases_(has_aliases) {}

bool YamlWalker::Visit() {
  if (exhausted_) return false;
  if (++visits_ > limits_.max_node_visits) {
    exhausted_ = true;
    return false;
  }
  return true;
}

bool YamlWalker::AddElement() {
  if (exhausted_) return false;
  if (++elements_ > limits_.max_elements) {
    exhausted_ = true;
    elements_exhausted_ = true;
    return false;
  }
  return true;
}

ReadError YamlWalker::BudgetError() const {
  ReadError err;
  err.kind = ReadError::Kind::kLimit;
  err.message = std::string(has_aliases_ ? "YAML alias expansion" : "YAML document") + " exceeds " +
                (elements_exhausted_ ? std::to_string(limits_.max_elements) + " model elements" +
                                           LimitHint("max-yaml-elements")
                                     : std::to_string(limits_.max_node_visits) + " nodes" +
                                           LimitHint("max-yaml-nodes"));
  return err;
}

std::optional<YAML::Node> YamlWalker::Get(const YAML::Node& map, std::string_view key,
                                          Pos* key_pos) {
  return GetImpl(map, key, key_pos, 0);
}

std::optional<YAML::Node> YamlWalker::GetImpl(const YAML::Node& map, std::string_view key,
                                              Pos* key_pos, int merge_depth) {
  if (!map.IsMap()) return std::nullopt;
  std::optional<YAML::Node> merge;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!Visit()) return std::nullopt;
    // Copies, not references: yaml-cpp's iterator `->` returns a temporary
    // proxy, so a reference to `it->first` dangles after this statement.
    const YAML::Node k = it->first;
    if (!k.IsScalar()) continue;
    if (k.Scalar() == key) {
      if (key_pos != nullptr) *key_pos = PosOf(k);
      return it->second;
    }
    if (k.Scalar() == "<<" && k.Tag() == "?" && !merge) merge = it->second;
  }
  if (!merge || merge_depth >= kMaxMergeDepth) return std::nullopt;
  if (merge->IsMap()) return GetImpl(*merge, key, key_pos, merge_depth + 1);
  if (merge->IsSequence()) {
    // Earlier maps in a merge list take precedence over later ones.
    for (const YAML::Node& m : Items(*merge)) {
      if (auto found = GetImpl(m, key, key_pos, merge_depth + 1)) return found;
    }
  }
  return std::nullopt;
}

std::vector<std::pair<YAML::Node, YAML::Node>> YamlWalker::Entries(const YAML::Node& map) {
  std::vector<std::pair<YAML::Node, YAML::Node>> out;
  std::unordered_set<std::string> seen;
  CollectEntries(map, 0, &out, &seen);
  return out;
}

void YamlWalker::CollectEntries(const YAML::Node& map, int merge_depth,
                                std::vector<std::pair<YAML::Node, YAML::Node>>* out,
                                std::unordered_set<std::string>* seen) {
  if (!map.IsMap()) return;
  std::vector<YAML::Node> merges;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!Visit()) return;
    const YAML::Node k = it->first;  // a copy: see GetImpl
    if (k.IsScalar() && k.Scalar() == "<<" && k.Tag() == "?") {
      merges.push_back(it->second);
      continue;
    }
    if (k.IsScalar()) {
      if (!seen->insert(k.Scalar()).second) continue;
    }
    out->emplace_back(k, it->second);
  }
  if (merge_depth >= kMaxMergeDepth) return;
  for (const YAML::Node& merge : merges) {
    if (merge.IsMap()) {
      CollectEntries(merge, merge_depth + 1, out, seen);
    } else if (merge.IsSequence()) {
      for (const YAML::Node& m : Items(merge)) CollectEntries(m, merge_depth + 1, out, seen);
    }
  }
}

std::vector<std::pair<YAML::Node, YAML::Node>> YamlWalker::EntriesAsWritten(const YAML::Node& map) {
  std::vector<std::pair<YAML::Node, YAML::Node>> out;
  if (!map.IsMap()) return out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!Visit()) break;
    out.emplace_back(it->first, it->second);
  }
  return out;
}

std::vector<YAML::Node> YamlWalker::Items(const YAML::Node& seq) {
  std::vector<YAML::Node> out;
  if (!seq.IsSequence()) return out;
  for (auto it = seq.begin(); it != seq.end(); ++it) {
    if (!Visit()) break;
    out.push_back(*it);
  }
  return out;
}

std::optional<Located<std::string>> YamlWalker::GetString(const YAML::Node& map,
                                                          std::string_view key,
                                                          std::string_view what) {
  std::optional<YAML::Node> node = Get(map, key);
  if (!node || node->IsNull()) return std::nullopt;
  if (!node->IsScalar()) {
    AddIssue(PosOf(*node), std::string(what) + " is not a scalar");
    return std::nullopt;
  }
  return Located<std::string>{node->Scalar(), PosOf(*node)};
}

std::optional<Located<int64_t>> YamlWalker::GetInt(const YAML::Node& map, std::string_view key,
                                                   std::string_view what) {
  std::optional<YAML::Node> node = Get(map, key);
  if (!node || node->IsNull()) return std::nullopt;
  int64_t value = 0;
  if (!node->IsScalar() || ResolveScalar(*node, schema_) != ScalarKind::kInt ||
      !ParseInt64(node->Scalar(), &value)) {
    AddIssue(PosOf(*node),
             std::string(what) + " is not an integer" +
                 (node->IsScalar() ? ": \"" + node->Scalar().substr(0, 80) + "\"" : std::string()));
    return std::nullopt;
  }
  return Located<int64_t>{value, PosOf(*node)};
}

std::optional<Located<bool>> YamlWalker::GetBool(const YAML::Node& map, std::string_view key,
                                                 std::string_view what, bool accept_strings) {
  std::optional<YAML::Node> node = Get(map, key);
  if (!node || node->IsNull()) return std::nullopt;
  if (node->IsScalar()) {
    const std::string& s = node->Scalar();
    const ScalarKind kind = ResolveScalar(*node, schema_);
    if (kind == ScalarKind::kBool || (accept_strings && kind == ScalarKind::kString)) {
      static constexpr std::array<std::string_view, 8> kTrue = {"true", "True", "TRUE", "y",
                                                                "Y",    "yes",  "Yes",  "YES"};
      static constexpr std::array<std::string_view, 3> kOn = {"on", "On", "ON"};
      static constexpr std::array<std::string_view, 8> kFalse = {"false", "False", "FALSE", "n",
                                                                 "N",     "no",    "No",    "NO"};
      static constexpr std::array<std::string_view, 3> kOff = {"off", "Off", "OFF"};
      auto in = [&](const auto& set) { return std::find(set.begin(), set.end(), s) != set.end(); };
      if (in(kTrue) || in(kOn)) return Located<bool>{true, PosOf(*node)};
      if (in(kFalse) || in(kOff)) return Located<bool>{false, PosOf(*node)};
    }
  }
  AddIssue(PosOf(*node),
           std::string(what) + " is not a boolean" +
               (node->IsScalar() ? ": \"" + node->Scalar().substr(0, 80) + "\"" : std::string()));
  return std::nullopt;
}

std::vector<Located<std::string>> YamlWalker::GetStringList(const YAML::Node& map,
                                                            std::string_view key,
                                                            std::string_view what,
                                                            ListLayout* layout) {
  std::vector<Located<std::string>> out;
  Pos key_pos;
  std::optional<YAML::Node> node = Get(map, key, &key_pos);
  if (!node || node->IsNull()) return out;
  if (!node->IsSequence()) {
    AddIssue(PosOf(*node), std::string(what) + " is not a list");
    return out;
  }
  const std::vector<YAML::Node> items = Items(*node);
  if (layout != nullptr) {
    *layout = ListLayout{key_pos,      PosOf(*node), node->Style() == YAML::EmitterStyle::Flow,
                         items.size(), PosOf(map),   map.Style() == YAML::EmitterStyle::Flow};
  }
  for (const YAML::Node& item : items) {
    if (!item.IsScalar()) {
      AddIssue(PosOf(item), std::string(what) + " item is not a scalar");
      continue;
    }
    if (!AddElement()) break;
    out.push_back(Located<std::string>{item.Scalar(), PosOf(item)});
  }
  return out;
}

void YamlWalker::AddIssue(Pos pos, std::string message) {
  if (issues_.size() < kMaxIssues) issues_.push_back(Issue{pos, std::move(message)});
}

}  // namespace imglint
