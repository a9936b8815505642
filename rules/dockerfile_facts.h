// SPDX-License-Identifier: Apache-2.0
/// What the Dockerfile side of the rules needs to know about a build, computed
/// once here so IL101–IL304 agree with each other: the user the final stage
/// runs as (and which line set it), the ports it exposes, and the RUN/COPY/ADD
/// steps that set setuid/setgid bits or file capabilities. Every fact carries
/// the location of the offending token and a fingerprint key without line
/// numbers (baselines survive edits above a finding).
///
/// Scope, as BuildKit builds it: only stages the target stage needs (its
/// FROM-parents and the stages it copies from, transitively) are examined for
/// setuid/setgid/setcap and invalid ports; a stage nothing needs is never
/// built. The user and the privileged ports are those of the target stage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/port_spec.h"
#include "analyzer/text.h"
#include "analyzer/workspace.h"
#include "rules/user_resolution.h"

namespace imglint {

/// `path:line:column` of a Dockerfile range (end exclusive, as in SARIF).
Location DockerfileLocation(const DockerfileTarget& target, const dockerfile::Range& range);

/// The instruction's source with whitespace runs collapsed to one space: the
/// part of a fingerprint key that identifies "this instruction".
std::string InstructionKey(const DockerfileTarget& target, size_t instruction);

/// "\"runtime\"" for a named stage, "#2" (0-based, as `COPY --from=2`) otherwise.
std::string StageLabel(const dockerfile::Stage& stage);

/// Indices of the stages the target stage needs, the target included, sorted.
std::vector<int> NeededStages(const dockerfile::BuildModel& build);

/// Is `stage` the target stage or one of its FROM-ancestors (whose filesystem
/// the final image starts from), as opposed to a stage it only copies from?
bool InFinalChain(const dockerfile::BuildModel& build, int stage);

/// The user the final (target) stage runs as.
struct FinalUser {
  const dockerfile::Stage* stage = nullptr;              ///< the final stage
  const dockerfile::UserSetting* setting = nullptr;      ///< nullptr: no USER in its chain
  const dockerfile::Instruction* instruction = nullptr;  ///< the USER (or the final FROM)
  /// The USER value could not be expanded (a variable without value): who the
  /// container runs as is unknown, and no rule guesses.
  bool unresolved = false;
  std::string value;       ///< expanded USER value; empty without USER
  std::string raw;         ///< USER argument as written ("$APP_UID")
  bool inherited = false;  ///< the USER is in a parent stage of the final stage
  Location location;       ///< the USER argument, or the final FROM without USER
  Location final_from;     ///< the final stage's FROM instruction
};
std::optional<FinalUser> FinalStageUser(const DockerfileTarget& target);
/// Who `user` is: resolved against the /etc/passwd and /etc/group of the
/// image the Dockerfile built when one is linked (`image`), else by its
/// spelling alone (root, 0, 0:…, root:…). Without USER, the linked image's
/// configured user applies, and without an image: root.
ResolvedUser ResolveFinalUser(const FinalUser& user, const Image* image);

/// One EXPOSE word, expanded and parsed.
struct DockerfilePort {
  PortSpec spec;                     ///< parse of the expanded value (invalid: see spec.reason)
  bool unresolved = false;           ///< a variable had no value (spec is then not meaningful)
  std::vector<std::string> missing;  ///< the variables without value
  std::string raw;                   ///< the word as written ("$PORT", "80/TCP")
  std::string value;                 ///< after expansion ("8080")
  int stage = -1;                    ///< stage holding the EXPOSE instruction
  size_t instruction = 0;
  Location location;  ///< the EXPOSE word
  std::string key;    ///< fingerprint key
};
/// EXPOSE entries in effect in `stage` (inherited ones first) when
/// `inherited`, else only those written in `stage` itself.
std::vector<DockerfilePort> StagePorts(const DockerfileTarget& target, int stage, bool inherited);
/// Ports the final stage exposes, inherited ones included.
std::vector<DockerfilePort> FinalStagePorts(const DockerfileTarget& target);
/// The valid port entry with the lowest port below 1024, or nullptr.
const DockerfilePort* LowestPrivileged(const std::vector<DockerfilePort>& ports);

/// A build step that sets the setuid and/or setgid bit.
struct SpecialBitStep {
  std::uint32_t bits = 0;  ///< 04000 and/or 02000
  std::string command;     ///< "chmod u+s /usr/bin/ping", "COPY --chmod=4755 …"
  std::string mode;        ///< the mode as written ("u+s", "4755")
  int stage = -1;
  size_t instruction = 0;
  Location location;  ///< the mode word
  std::string key;    ///< fingerprint key
};
std::vector<SpecialBitStep> SpecialBitSteps(const DockerfileTarget& target);

/// `setcap CAPS FILE` in a RUN.
struct SetcapStep {
  std::string caps;               ///< as written ("cap_net_bind_service=+ep")
  std::string file;               ///< as written
  bool net_bind_service = false;  ///< grants cap_net_bind_service (named or all)
  bool root_equivalent = false;   ///< IsRootEquivalentCaps
  int stage = -1;
  size_t instruction = 0;
  Location location;  ///< the capability text
  std::string key;
};
std::vector<SetcapStep> SetcapSteps(const DockerfileTarget& target);

/// The special bits (04000 setuid, 02000 setgid) that a chmod-style `mode`
/// turns on: octal ("4755", "04755", "6755") or symbolic ("u+s", "g+s",
/// "+s", "a+s", "u=rwxs", "ug+s", "u+x,g+s"). Bits a later clause removes
/// again ("u+s,u-s") do not count; "a-s", "0755" set nothing. nullopt when
/// `mode` is not a valid mode (chmod would fail).
std::optional<std::uint32_t> SpecialBitsSetByMode(std::string_view mode);

/// Does setcap text (any case) grant something, as opposed to clearing
/// ("cap_net_raw-ep", "cap_net_raw=")?
bool SetcapGrants(std::string_view caps);

}  // namespace imglint
