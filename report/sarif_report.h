// SPDX-License-Identifier: Apache-2.0
/// SARIF 2.1.0 for GitHub code scanning (issue 5): rule descriptors generated
/// from RuleMeta, one physical location with a region on every result (GitHub
/// drops a file with a location-less result), repository-relative URIs, and
/// unreadable targets as tool execution notifications.
#pragma once

#include <string>

#include "report/report.h"

namespace imglint {

struct SarifOptions {
  std::string tool_version;  // "0.1.0"
  /// Absolute directory URIs are made relative to (--sarif-root).
  std::string root;
  /// Absolute directory relative finding paths were given from.
  std::string working_dir;
  /// --sarif-category: becomes runAutomationDetails.id ("category/").
  std::string category;
};

/// Base of the per-rule pages (docs/rules/<ID>.md) used as helpUri.
inline constexpr char kRuleDocBaseUrl[] =
    "https://github.com/imglint/imglint/blob/main/docs/rules/";
inline constexpr char kInformationUri[] = "https://github.com/imglint/imglint";

/// One complete, valid UTF-8 document ending with a newline.
std::string RenderSarif(const LintReport& report, const SarifOptions& options);

}  // namespace imglint
