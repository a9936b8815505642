// SPDX-License-Identifier: Apache-2.0
#include "rules/engine.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <set>
#include <tuple>
#include <utility>

#include "analyzer/parallel.h"
#include "analyzer/sha256.h"
#include "analyzer/text.h"
#include "analyzer/workspace/build_link.h"
#include "rules/registry.h"
#include "rules/suppression.h"

namespace imglint {

std::string ComputeFingerprint(const Finding& finding) {
  // Fields are joined with NUL so "a"+"bc" and "ab"+"c" differ.
  const std::string key = finding.subject.Key();
  std::string input = finding.rule_id;
  for (const std::string* part :
       {&finding.location.path, &finding.location.platform, &finding.location.image_path, &key}) {
    input.push_back('\0');
    input += *part;
  }
  const std::array<std::uint8_t, 32> digest = Sha256Bytes(input);
  return HexEncode(digest.data(), 16);
}

void SortFindings(std::vector<Finding>* findings) {
  auto key = [](const Finding& f) {
    const Location& l = f.location;
    return std::tie(l.path, l.line, l.column, l.platform, l.image_path, f.rule_id, f.message);
  };
  // Indexes are sorted and each finding moved once: a Finding is several
  // strings, and sorting them in place moved each many times.
  std::vector<size_t> order(findings->size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return key((*findings)[a]) < key((*findings)[b]); });
  std::vector<Finding> sorted;
  sorted.reserve(order.size());
  for (const size_t i : order) sorted.push_back(std::move((*findings)[i]));
  *findings = std::move(sorted);
}

bool IsAllowed(const EngineOptions& options, const Finding& finding) {
  if (finding.location.image_path.empty()) return false;
  auto it = options.allow.find(finding.rule_id);
  if (it == options.allow.end()) return false;
  for (const auto& pattern : it->second) {
    if (pattern->Matches(finding.location.image_path)) return true;
  }
  return false;
}

namespace {

// (path, platform) of every Windows image and Dockerfile on a Windows base:
// Linux-only rules say nothing about them (IL002 notes it once).
std::set<std::pair<std::string, std::string>> WindowsTargets(const Workspace& workspace) {
  std::set<std::pair<std::string, std::string>> out;
  for (const ImageFacts& image : workspace.image_facts) {
    if (image.image->config.IsWindows()) {
      out.emplace(image.location.path, image.location.platform);
    }
  }
  for (const DockerfileTarget& target : workspace.dockerfiles) {
    if (target.windows) out.emplace(target.path, "");
  }
  return out;
}

}  // namespace

std::vector<Finding> RunRules(const Workspace& workspace, const EngineOptions& options) {
  const auto windows = WindowsTargets(workspace);
  const auto rules = AllRules();
  // The rules keep no state and read the workspace only, so they run at once
  // within --jobs, each into its own slot; the slots are joined in rule order.
  std::vector<std::vector<Finding>> found(rules.size());
  ParallelFor(rules.size(), options.jobs, [&](size_t i) {
    const RuleMeta& meta = rules[i]->Meta();
    if (options.disabled_rules.count(std::string(meta.id))) return;
    std::vector<Finding>& out = found[i];
    Emitter emit(meta, &out);
    rules[i]->Check(workspace, emit);
    auto override_it = options.severity_overrides.find(std::string(meta.id));
    std::erase_if(out, [&](const Finding& f) {
      return IsAllowed(options, f) ||
             (meta.linux_only && windows.count({f.location.path, f.location.platform}));
    });
    if (override_it != options.severity_overrides.end()) {
      for (Finding& f : out) f.severity = override_it->second;
    }
  });
  std::vector<Finding> findings;
  size_t total = 0;
  for (const auto& slot : found) total += slot.size();
  findings.reserve(total);
  for (auto& slot : found) std::move(slot.begin(), slot.end(), std::back_inserter(findings));
  // Fingerprinted over all findings, not per rule: one rule (IL101 over
  // thousands of Dockerfiles) has most of them and kept one thread busy alone.
  ParallelFor(findings.size(), options.jobs,
              [&](size_t i) { findings[i].fingerprint = ComputeFingerprint(findings[i]); });
  // Image findings also point at the Dockerfile line behind them (docs/design.md §4).
  AttachDockerfileLocations(workspace, &findings);
  SortFindings(&findings);
  // The same fact reached twice (e.g. two hard links to one file listed from
  // two rules' shared helper) is reported once.
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.fingerprint == b.fingerprint &&
                                      a.location.line == b.location.line && a.message == b.message;
                             }),
                 findings.end());
  ApplyInlineSuppressions(workspace.sources, workspace.pragma_sources, &findings);
  return findings;
}

}  // namespace imglint
