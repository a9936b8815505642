// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/classify.h"

#include <vector>

#include "analyzer/manifest/yaml_load.h"
#include "analyzer/manifest/yaml_walk.h"

namespace imglint {
namespace {

bool HasTopLevelKey(std::string_view text, std::string_view key) {
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    if (line.substr(0, key.size()) == key && line.size() > key.size() && line[key.size()] == ':') {
      return true;
    }
    pos = eol + 1;
  }
  return false;
}

// For text yaml-cpp rejected: what did the author mean it to be?
YamlKind GuessFromText(std::string_view text) {
  if (HasTopLevelKey(text, "apiVersion") && HasTopLevelKey(text, "kind")) {
    return YamlKind::kKubernetes;
  }
  if (HasTopLevelKey(text, "services")) return YamlKind::kCompose;
  return YamlKind::kInvalid;
}

bool IsScalarValue(YamlWalker& w, const YAML::Node& map, std::string_view key) {
  std::optional<YAML::Node> v = w.Get(map, key);
  return v && v->IsScalar() && !v->Scalar().empty();
}

}  // namespace

std::string_view YamlKindName(YamlKind kind) {
  switch (kind) {
    case YamlKind::kKubernetes:
      return "kubernetes";
    case YamlKind::kCompose:
      return "compose";
    case YamlKind::kOther:
      return "other";
    case YamlKind::kHelmTemplate:
      return "helm-template";
    case YamlKind::kInvalid:
      return "invalid";
  }
  return "other";
}

YamlKind ClassifyYaml(std::string_view text, ReadError* err, const Limits& limits) {
  ReadError local;
  ReadError* e = err != nullptr ? err : &local;
  std::vector<YAML::Node> docs;
  YamlScan scan;
  if (!LoadYamlDocuments(text, limits, &docs, &scan, e)) {
    if (e->kind == ReadError::Kind::kHelmTemplate) return YamlKind::kHelmTemplate;
    return GuessFromText(text);
  }
  YamlWalker walker(limits, YamlSchema::kYaml11, scan.has_aliases);
  bool compose = false;
  bool first = true;
  for (const YAML::Node& doc : docs) {
    if (!doc.IsMap() || walker.exhausted()) continue;
    if (IsScalarValue(walker, doc, "apiVersion") && IsScalarValue(walker, doc, "kind")) {
      return YamlKind::kKubernetes;
    }
    if (first) {
      std::optional<YAML::Node> services = walker.Get(doc, "services");
      compose = services && (services->IsMap() || services->IsNull());
    }
    first = false;
  }
  if (walker.exhausted()) {
    *e = walker.BudgetError();
    return YamlKind::kInvalid;
  }
  return compose ? YamlKind::kCompose : YamlKind::kOther;
}

}  // namespace imglint
