// SPDX-License-Identifier: Apache-2.0
/// The changes `imglint fix` can make, named by what they change in the
/// Workspace (docs/design.md §4, "Fixes"): a rule says per finding which of
/// them fix it (Rule::PlanFix, with the builders in fix_request_dockerfile.h
/// and fix_request_sysctl.h), and the engine makes each distinct one once as
/// text edits (analyzer/dockerfile/run_fix.h, analyzer/manifest/manifest_fix.h).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace imglint {

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

}  // namespace imglint
