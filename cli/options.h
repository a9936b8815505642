// SPDX-License-Identifier: Apache-2.0
/// The parsed command line: what to read, how to judge, how to report.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/runtime.h"
#include "cli/config_file.h"
#include "cli/limit_flags.h"
#include "cli/source_flags.h"

namespace imglint {

enum class OutputFormat { kText, kJson, kSarif, kGitlab, kCheckstyle };
enum class ColorMode { kAuto, kAlways, kNever };

struct CliOptions {
  std::vector<std::string> targets;
  std::vector<std::string> dockerfiles;  // --dockerfile
  OutputFormat format = OutputFormat::kText;
  std::string output;             // --output; empty = stdout
  std::string fail_on = "error";  // error | warning | note | never
  std::string platform;
  std::string runtime = "auto";
  std::string target_stage;  // --target
  std::string stdin_name;    // --stdin-name: the report's name for "-"
  std::map<std::string, std::string> build_args;
  int jobs = 0;
  ColorMode color = ColorMode::kAuto;
  std::vector<std::string> ignore;   // --ignore RULE
  std::string sarif_root;            // --sarif-root; empty = current directory
  std::string sarif_category;        // --sarif-category
  std::string baseline;              // --baseline FILE
  std::string write_baseline;        // --write-baseline FILE
  ConfigFile config;                 // .imglint.yaml, already validated
  LimitFlags limit_flags;            // --max-* as given
  LintLimits limits;                 // defaults < config `limits:` < --max-*
  std::string resolve_base = "off";  // --resolve-base[=config|full] / `resolve-base:`
  SourceFlags source_flags;          // registries, daemons, cache (as given)
  /// Resolved from source_flags before the run (credentials, cache).
  std::shared_ptr<SourceSettings> sources;
};

}  // namespace imglint
