// SPDX-License-Identifier: Apache-2.0
/// The rule interface (docs/design.md §3). A rule is one file in rules/: its
/// metadata (the single source for `imglint explain`, docs/rules/*.md and
/// SARIF rule descriptors) followed by its judgement over the facts the
/// analysis computed (analyzer/workspace/workspace.h) for every kind of input
/// it understands. Rules decide and word findings; they never read files,
/// parse, or recompute a fact another rule needs too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/workspace/fix_request.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

/// Static description of a rule. All prose is Markdown.
struct RuleMeta {
  std::string_view id;                 // "IL201" — public, never renumbered
  std::string_view name;               // "setuid-file" — accepted wherever an ID is
  std::string_view title;              // one line, no final period
  Severity severity;                   // default
  std::string_view rationale;          // "Why is this bad?"
  std::string_view remediation;        // "How to fix", with the sysctl snippet where it applies
  std::string_view bad_example;        // a Dockerfile (or YAML) that fires
  std::string_view good_example;       // the fixed version
  std::string_view references;         // Markdown list of links
  std::string_view cwe;                // "CWE-250"
  std::string_view precision;          // SARIF precision: very-high | high | medium | low
  std::string_view security_severity;  // SARIF/GitHub "security-severity", e.g. "7.5"
  /// About Linux users, file modes, capabilities or the Linux port sysctl:
  /// not run on Windows images and Dockerfiles (IL002 says so instead).
  bool linux_only = false;
  /// What `imglint fix` changes for this rule's findings, in Markdown; empty
  /// when it has no automatic fix. Shown by `imglint explain` and the docs.
  std::string_view fix;
  /// `fix` only says what to change (IL101: imglint does not pick a user).
  bool fix_advises_only = false;
};

/// Collects findings for one rule, stamping its ID and default severity.
class Emitter {
 public:
  Emitter(const RuleMeta& meta, std::vector<Finding>* out) : meta_(meta), out_(out) {}
  /// Adds a finding at the rule's default severity and returns it for tweaks
  /// (related locations, a higher severity). `subject` says what it is about:
  /// the engine fingerprints it and correlates image findings by it.
  Finding& Report(std::string message, std::string recommendation, Location location,
                  Subject subject);

 private:
  const RuleMeta& meta_;
  std::vector<Finding>* out_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleMeta& Meta() const = 0;
  /// Appends findings about `workspace`. Never prints, throws or keeps state.
  virtual void Check(const Workspace& workspace, Emitter& emit) const = 0;
  /// The fix for one of this rule's findings on `workspace` (rules whose
  /// metadata names a `fix` override it).
  virtual FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const {
    (void)workspace;
    (void)finding;
    return {};
  }
};

}  // namespace imglint
