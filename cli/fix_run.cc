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
#include "cli/lint_run.h"
#include "rules/engine.h"
#include "rules/fix_planner.h"
#include "rules/registry.h"

namespace imglint {
namespace {

std::string Where(const Finding& f) {
  std::string where = f.location.path;
  if (f.location.line > 0) where.append(":").append(std::to_string(f.location.line));
  return where;
}

// "IL303 (path:line: message)".
std::string Describe(const Finding& f) {
  std::string text = f.rule_id;
  text.append(" (").append(Where(f)).append(": ").append(f.message).append(")");
  return text;
}

// The fingerprints of `findings` in `path`.
std::multiset<std::string> FingerprintsIn(const std::vector<Finding>& findings,
                                          const std::string& path) {
  std::multiset<std::string> out;
  for (const Finding& f : findings) {
    if (f.location.path == path) out.insert(f.fingerprint);
  }
  return out;
}

// Why the edited text of `path` does not lint as planned, or "".
std::string Verify(const std::string& path, const std::vector<Finding>& before,
                   const std::vector<Finding>& after, const Workspace& edited,
                   const std::set<std::string>& covered) {
  for (const TargetStatus& t : edited.targets) {
    if (t.path == path && t.error)
      return std::string("the edited file does not read: ").append(*t.error);
  }
  std::multiset<std::string> expected;
  for (const std::string& fp : FingerprintsIn(before, path)) {
    if (covered.count(fp) == 0) expected.insert(fp);
  }
  const std::multiset<std::string> got = FingerprintsIn(after, path);
  if (got == expected) return "";
  for (const Finding& f : after) {
    if (f.location.path != path) continue;
    if (covered.count(f.fingerprint) > 0) return Describe(f) + " is still reported after the edit";
    if (expected.count(f.fingerprint) == 0)
      return std::string("the edit would add ").append(Describe(f));
  }
  for (const Finding& f : before) {
    if (f.location.path == path && covered.count(f.fingerprint) == 0 &&
        got.count(f.fingerprint) == 0) {
      return std::string("the edit would also remove ").append(Describe(f));
    }
  }
  return "the findings after the edit differ from the plan";
}

// What an edit may change in a workload: its sysctls and added capabilities
// (and, through them, nothing else the rules read).
std::string Shape(const PodSpec& pod) {
  std::string out = pod.path + "|";
  for (const Sysctl& s : pod.sc.sysctls) out.append(s.name).append("=").append(s.value).append(";");
  for (const Container& c : pod.containers) {
    out.append(c.name.value).append(":");
    for (const auto& cap : c.sc.cap_add) out.append(cap.value).append(",");
  }
  return out;
}
std::string Shape(const Service& service) {
  std::string out = service.name.value + "|";
  for (const Sysctl& s : service.sysctls)
    out.append(s.name).append("=").append(s.value).append(";");
  for (const auto& cap : service.cap_add) out.append(cap.value).append(",");
  return out;
}

// The workloads of `path` that are no target must read as before: an edit
// that reached one (through an anchor, say) is wrong even when no finding
// shows it.
template <typename File, typename Items, typename Name>
std::string OthersUnchanged(const std::vector<File>& before, const std::vector<File>& after,
                            const std::string& path, const std::set<size_t>& targets, Items items,
                            Name name) {
  for (const File& b : before) {
    if (b.path != path) continue;
    for (const File& a : after) {
      if (a.path != path) continue;
      const auto& old_items = items(b);
      const auto& new_items = items(a);
      if (old_items.size() != new_items.size()) return "the edit changed how many workloads it has";
      for (size_t i = 0; i < old_items.size(); ++i) {
        if (targets.count(i) == 0 && Shape(name(old_items[i])) != Shape(name(new_items[i]))) {
          return "the edit also changed a workload it was not for (item " + std::to_string(i + 1) +
                 " of the file)";
        }
      }
    }
  }
  return "";
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
  std::map<std::string, std::string> edited;
  for (const auto& [path, edits] : plan.edits) {
    edited[path] = ApplyEdits(workspace.sources.at(path), edits);
  }
  std::set<std::string> verified;
  if (!edited.empty()) {
    request.text_overrides = edited;
    const Workspace after = LoadWorkspace(request);
    const std::vector<Finding> relinted = RunRules(after, engine);
    for (const auto& [path, text] : edited) {
      std::string why = Verify(path, findings, relinted, after, plan.covered);
      const std::set<size_t>& targets = plan.targets[path];
      if (why.empty()) {
        why = OthersUnchanged(
            workspace.kubernetes, after.kubernetes, path, targets,
            [](const KubeFile& f) -> const std::vector<Workload>& { return f.workloads; },
            [](const Workload& w) -> const PodSpec& { return w.pod; });
      }
      if (why.empty()) {
        why = OthersUnchanged(
            workspace.compose, after.compose, path, targets,
            [](const ComposeFile& f) -> const std::vector<Service>& { return f.services; },
            [](const Service& s) -> const Service& { return s; });
      }
      if (why.empty()) {
        verified.insert(path);
      } else {
        failed = true;
        err << "imglint: " << path << ": fix not applied, verification failed: " << why << "\n";
      }
    }
  }

  // Report every finding that stays: refused, or with no automatic fix.
  size_t left = 0;
  size_t without_fix = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const FixOutcome& outcome = plan.outcomes[i];
    switch (outcome.status) {
      case FixOutcome::Status::kNotSelected:
        break;
      case FixOutcome::Status::kPlanned:
        if (verified.count(f.location.path) == 0) ++left;
        break;
      case FixOutcome::Status::kRefused:
        ++left;
        err << "imglint: " << Where(f) << ": " << f.rule_id << " not fixed: " << outcome.refusal
            << "\n";
        break;
      case FixOutcome::Status::kNoFix:
        ++left;
        ++without_fix;
        break;
    }
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
    if (!ReplaceFileAtomically(path, edited.at(path), &error)) {
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
