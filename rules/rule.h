// SPDX-License-Identifier: Apache-2.0
/// The rule interface (docs/design.md §3). A rule is one file in rules/: its
/// metadata (the single source for `imglint explain`, docs/rules/*.md and
/// SARIF rule descriptors) followed by its judgement over the facts the
/// analysis computed (analyzer/workspace/workspace.h) for every kind of input
/// it understands. Rules decide and word findings; they never read files,
/// parse, or recompute a fact another rule needs too.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/finding.h"
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

/// One change a finding's fix needs (docs/design.md §4, "Fixes"). Findings
/// that need the same change (two containers of one pod missing the sysctl)
/// get it once.
struct FixIntent {
  enum class Kind : std::uint8_t {
    kPodSysctl,                ///< the sysctl set to "0" in Workspace::pods[index]
    kServiceSysctl,            ///< the sysctl set to 0 in Workspace::services[index]
    kDropContainerCapability,  ///< `capability` removed from Workspace::containers[index]
    kDropServiceCapability,    ///< `capability` removed from Workspace::services[index]
    /// The setcap whose capability text is at (line, column) of
    /// Workspace::dockerfiles[index] taken out of its RUN.
    kRemoveSetcap,
    /// The setuid/setgid bits of the chmod whose mode is at (line, column)
    /// of Workspace::dockerfiles[index] undone.
    kDropSpecialBits,
  };
  Kind kind = Kind::kPodSysctl;
  size_t index = 0;
  std::string capability;  ///< "NET_BIND_SERVICE" for the kDrop kinds
  int line = 0;            ///< the Dockerfile kinds: the flagged word
  int column = 0;

  auto operator<=>(const FixIntent&) const = default;
};

/// What `imglint fix` can do about one finding: every intent made, or none;
/// or why it must not be fixed automatically. Both empty: no automatic fix.
struct FixRequest {
  std::vector<FixIntent> intents;
  std::string refusal;
  /// The intents make the finding go away, but the rule does not ask for
  /// them: it is fixed only when another finding's fix makes them (IL301 goes
  /// with the sysctl IL303 adds).
  bool only_with_others = false;
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
