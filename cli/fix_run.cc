// SPDX-License-Identifier: Apache-2.0
#include "cli/fix_run.h"

#include <fstream>
#include <iterator>
#include <map>
#include <ostream>
#include <set>

#include "analyzer/fix/unified_diff.h"
#include "analyzer/workspace/load.h"
#include "cli/atomic_write.h"
#include "cli/fix_verify.h"
#include "cli/lint_run.h"
#include "rules/engine.h"
#include "rules/registry.h"

namespace imglint {
namespace {

std::string Where(const Finding& f) {
  std::string where = f.location.path;
  if (f.location.line > 0) where.append(":").append(std::to_string(f.location.line));
  return where;
}

struct Refusal {
  std::string where;  // "path:line: RULE"
  std::string reason;
  size_t count;
};

void AddRefusal(std::vector<Refusal>* refusals, Refusal r) {
  for (Refusal& seen : *refusals) {
    if (seen.where == r.where && seen.reason == r.reason) {
      ++seen.count;
      return;
    }
  }
  refusals->push_back(std::move(r));
}

// Does a finding left unfixed fail the run? As for `imglint`: at or above
// --fail-on ("never": none does).
bool Fails(const Finding& f, const std::string& fail_on) {
  if (fail_on == "never") return false;
  Severity threshold = Severity::kError;
  ParseSeverity(fail_on, &threshold);
  return f.severity >= threshold;
}

bool ReadWhole(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int RunFix(const CliOptions& options, const FixOptions& fix, std::ostream& out, std::ostream& err) {
  std::set<std::string> rules;
  for (const std::string& name : fix.rules) {
    const Rule* rule = FindRule(name);
    if (rule == nullptr) {
      err << "imglint: --rule: unknown rule \"" << name << "\" (see imglint rules)\n";
      return kExitError;
    }
    rules.insert(std::string(rule->Meta().id));
  }
  for (const std::string& target : options.targets) {
    if (target == "-") {
      err << "imglint: fix edits files: standard input (-) cannot be fixed\n";
      return kExitError;
    }
  }
  LoadRequest request = MakeLoadRequest(options);
  const EngineOptions engine = MakeEngineOptions(options);
  const Workspace workspace = LoadWorkspace(request);
  bool failed = false;
  for (const TargetStatus& t : workspace.targets) {
    if (!t.error) continue;
    failed = true;
    err << "imglint: " << t.path << ": " << *t.error << "\n";
  }
  const std::vector<Finding> findings = RunRules(workspace, engine);
  FixPlan plan = PlanFixes(workspace, findings, rules);
  for (const auto& [path, why] : plan.errors) {
    failed = true;
    err << "imglint: " << path << ": not fixed: " << why << "\n";
  }

  // Apply in memory, then lint the edited text through the same pipeline.
  const FixVerification check = VerifyFixes(request, engine, workspace, findings, plan);
  const std::set<std::string>& verified = check.verified;
  for (const auto& [path, why] : check.failures) {
    failed = true;
    err << "imglint: " << path << ": fix not applied, verification failed: " << why << "\n";
  }

  // Report every finding that stays: refused, or with no automatic fix.
  size_t left = 0;
  size_t without_fix = 0;
  // Findings refused for the same reason at the same place (two containers
  // sharing one anchored list, two commands on one RUN line) get one line.
  std::vector<Refusal> refusals;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const FixOutcome& outcome = plan.outcomes[i];
    switch (outcome.status) {
      case FixOutcome::Status::kNotSelected:
        break;
      case FixOutcome::Status::kPlanned:
        if (verified.count(f.location.path) == 0 && Fails(f, options.fail_on)) ++left;
        break;
      case FixOutcome::Status::kRefused:
        if (Fails(f, options.fail_on)) ++left;
        AddRefusal(&refusals, {Where(f) + ": " + f.rule_id, outcome.refusal, 1});
        break;
      case FixOutcome::Status::kNoFix:
        if (Fails(f, options.fail_on)) ++left;
        ++without_fix;
        break;
    }
  }
  for (const Refusal& r : refusals) {
    err << "imglint: " << r.where << " not fixed"
        << (r.count > 1 ? " (" + std::to_string(r.count) + " findings)" : "") << ": " << r.reason
        << "\n";
  }
  if (without_fix > 0) {
    err << "imglint: " << without_fix << " finding" << (without_fix == 1 ? "" : "s")
        << " without an automatic fix (run imglint on the same targets to see "
        << (without_fix == 1 ? "it" : "them") << ")\n";
  }

  bool changed = false;
  for (const std::string& path : verified) {
    const std::string& before = workspace.sources.at(path);
    if (!fix.write) {
      out << UnifiedDiff(path, before, plan.edits.at(path));
      changed = true;
      continue;
    }
    // The file must still be what was linted: never overwrite a newer edit.
    std::string on_disk;
    std::string error;
    if (!ReadWhole(path, &on_disk) || on_disk != before) {
      failed = true;
      err << "imglint: " << path << ": not written: the file changed while imglint ran\n";
      continue;
    }
    if (!ReplaceFileAtomically(path, check.edited.at(path), &error)) {
      failed = true;
      err << "imglint: " << path << ": not written: " << error << "\n";
      continue;
    }
    for (const FixChange& change : plan.changes) {
      if (change.path == path)
        out << "fixed " << path << ":" << change.line << ": " << change.summary << "\n";
    }
  }
  out.flush();
  if (failed) return kExitError;
  return changed || left > 0 ? kExitFindings : kExitClean;
}

}  // namespace imglint
