// SPDX-License-Identifier: Apache-2.0
/// Decides by content what a YAML file is (docs/design.md §2: targets are recognised
/// by content, not only by name), so a directory scan can lint Kubernetes
/// manifests and Compose files and quietly skip every other YAML file
/// (CI workflows, Helm values, application config).
#pragma once

#include <string_view>

#include "analyzer/manifest/yaml_types.h"

namespace imglint {

enum class YamlKind {
  kKubernetes,    // some document has top-level scalar `apiVersion` and `kind`
  kCompose,       // the top-level mapping has `services:` (a mapping or empty)
  kOther,         // valid YAML, neither of the above: not ours, skip quietly
  kHelmTemplate,  // an unrendered Helm template: error "not rendered: run helm template first"
  kInvalid,       // not valid YAML (or over a Limit) and no sign of either kind
};

/// "kubernetes" | "compose" | "other" | "helm-template" | "invalid".
std::string_view YamlKindName(YamlKind kind);

/// Classifies \a text. Invalid YAML that still shows its intent (column-0
/// `apiVersion:` + `kind:` lines, or `services:`) is classified as that kind,
/// so the reader then reports the syntax error with its line:column; other
/// invalid text yields kInvalid with the reason in \a err (when given): a
/// caller scanning a directory may skip it, one given the file explicitly
/// reports it. Never throws.
YamlKind ClassifyYaml(std::string_view text, ReadError* err = nullptr,
                      const Limits& limits = Limits());

}  // namespace imglint
