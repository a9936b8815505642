// SPDX-License-Identifier: Apache-2.0
#include "cli/lint_run.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <string>

#include "analyzer/source/image_source.h"
#include "analyzer/workspace/load.h"
#include "cli/progress.h"
#include "cli/render_report.h"
#include "cli/report_fixes.h"
#include "report/baseline.h"
#include "rules/engine.h"
#include "rules/registry.h"

#ifndef IMGLINT_VERSION
#define IMGLINT_VERSION "0.0.0"
#endif

namespace imglint {
namespace {

// The progress line on stderr while image targets are read.
class ProgressObserver final : public LoadObserver {
 public:
  bool WantsProgress() const override { return line_.enabled(); }
  void Begin(const std::string& target) override { line_.Begin(target); }
  void Layers(const std::string& target, std::size_t done, std::size_t total) override {
    line_.Layers(target, done, total);
  }
  void End(const std::string& target) override { line_.End(target); }

 private:
  ProgressLine line_{STDERR_FILENO};  // erased before anything else is printed
};

}  // namespace

LoadRequest MakeLoadRequest(const CliOptions& options) {
  LoadRequest request;
  request.targets = options.targets;
  request.dockerfiles = options.dockerfiles;
  request.exclude = options.config.exclude;
  request.options.runtime = ParseRuntime(options.runtime).value_or(Runtime::kAuto);
  request.options.target_stage = options.target_stage;
  request.options.build_args = options.build_args;
  request.image.platform = options.platform;
  request.image.limits = options.limits.image;
  request.yaml_limits = options.limits.yaml;
  request.jobs = options.jobs;
  request.stdin_name = options.stdin_name;
  if (options.sources) {
    // Registries and daemons as well as paths: the image source decides.
    request.read_image = [sources = options.sources](const std::string& target,
                                                     const ImageReadOptions& read, ImageTarget* out,
                                                     std::string* err) {
      return ReadImageTarget(target, sources->options, read, out, err);
    };
  }
  return request;
}

EngineOptions MakeEngineOptions(const CliOptions& options) {
  EngineOptions engine;
  for (const std::string& rule : options.ignore) {
    if (const Rule* r = FindRule(rule)) engine.disabled_rules.insert(std::string(r->Meta().id));
  }
  for (const std::string& id : options.config.ignore) engine.disabled_rules.insert(id);
  engine.severity_overrides = options.config.severity;
  engine.allow = options.config.allow;
  engine.jobs = options.jobs;
  return engine;
}

namespace {

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
  LoadRequest request = MakeLoadRequest(options);
  // Only the SARIF fixes plan edits over the syntax trees.
  request.keep_dockerfile_syntax = options.format == OutputFormat::kSarif;
  BaseResolution resolution = BaseResolution::kOff;
  std::string ignored;
  ParseBaseResolution(options.resolve_base, &resolution, &ignored);  // validated by the CLI
  std::unique_ptr<BaseImageResolver> resolver;
  if (resolution != BaseResolution::kOff && options.sources) {
    ImageReadOptions read = request.image;
    read.jobs = options.jobs;
    resolver = std::make_unique<BaseImageResolver>(options.sources->options, read, resolution);
    request.resolve_base = resolver.get();
  }
  Workspace workspace;
  {
    ProgressObserver progress;
    request.observer = &progress;
    workspace = LoadWorkspace(request);
  }
  const EngineOptions engine = MakeEngineOptions(options);
  LintReport report;
  for (const DockerfileTarget& target : workspace.dockerfiles) {
    if (!target.base_error.empty()) {
      report.warnings.push_back(target.path + ": --resolve-base: " + target.base_error);
    }
  }
  report.findings = RunRules(workspace, engine);
  if (options.format == OutputFormat::kSarif) {
    report.fixes = VerifiedReportFixes(request, engine, workspace, report.findings);
  }
  report.targets = std::move(workspace.targets);
  report.sources = std::move(workspace.sources);
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
  // Composed first and written once: std::cerr is unbuffered, and a run over
  // thousands of files made a system call per piece of every message.
  std::string messages;
  for (const std::string& warning : report.warnings) {
    messages += "imglint: warning: " + warning + "\n";
  }
  bool unreadable = false;
  for (const TargetStatus& t : report.targets) {
    if (!t.error) continue;
    unreadable = true;
    if (t.error_line > 0) {
      // Compiler style, so editors and CI annotate the line: "Dockerfile:3:1: error: …".
      messages += t.path + ":" + std::to_string(t.error_line) + ":" +
                  std::to_string(std::max(t.error_column, 1)) + ": error: " + *t.error + "\n";
    } else {
      messages += "imglint: " + t.path + ": " + *t.error + "\n";
    }
  }
  err << messages;
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
