// SPDX-License-Identifier: Apache-2.0
#include "cli/render_report.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "report/checkstyle_report.h"
#include "report/gitlab_report.h"
#include "report/json_report.h"
#include "report/sarif_report.h"
#include "report/text_report.h"

namespace imglint {
namespace {

std::string AbsoluteDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path path =
      dir.empty() ? std::filesystem::current_path(ec) : std::filesystem::path(dir);
  // Resolving symlinks makes the root match the working directory, which
  // getcwd() reports resolved.
  std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
  if (ec) resolved = std::filesystem::absolute(path, ec);
  return resolved.lexically_normal().string();
}

}  // namespace

ColorEnvironment ColorEnvironment::Current() {
  ColorEnvironment env;
  env.stdout_is_terminal = isatty(STDOUT_FILENO) == 1;
  if (const char* no_color = std::getenv("NO_COLOR")) env.no_color = no_color;
  if (const char* term = std::getenv("TERM")) env.term = term;
  return env;
}

bool UseColor(ColorMode mode, bool to_file, const ColorEnvironment& env) {
  if (mode == ColorMode::kAlways) return true;
  if (mode == ColorMode::kNever || to_file) return false;
  if (!env.no_color.empty()) return false;
  if (env.term == "dumb") return false;
  return env.stdout_is_terminal;
}

std::string RenderReport(const LintReport& report, const CliOptions& options,
                         const std::string& tool_version) {
  switch (options.format) {
    case OutputFormat::kJson:
      return RenderJson(report, tool_version, options.jobs);
    case OutputFormat::kSarif: {
      SarifOptions sarif;
      sarif.tool_version = tool_version;
      sarif.working_dir = AbsoluteDirectory("");
      sarif.root =
          options.sarif_root.empty() ? sarif.working_dir : AbsoluteDirectory(options.sarif_root);
      sarif.category = options.sarif_category;
      return RenderSarif(report, sarif);
    }
    case OutputFormat::kGitlab:
      return RenderGitlab(report);
    case OutputFormat::kCheckstyle:
      return RenderCheckstyle(report);
    case OutputFormat::kText:
      break;
  }
  TextOptions text;
  text.color = UseColor(options.color, !options.output.empty());
  return RenderText(report, text);
}

}  // namespace imglint
