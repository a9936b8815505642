// SPDX-License-Identifier: Apache-2.0
#include "cli/lint_run.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>

#include "analyzer/dockerfile/parser.h"
#include "analyzer/image/image_reader.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"
#include "analyzer/text.h"
#include "cli/config_file.h"
#include "cli/parallel_read.h"
#include "cli/progress.h"
#include "cli/render_report.h"
#include "cli/target_discovery.h"
#include "rules/baseline.h"
#include "rules/engine.h"
#include "rules/registry.h"
#include "rules/suppression.h"

#ifndef IMGLINT_VERSION
#define IMGLINT_VERSION "0.0.0"
#endif

namespace imglint {
namespace {

// Images were read beforehand, concurrently (ReadImageTargets).
void AddImageTarget(ImageReadResult* read, TargetStatus* status, Workspace* workspace) {
  status->source = read->target.source;
  if (!read->ok) {
    status->error = std::move(read->error);
    return;
  }
  read->target.path = status->path;
  status->source = read->target.source;
  workspace->images.push_back(std::move(read->target));
}

// Reads every image target among `found` at once within --jobs; the result
// for found[i] is at the same index (unused for other kinds).
std::vector<ImageReadResult> ReadImageTargets(const CliOptions& options,
                                              const std::vector<DiscoveredTarget>& found) {
  std::vector<std::string> paths;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i].kind == TargetKind::kImage && found[i].error.empty()) {
      paths.push_back(found[i].path);
      where.push_back(i);
    }
  }
  ImageReadOptions read_options;
  read_options.platform = options.platform;
  read_options.limits = options.limits.image;
  std::vector<ImageReadResult> results(found.size());
  if (paths.empty()) return results;
  ProgressLine progress(STDERR_FILENO);  // erased before anything else is printed
  std::vector<ImageReadResult> read =
      ReadImages(paths, read_options, options.jobs, &progress,
                 options.sources ? &options.sources->options : nullptr);
  for (std::size_t k = 0; k < read.size(); ++k) results[where[k]] = std::move(read[k]);
  return results;
}

// Text targets are read whole (they are small by nature); the cap keeps a
// hostile multi-gigabyte "Dockerfile" from exhausting memory.
constexpr std::uintmax_t kMaxTextTargetBytes = 64u << 20;

const std::vector<std::string>& KnownInstructions() {
  static const std::vector<std::string> names{
      "add",    "arg",   "cmd",         "copy",  "entrypoint", "env",
      "expose", "from",  "healthcheck", "label", "maintainer", "onbuild",
      "run",    "shell", "stopsignal",  "user",  "volume",     "workdir"};
  return names;
}

bool ReadText(TargetStatus* status, std::string* text) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(status->path, ec);
  if (!ec && size > kMaxTextTargetBytes) {
    status->error = "file is larger than 64 MiB";
    return false;
  }
  std::ifstream in(status->path, std::ios::binary);
  if (!in) {
    status->error = "cannot read the file";
    return false;
  }
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

void ReadDockerfileTarget(const CliOptions& options, TargetStatus* status, Workspace* workspace) {
  std::string text;
  if (!ReadText(status, &text)) return;
  DockerfileTarget target;
  target.path = status->path;
  dockerfile::ParseError error;
  if (!dockerfile::ParseDockerfile(text, &target.ast, &error)) {
    status->error = error.message;
    status->error_line = error.line;
    status->error_column = error.column;
    return;
  }
  // BuildKit refuses unknown instructions when it builds; so do we, with a hint.
  for (const dockerfile::Instruction& inst : target.ast.instructions) {
    if (inst.known) continue;
    auto upper = [](std::string word) {
      for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return word;
    };
    status->error = "unknown instruction: " + upper(inst.keyword);
    if (auto close = ClosestMatch(inst.keyword, KnownInstructions())) {
      *status->error += " (did you mean " + upper(*close) + "?)";
    }
    status->error_line = inst.keyword_range.start.line;
    status->error_column = inst.keyword_range.start.column;
    return;
  }
  target.build = dockerfile::AnalyzeBuild(
      target.ast, {.target = options.target_stage, .build_args = options.build_args});
  if (target.build.target < 0) {
    // No stage to lint: no FROM at all, or --target names no stage.
    status->error = target.build.diagnostics.empty() ? "no build stage"
                                                     : target.build.diagnostics.back().message;
    return;
  }
  workspace->sources[status->path] = std::move(text);
  workspace->dockerfiles.push_back(std::move(target));
}

