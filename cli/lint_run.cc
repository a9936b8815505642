// SPDX-License-Identifier: Apache-2.0
#include "cli/lint_run.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>

#include "analyzer/dockerfile/parser.h"
#include "analyzer/image/image_reader.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"
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

void ReadImageTarget(const CliOptions& options, TargetStatus* status, Workspace* workspace) {
  ImageReadOptions read_options;
  read_options.platform = options.platform;
  read_options.jobs = options.jobs;
  read_options.limits = options.limits.image;
  ImageTarget target;
  std::string error;
  if (!ReadImage(status->path, read_options, &target, &error)) {
    status->error = error;
    return;
  }
  target.path = status->path;
  workspace->images.push_back(std::move(target));
}

// Text targets are read whole (they are small by nature); the cap keeps a
// hostile multi-gigabyte "Dockerfile" from exhausting memory.
constexpr std::uintmax_t kMaxTextTargetBytes = 64u << 20;

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

void ReadDockerfileTarget(const CliOptions& options, TargetStatus* status,
                          Workspace* workspace) {
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
  target.build = dockerfile::AnalyzeBuild(
      target.ast, {.target = options.target_stage, .build_args = options.build_args});
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

void ReadTarget(const CliOptions& options, TargetStatus* status, Workspace* workspace) {
  switch (status->kind) {
    case TargetKind::kImage:
      ReadImageTarget(options, status, workspace);
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
  for (const DiscoveredTarget& found : DiscoverTargets(
           options.targets, options.dockerfiles, options.config.exclude, options.limits.yaml)) {
    TargetStatus status;
    status.path = found.path;
    status.kind = found.kind;
    if (!found.error.empty()) {
      status.error = found.error;
    } else {
      ReadTarget(options, &status, &workspace);
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
