// SPDX-License-Identifier: Apache-2.0
#include "cli/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "analyzer/manifest/yaml_load.h"
#include "analyzer/manifest/yaml_walk.h"
#include "analyzer/runtime.h"
#include "analyzer/source/base_image.h"
#include "analyzer/text.h"
#include "cli/limit_flags.h"
#include "rules/registry.h"

namespace imglint {
namespace fs = std::filesystem;
namespace {

// Config files are small; anything bigger is a mistake or an attack.
constexpr size_t kMaxConfigBytes = 1 << 20;
// Values read, with aliases expanded: `allow: {IL201: *patterns, ...}` must
// not turn a 1 MiB file into millions of regular expressions.
constexpr size_t kMaxConfigNodes = 100'000;
// Real configuration files nest three levels deep.
constexpr int kMaxConfigDepth = 32;

std::string At(const std::string& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Limits WalkLimits() {
  Limits limits;
  limits.max_node_visits = kMaxConfigNodes;
  return limits;
}

// Reads the configuration through the shared YamlWalker: its visit budget
// bounds alias bombs, as for manifests.
class Parser {
 public:
  Parser(const std::string& path, bool has_aliases, ConfigFile* out, std::string* err)
      : path_(path),
        walker_(WalkLimits(), YamlSchema::kYaml12, has_aliases),
        out_(out),
        err_(err) {}

  bool Fail(const YAML::Node& node, const std::string& reason) {
    *err_ = At(path_, node) + ": " + reason;
    return false;
  }

  bool OverBudget(const YAML::Node& node) {
    return Fail(node, "the configuration has more than " + std::to_string(kMaxConfigNodes) +
                          " values (with aliases expanded)");
  }

  // Counts one value against the walker's budget.
  bool Visit(const YAML::Node& node) { return walker_.Visit() || OverBudget(node); }

  // The entries of mapping `map`, as written; false once the budget ran out.
  bool Entries(const YAML::Node& map, std::vector<std::pair<YAML::Node, YAML::Node>>* entries) {
    *entries = walker_.EntriesAsWritten(map);
    return !walker_.exhausted() || OverBudget(map);
  }

  bool Scalar(const YAML::Node& node, const std::string& key, std::string* value) {
    if (!Visit(node)) return false;
    if (!node.IsScalar()) return Fail(node, "\"" + key + "\" must be a string");
    *value = node.Scalar();
    return true;
  }

  bool StringList(const YAML::Node& node, const std::string& key,
                  std::vector<std::pair<std::string, YAML::Node>>* values) {
    if (!Visit(node)) return false;
    if (node.IsScalar()) {
      values->push_back({node.Scalar(), node});
      return true;
    }
    if (!node.IsSequence()) return Fail(node, "\"" + key + "\" must be a list of strings");
    const std::vector<YAML::Node> items = walker_.Items(node);
    if (walker_.exhausted()) return OverBudget(node);
    for (const YAML::Node& item : items) {
      if (!item.IsScalar()) return Fail(item, "\"" + key + "\" must be a list of strings");
      values->push_back({item.Scalar(), item});
    }
    return true;
  }

  bool RuleId(const YAML::Node& node, const std::string& name, std::string* id) {
    const Rule* rule = FindRule(name);
    if (!rule) {
      std::vector<std::string> names;
      for (const auto& r : AllRules()) {
        names.emplace_back(r->Meta().id);
        names.emplace_back(r->Meta().name);
      }
      std::string reason = "unknown rule \"" + name + "\"";
      if (auto close = ClosestMatch(name, names)) reason += " (did you mean \"" + *close + "\"?)";
      return Fail(node, reason);
    }
    *id = std::string(rule->Meta().id);
    return true;
  }

  bool Pattern(const YAML::Node& node, const std::string& text,
               std::vector<std::shared_ptr<const PathPattern>>* out) {
    std::string error;
    auto pattern = PathPattern::Compile(text, &error);
    if (!pattern) return Fail(node, error);
    out->push_back(std::move(pattern));
    return true;
  }

  bool Key(const std::string& key, const YAML::Node& value) {
    if (key == "fail-on") {
      std::string v;
      if (!Scalar(value, key, &v)) return false;
      if (v != "error" && v != "warning" && v != "note" && v != "never") {
        return Fail(value, "fail-on \"" + v + "\" is not error, warning, note or never");
      }
      out_->fail_on = v;
    } else if (key == "runtime") {
      std::string v;
      if (!Scalar(value, key, &v)) return false;
      if (!ParseRuntime(v)) {
        return Fail(value, "unknown runtime \"" + v + "\" (one of " + RuntimeNames() + ")");
      }
      out_->runtime = v;
    } else if (key == "resolve-base") {
      std::string v;
      if (!Scalar(value, key, &v)) return false;
      BaseResolution mode;
      std::string why;
      if (!ParseBaseResolution(v, &mode, &why)) return Fail(value, why);
      out_->resolve_base = mode == BaseResolution::kOff    ? "off"
                           : mode == BaseResolution::kFull ? "full"
                                                           : "config";
    } else if (key == "ignore") {
      std::vector<std::pair<std::string, YAML::Node>> names;
      if (!StringList(value, key, &names)) return false;
      for (auto& [name, node] : names) {
        std::string id;
        if (!RuleId(node, name, &id)) return false;
        out_->ignore.push_back(id);
      }
    } else if (key == "severity") {
      if (!value.IsMap()) return Fail(value, "\"severity\" must map rule IDs to severities");
      std::vector<std::pair<YAML::Node, YAML::Node>> entries;
      if (!Entries(value, &entries)) return false;
      for (const auto& item : entries) {
        std::string name, id, level;
        if (!Scalar(item.first, "severity", &name) || !RuleId(item.first, name, &id) ||
            !Scalar(item.second, "severity." + name, &level)) {
          return false;
        }
        Severity severity;
        if (!ParseSeverity(level, &severity)) {
          return Fail(item.second, "severity \"" + level + "\" is not error, warning or note");
        }
        out_->severity[id] = severity;
      }
    } else if (key == "allow") {
      if (!value.IsMap()) return Fail(value, "\"allow\" must map rule IDs to path patterns");
      std::vector<std::pair<YAML::Node, YAML::Node>> entries;
      if (!Entries(value, &entries)) return false;
      for (const auto& item : entries) {
        std::string id, name;
        if (!Scalar(item.first, "allow", &name) || !RuleId(item.first, name, &id)) return false;
        std::vector<std::pair<std::string, YAML::Node>> patterns;
        if (!StringList(item.second, "allow." + name, &patterns)) return false;
        for (auto& [text, node] : patterns) {
          if (!Pattern(node, text, &out_->allow[id])) return false;
        }
      }
    } else if (key == "limits") {
      if (!value.IsMap()) return Fail(value, "\"limits\" must map limit names to numbers");
      std::vector<std::pair<YAML::Node, YAML::Node>> entries;
      if (!Entries(value, &entries)) return false;
      for (const auto& item : entries) {
        std::string name, text;
        if (!Scalar(item.first, "limits", &name)) return false;
        const auto& table = LimitTable();
        auto info = std::find_if(table.begin(), table.end(),
                                 [&](const LimitInfo& l) { return l.name == name; });
        if (info == table.end()) {
          std::vector<std::string> names;
          for (const LimitInfo& l : table) names.emplace_back(l.name);
          std::string reason = "unknown limit \"" + name + "\"";
          if (auto close = ClosestMatch(name, names))
            reason += " (did you mean \"" + *close + "\"?)";
          return Fail(item.first, reason + "; see docs/limits.md");
        }
        if (!Scalar(item.second, "limits." + name, &text)) return false;
        std::uint64_t number = 0;
        std::string error;
        if (!ParseLimitValue(text, *info, &number, &error)) {
          return Fail(item.second, "limits." + name + ": " + error);
        }
        out_->limits[name] = number;
      }
    } else if (key == "exclude") {
      std::vector<std::pair<std::string, YAML::Node>> patterns;
      if (!StringList(value, key, &patterns)) return false;
      for (auto& [text, node] : patterns) {
        if (!Pattern(node, text, &out_->exclude)) return false;
      }
    } else {
      std::string reason = "unknown key \"" + key + "\"";
      if (auto close = ClosestMatch(key, ConfigKeys())) {
        reason += " (did you mean \"" + *close + "\"?)";
      }
      return Fail(value, reason);
    }
    out_->origin[key] = At(path_, value);
    return true;
  }

 private:
  const std::string& path_;
  YamlWalker walker_;
  ConfigFile* out_;
  std::string* err_;
};

}  // namespace

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> keys{"fail-on",  "runtime", "resolve-base", "ignore",
                                             "severity", "allow",   "exclude",      "limits"};
  return keys;
}

std::optional<fs::path> FindConfigUpwards(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  while (!ec) {
    for (const char* name : {".imglint.yaml", ".imglint.yml"}) {
      std::error_code missing;  // "not found" is the normal case, not an error
      if (fs::is_regular_file(dir / name, missing)) return dir / name;
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

bool ParseConfig(const std::string& text, const std::string& path, ConfigFile* out,
                 std::string* err) {
  out->path = path;
  // The bounded loader: size, nesting depth and document count are checked
  // before yaml-cpp parses, as for manifests (docs/design.md §8).
  Limits limits;
  limits.max_input_bytes = kMaxConfigBytes;
  limits.max_depth = kMaxConfigDepth;
  limits.max_documents = 1;
  std::vector<YAML::Node> docs;
  YamlScan scan;
  ReadError load_error;
  if (!LoadYamlDocuments(text, limits, &docs, &scan, &load_error)) {
    std::string message = load_error.message;
    if (load_error.kind == ReadError::Kind::kLimit) {
      // The --max-yaml-* flags are for manifests; these bounds are fixed.
      message = message.substr(0, message.find(" (raise the limit with"));
      message = "the configuration file exceeds a fixed limit: " + message;
    } else if (load_error.kind == ReadError::Kind::kHelmTemplate) {
      message = "invalid YAML: template actions ({{ }}) are not allowed here";
    }
    *err = path;
    if (load_error.line > 0) {
      *err += ":" + std::to_string(load_error.line) + ":" + std::to_string(load_error.column);
    }
    *err += ": " + message;
    return false;
  }
  if (docs.empty() || docs.front().IsNull()) return true;  // empty: a valid, empty config
  const YAML::Node& root = docs.front();
  if (!root.IsMap()) {
    *err = At(path, root) + ": the configuration must be a mapping of keys to values";
    return false;
  }
  Parser parser(path, scan.has_aliases, out, err);
  try {
    std::vector<std::pair<YAML::Node, YAML::Node>> entries;
    if (!parser.Entries(root, &entries)) return false;
    for (const auto& item : entries) {
      if (!item.first.IsScalar()) return parser.Fail(item.first, "keys must be strings");
      if (!parser.Key(item.first.Scalar(), item.second)) return false;
    }
  } catch (const YAML::Exception& e) {
    *err = path + ": " + e.msg;
    return false;
  }
  return true;
}

bool LoadConfig(const std::string& path, ConfigFile* out, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = path + ": cannot read the configuration file";
    return false;
  }
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) {
    *err = path + ": configuration file is larger than 1 MiB";
    return false;
  }
  return ParseConfig(text, path, out, err);
}

}  // namespace imglint