void ReadManifestTarget(const CliOptions& options, TargetStatus* status, Workspace* workspace) {
  std::string text;
  if (!ReadText(status, &text)) return;
  ReadError error;
  bool ok = false;
  if (status->kind == TargetKind::kCompose) {
    ComposeFile file;
    ok = ReadCompose(text, status->path, &file, &error, options.limits.yaml);
    if (ok) workspace->compose.push_back(std::move(file));
  } else {
    KubeFile file;
    ok = ReadKubernetes(text, status->path, &file, &error, options.limits.yaml);
    if (ok) workspace->kubernetes.push_back(std::move(file));
  }
  if (!ok) {
    status->error = error.message;
    status->error_line = error.line;
    status->error_column = error.column;
    return;
  }
  workspace->sources[status->path] = std::move(text);
}

void ReadTarget(const CliOptions& options, ImageReadResult* image, TargetStatus* status,
                Workspace* workspace) {
  switch (status->kind) {
    case TargetKind::kImage:
      AddImageTarget(image, status, workspace);
      return;
    case TargetKind::kDockerfile:
      ReadDockerfileTarget(options, status, workspace);
      return;
    case TargetKind::kKubernetes:
    case TargetKind::kCompose:
      ReadManifestTarget(options, status, workspace);
      return;
  }
}

bool FailsThreshold(const LintReport& report, const std::string& fail_on) {
  if (fail_on == "never") return false;
  Severity threshold = Severity::kError;
  ParseSeverity(fail_on, &threshold);
  for (const Finding& f : report.findings) {
    if (f.severity >= threshold) return true;
  }
  return false;
}

}  // namespace

LintReport Lint(const CliOptions& options) {
  LintReport report;
  Workspace workspace;
  workspace.options.runtime = ParseRuntime(options.runtime).value_or(Runtime::kAuto);
  workspace.options.target_stage = options.target_stage;
  workspace.options.build_args = options.build_args;
  const std::vector<DiscoveredTarget> targets = DiscoverTargets(
      options.targets, options.dockerfiles, options.config.exclude, options.limits.yaml);
  std::vector<ImageReadResult> images = ReadImageTargets(options, targets);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const DiscoveredTarget& found = targets[i];
    TargetStatus status;
    status.path = found.path;
    status.kind = found.kind;
    if (!found.error.empty()) {
      status.error = found.error;
    } else {
      ReadTarget(options, &images[i], &status, &workspace);
    }
    report.targets.push_back(std::move(status));
  }
  EngineOptions engine;
  for (const std::string& rule : options.ignore) {
    if (const Rule* r = FindRule(rule)) engine.disabled_rules.insert(std::string(r->Meta().id));
  }
  for (const std::string& id : options.config.ignore) engine.disabled_rules.insert(id);
  engine.severity_overrides = options.config.severity;
  engine.allow = options.config.allow;
  report.findings = RunRules(workspace, engine);
  ApplyInlineSuppressions(workspace.sources, &report.findings);
  return report;
}

int RunLint(const CliOptions& options, std::ostream& out, std::ostream& err) {
  std::set<std::string> baseline;
  if (!options.baseline.empty()) {
    std::ifstream in(options.baseline, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string error;
    if (!in && text.empty()) {
      err << "imglint: " << options.baseline << ": cannot read the baseline\n";
      return kExitError;
    }
    if (!ParseBaseline(text, &baseline, &error)) {
      err << "imglint: " << options.baseline << ": " << error << "\n";
      return kExitError;
    }
  }
  LintReport report = Lint(options);
  if (!options.write_baseline.empty()) {
    std::ofstream file(options.write_baseline, std::ios::binary | std::ios::trunc);
    file << RenderBaseline(report.findings);
    file.close();
    if (!file) {
      err << "imglint: " << options.write_baseline << ": cannot write the baseline\n";
      return kExitError;
    }
  }
  FilterBaseline(baseline, &report.findings);
  bool unreadable = false;
  for (const TargetStatus& t : report.targets) {
    if (!t.error) continue;
    unreadable = true;
    if (t.error_line > 0) {
      // Compiler style, so editors and CI annotate the line: "Dockerfile:3:1: error: …".
      err << t.path << ":" << t.error_line << ":" << std::max(t.error_column, 1)
          << ": error: " << *t.error << "\n";
    } else {
      err << "imglint: " << t.path << ": " << *t.error << "\n";
    }
  }
  std::string document = RenderReport(report, options, IMGLINT_VERSION);
  if (options.output.empty()) {
    out << document;
    out.flush();
  } else {
    std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
    file << document;
    file.close();
    if (!file) {
      err << "imglint: " << options.output << ": cannot write the report\n";
      return kExitError;
    }
  }
  if (unreadable) return kExitError;
  return FailsThreshold(report, options.fail_on) ? kExitFindings : kExitClean;
}

}  // namespace imglint
