// SPDX-License-Identifier: Apache-2.0
#include "cli/render_report.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "report/checkstyle_report.h"
#include "report/gitlab_report.h"
#include "report/json_report.h"
#include "report/sarif_report.h"
#include "report/text_report.h"

namespace imglint {
namespace {

// Excerpts are a nicety: a file this large is not a Dockerfile or manifest a
// person reads, and reading it again would only cost time.
constexpr off_t kMaxSourceBytes = 16 << 20;

/// Reads Dockerfiles and YAML for the text excerpts; never an image target,
/// standard input or anything that is not a regular file.
SourceReader MakeSourceReader(const LintReport& report) {
  return [&report](const std::string& path) -> std::optional<std::string> {
    if (path == "-") return std::nullopt;
    for (const TargetStatus& t : report.targets) {
      if (t.path == path && t.kind == TargetKind::kImage) return std::nullopt;
    }
    struct stat info;
    if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
        info.st_size > kMaxSourceBytes) {
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
}

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

bool UseColor(ColorMode mode, bool to_file) {
  if (mode == ColorMode::kAlways) return true;
  if (mode == ColorMode::kNever || to_file) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

std::string RenderReport(const LintReport& report, const CliOptions& options,
                         const std::string& tool_version) {
  switch (options.format) {
    case OutputFormat::kJson:
      return RenderJson(report, tool_version);
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
  text.read_source = MakeSourceReader(report);
  return RenderText(report, text);
}

}  // namespace imglint
