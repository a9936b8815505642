// SPDX-License-Identifier: Apache-2.0
#include "cli/lint_run.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <ostream>
#include <set>

#include "analyzer/image/image_reader.h"
#include "cli/render_report.h"
#include "cli/target_discovery.h"
#include "report/json_report.h"
#include "report/text_report.h"
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
  ImageTarget target;
  std::string error;
  if (!ReadImage(status->path, read_options, &target, &error)) {
    status->error = error;
    return;
  }
  target.path = status->path;
  workspace->images.push_back(std::move(target));
}

void ReadTarget(const CliOptions& options, TargetStatus* status, Workspace* workspace) {
  switch (status->kind) {
    case TargetKind::kImage:
      ReadImageTarget(options, status, workspace);
      return;
    case TargetKind::kDockerfile:
    case TargetKind::kKubernetes:
    case TargetKind::kCompose:
      status->error = "reading this kind of target is not implemented yet";
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
  for (const DiscoveredTarget& found :
       DiscoverTargets(options.targets, options.dockerfiles, options.config.exclude)) {
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
  for (const auto& [path, text] : workspace.sources) {
    ApplyInlineSuppressions(path, text, &report.findings);
  }
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
    std::string where = t.path;
    if (t.error_line > 0) {
      where += ":" + std::to_string(t.error_line);
      if (t.error_column > 0) where += ":" + std::to_string(t.error_column);
    }
    err << "imglint: " << where << ": " << *t.error << "\n";
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
