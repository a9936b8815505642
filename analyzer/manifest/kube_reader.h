// SPDX-License-Identifier: Apache-2.0
/// Reads Kubernetes manifests (multi-document YAML, `kind: List`) into the
/// KubeFile model. Objects whose kind has no pod spec (Service, ConfigMap,
/// CRDs, …) are counted but otherwise ignored; they are not errors.
#pragma once

#include <string>
#include <string_view>

#include "analyzer/manifest/kube_model.h"
#include "analyzer/manifest/yaml_types.h"

namespace imglint {

/// Parses \a text (the contents of \a path) into \a out. Returns false and
/// fills \a err when the text is not valid YAML, is an unrendered Helm
/// template, or breaks a Limit; \a out is then unspecified. Type problems
/// inside otherwise valid YAML (e.g. `runAsUser: "0"`) are not failures: they
/// land in out->issues and the field stays unset. Never throws.
bool ReadKubernetes(std::string_view text, const std::string& path, KubeFile* out, ReadError* err,
                    const Limits& limits = Limits());

}  // namespace imglint
