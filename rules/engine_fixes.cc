// SPDX-License-Identifier: Apache-2.0
// PlanFixes (rules/engine.h): the engine's half of `imglint fix`, kept apart
// from running the rules. Each distinct change the rules ask for is made once
// (analyzer/dockerfile/run_fix.h, analyzer/manifest/manifest_fix.h); the plan
// then decides per finding whether all of its changes can be made.
#include <algorithm>
#include <set>
#include <tuple>

#include "analyzer/dockerfile/run_fix.h"
#include "analyzer/manifest/manifest_fix.h"
#include "rules/engine.h"
#include "rules/registry.h"
#include "rules/rule.h"

namespace imglint {
namespace {

// Which workload of its file an intent is for: the object's index in
// KubeFile::workloads, or the service's in ComposeFile::services.
size_t TargetOf(const Workspace& workspace, const FixIntent& intent) {
  switch (intent.kind) {
    case FixIntent::Kind::kPodSysctl: {
      const PodFacts& pod = workspace.pods[intent.index];
      return static_cast<size_t>(pod.workload - pod.file->workloads.data());
    }
    case FixIntent::Kind::kDropContainerCapability: {
      const ContainerFacts& c = workspace.containers[intent.index];
      return static_cast<size_t>(c.workload - c.file->workloads.data());
    }
    case FixIntent::Kind::kServiceSysctl:
    case FixIntent::Kind::kDropServiceCapability: {
      const ServiceFacts& s = workspace.services[intent.index];
      return static_cast<size_t>(s.service - s.file->services.data());
    }
    case FixIntent::Kind::kRemoveSetcap:
    case FixIntent::Kind::kDropSpecialBits:
      return 0;  // a Dockerfile is one build
  }
  return 0;
}

// The file an intent edits.
std::string PathOf(const Workspace& workspace, const FixIntent& intent) {
  switch (intent.kind) {
    case FixIntent::Kind::kPodSysctl:
      return workspace.pods[intent.index].file->path;
    case FixIntent::Kind::kDropContainerCapability:
      return workspace.containers[intent.index].file->path;
    case FixIntent::Kind::kServiceSysctl:
    case FixIntent::Kind::kDropServiceCapability:
      return workspace.services[intent.index].file->path;
    case FixIntent::Kind::kRemoveSetcap:
    case FixIntent::Kind::kDropSpecialBits:
      return workspace.dockerfiles[intent.index].path;
  }
  return "";
}

TextFix Make(const Workspace& workspace, const FixIntent& intent) {
  const std::string path = PathOf(workspace, intent);
  const auto source = workspace.sources.find(path);
  if (source == workspace.sources.end()) return TextFix{{}, "its text was not kept", ""};
  const std::string& text = source->second;
  switch (intent.kind) {
    case FixIntent::Kind::kPodSysctl:
      return KubernetesPortSysctlFix(text, path, *workspace.pods[intent.index].workload);
    case FixIntent::Kind::kDropContainerCapability:
      return KubernetesDropCapabilityFix(text, path, *workspace.containers[intent.index].container,
                                         intent.capability);
    case FixIntent::Kind::kServiceSysctl:
      return ComposePortSysctlFix(text, path, *workspace.services[intent.index].service,
                                  workspace.services[intent.index].sysctl.HostNetworkRejecter());
    case FixIntent::Kind::kDropServiceCapability:
      return ComposeDropCapabilityFix(text, path, *workspace.services[intent.index].service,
                                      intent.capability);
    case FixIntent::Kind::kRemoveSetcap:
    case FixIntent::Kind::kDropSpecialBits: {
      const DockerfileTarget& target = workspace.dockerfiles[intent.index];
      return dockerfile::RunStepFix(
          text, path, target.ast, target.build, {intent.line, intent.column},
          intent.kind == FixIntent::Kind::kRemoveSetcap ? dockerfile::RunStepKind::kSetcap
                                                        : dockerfile::RunStepKind::kSpecialBits);
    }
  }
  return {};
}

// Two cuts in one RUN command list are refused
// (dockerfile::RefuseOverlappingRunSteps): hands it the RUN-step fixes.
void RefuseOverlappingCuts(std::map<FixIntent, TextFix>* made) {
  std::vector<TextFix*> run_steps;
  for (auto& [intent, fix] : *made) {
    if (intent.kind == FixIntent::Kind::kRemoveSetcap ||
        intent.kind == FixIntent::Kind::kDropSpecialBits) {
      run_steps.push_back(&fix);
    }
  }
  dockerfile::RefuseOverlappingRunSteps(run_steps);
}

// One chmod edit clears the setuid and the setgid bit alike (`6755` ->
// `0755`), so under `--rule` it must not be made when it would also fix a
// finding of a rule that was left out.
void RefuseChmodsOfUnselectedRules(const std::vector<Finding>& findings,
                                   const std::vector<FixRequest>& requests,
                                   const std::set<std::string>& rules,
                                   std::map<FixIntent, TextFix>* made) {
  if (rules.empty()) return;
  for (size_t k = 0; k < findings.size(); ++k) {
    if (rules.count(findings[k].rule_id) > 0 || !requests[k].refusal.empty()) continue;
    for (const FixIntent& intent : requests[k].intents) {
      const auto it = made->find(intent);
      if (intent.kind != FixIntent::Kind::kDropSpecialBits || it == made->end() ||
          it->second.refused()) {
        continue;
      }
      it->second.edits.clear();
      it->second.refusal = "the chmod also sets the bit " + findings[k].rule_id +
                           " reports, which --rule leaves out: select both rules or edit it "
                           "yourself";
    }
  }
}

}  // namespace

FixPlan PlanFixes(const Workspace& workspace, const std::vector<Finding>& findings,
                  const std::set<std::string>& rules) {
  FixPlan plan;
  std::vector<FixRequest> requests(findings.size());
  std::map<FixIntent, TextFix> made;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Rule* rule = FindRule(findings[i].rule_id);
    if (rule == nullptr) continue;
    requests[i] = rule->PlanFix(workspace, findings[i]);
    if (!rules.empty() && rules.count(findings[i].rule_id) == 0) continue;
    if (!requests[i].refusal.empty() || requests[i].only_with_others) continue;
    for (const FixIntent& intent : requests[i].intents) {
      if (made.count(intent) == 0) made.emplace(intent, Make(workspace, intent));
    }
  }
  RefuseOverlappingCuts(&made);
  RefuseChmodsOfUnselectedRules(findings, requests, rules, &made);
  // A finding is fixed when all its changes can be made.
  std::set<FixIntent> applied;
  plan.outcomes.resize(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    FixOutcome& outcome = plan.outcomes[i];
    const FixRequest& request = requests[i];
    if (!rules.empty() && rules.count(findings[i].rule_id) == 0) {
      outcome.status = FixOutcome::Status::kNotSelected;
      continue;
    }
    if (!request.refusal.empty()) {
      outcome = {FixOutcome::Status::kRefused, request.refusal};
      continue;
    }
    if (request.intents.empty() || request.only_with_others) continue;  // kNoFix, for now
    outcome.status = FixOutcome::Status::kPlanned;
    for (const FixIntent& intent : request.intents) {
      const TextFix& fix = made.at(intent);
      if (fix.refused()) outcome = {FixOutcome::Status::kRefused, fix.refusal};
    }
    if (outcome.status == FixOutcome::Status::kPlanned) {
      applied.insert(request.intents.begin(), request.intents.end());
    }
  }
  for (const FixIntent& intent : applied) {
    const TextFix& fix = made.at(intent);
    if (fix.edits.empty()) continue;
    const std::string path = PathOf(workspace, intent);
    plan.targets[path].insert(TargetOf(workspace, intent));
    std::vector<TextEdit>& edits = plan.edits[path];
    edits.insert(edits.end(), fix.edits.begin(), fix.edits.end());
    plan.changes.push_back({path, fix.edits.front().start_line, fix.summary});
  }
  for (auto it = plan.edits.begin(); it != plan.edits.end();) {
    std::string error;
    if (!NormalizeEdits(&it->second, &error)) {
      plan.errors[it->first] = error;
      it = plan.edits.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(plan.changes.begin(), plan.changes.end(), [](const FixChange& a, const FixChange& b) {
    return std::tie(a.path, a.line, a.summary) < std::tie(b.path, b.line, b.summary);
  });
  plan.changes.erase(std::unique(plan.changes.begin(), plan.changes.end(),
                                 [](const FixChange& a, const FixChange& b) {
                                   return a.path == b.path && a.line == b.line &&
                                          a.summary == b.summary;
                                 }),
                     plan.changes.end());
  // Every finding, of any rule, whose changes are all made goes away.
  for (size_t i = 0; i < findings.size(); ++i) {
    const FixRequest& request = requests[i];
    if (request.intents.empty() || !request.refusal.empty()) continue;
    const bool all =
        std::all_of(request.intents.begin(), request.intents.end(),
                    [&](const FixIntent& intent) { return applied.count(intent) > 0; });
    if (!all) continue;
    plan.covered.insert(findings[i].fingerprint);
    if (request.only_with_others && plan.outcomes[i].status == FixOutcome::Status::kNoFix) {
      plan.outcomes[i].status = FixOutcome::Status::kPlanned;
    }
  }
  // Each fixed finding's own edits, for SARIF `fixes`.
  plan.finding_fixes.resize(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    if (plan.outcomes[i].status != FixOutcome::Status::kPlanned) continue;
    FindingFix& own = plan.finding_fixes[i];
    for (const FixIntent& intent : requests[i].intents) {
      const ManifestFix& fix = made.at(intent);
      own.edits.insert(own.edits.end(), fix.edits.begin(), fix.edits.end());
      if (fix.edits.empty() || fix.summary.empty()) continue;
      if (!own.summary.empty()) own.summary.append("; ");
      own.summary.append(fix.summary);
    }
    std::string ignored;  // a subset of edits normalized per file already
    if (!NormalizeEdits(&own.edits, &ignored)) own.edits.clear();
  }
  return plan;
}

}  // namespace imglint
