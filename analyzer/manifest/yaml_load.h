// SPDX-License-Identifier: Apache-2.0
/// The only place yaml-cpp parses text. It applies the Limits that must hold
/// before parsing (size, nesting depth, document count), recognises unrendered
/// Helm templates, and turns every yaml-cpp exception into a ReadError with a
/// 1-based line:column, so nothing throws out of the manifest module.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>
#include <vector>

#include "analyzer/manifest/yaml_scan.h"
#include "analyzer/manifest/yaml_types.h"

namespace imglint {

/// The message every reader uses for an unrendered Helm template.
inline constexpr std::string_view kHelmTemplateMessage = "not rendered: run helm template first";

/// Loads all documents of a multi-document YAML stream. On failure returns
/// false and fills \a err. \a scan receives the text pre-scan (aliases, …).
/// A template action `{{ … }}` outside comments is reported as kHelmTemplate
/// when it looks like Helm or when the text is not valid YAML; Go-template
/// text inside valid YAML strings (Prometheus alert annotations) is allowed.
bool LoadYamlDocuments(std::string_view text, const Limits& limits, std::vector<YAML::Node>* docs,
                       YamlScan* scan, ReadError* err);

}  // namespace imglint
