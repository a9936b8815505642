// SPDX-License-Identifier: Apache-2.0
/// What the rules need to know about a build, computed once per Dockerfile
/// (AnalyzeDockerfile) so IL101–IL304 agree with each other and nothing is
/// recomputed per rule: the stages the target needs and its FROM chain, the
/// user the final stage runs as (and which line set it), the ports it
/// exposes, and the RUN/COPY/ADD steps that set setuid/setgid bits or file
/// capabilities. Every fact carries the location of the offending token, and
/// steps carry a key without line numbers (baselines survive edits above a
/// finding).
///
/// Scope, as BuildKit builds it: only stages the target stage needs (its
/// FROM-parents and the stages it copies from, transitively) are examined for
/// setuid/setgid/setcap and invalid ports; a stage nothing needs is never
/// built. The user and the privileged ports are those of the target stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/dockerfile/ast.h"
#include "analyzer/dockerfile/build_model.h"
#include "analyzer/finding.h"
#include "analyzer/port_spec.h"

namespace imglint::dockerfile {

/// `path:line:column` of a Dockerfile range (end exclusive, as in SARIF).
Location DockerfileLocation(const std::string& path, const Range& range);

/// The instruction's source with whitespace runs collapsed to one space: the
/// part of a fingerprint key that identifies "this instruction". `text` is
/// what `dockerfile` was parsed from.
std::string InstructionKey(std::string_view text, const Dockerfile& dockerfile, size_t instruction);

/// "\"runtime\"" for a named stage, "#2" (0-based, as `COPY --from=2`) otherwise.
std::string StageLabel(const Stage& stage);

/// Indices of the stages the target stage needs, the target included, sorted.
std::vector<int> NeededStages(const BuildModel& build);

/// The target stage and its FROM-ancestors (whose filesystem the final image
/// starts from), the base-most first and the target last.
std::vector<int> FinalChain(const BuildModel& build);

/// The user the final (target) stage runs as.
struct FinalUser {
  std::string stage_name;  ///< the final stage's `AS` name; "" when unnamed
  std::string base;        ///< its FROM image, expanded when it could be
  bool has_user = false;   ///< a USER in the final stage or one of its parents
  /// The USER value could not be expanded (a variable without value): who the
  /// container runs as is unknown, and no rule guesses.
  bool unresolved = false;
  std::string value;       ///< expanded USER value; empty without USER
  std::string raw;         ///< USER argument as written ("$APP_UID")
  bool inherited = false;  ///< the USER is in a parent stage of the final stage
  Location location;       ///< the USER argument, or the final FROM without USER
  Location final_from;     ///< the final stage's FROM instruction
  /// The image the final stage's FROM chain starts from ("golang:1.26" for
  /// `FROM golang:1.26 AS base` … `FROM base`), expanded when it could be.
  std::string external_base;
  bool external_base_resolved = false;  ///< no variable left without value
  Location external_from;               ///< the FROM naming external_base
};

/// One EXPOSE word, expanded and parsed.
struct PortFact {
  PortSpec spec;                     ///< parse of the expanded value (invalid: see spec.reason)
  bool unresolved = false;           ///< a variable had no value (spec is then not meaningful)
  std::vector<std::string> missing;  ///< the variables without value
  std::string raw;                   ///< the word as written ("$PORT", "80/TCP")
  std::string value;                 ///< after expansion ("8080")
  int stage = -1;                    ///< stage holding the EXPOSE instruction
  size_t instruction = 0;
  Location location;  ///< the EXPOSE word (the FROM for a base image's port)
  /// Set when the port is not written in the Dockerfile but exposed by the
  /// base image's config (--resolve-base): that image's reference.
  std::string base_image;

  /// "EXPOSE 8080", or "port 80/tcp of the base image nginx:1.27".
  std::string Describe() const;

  /// The port, or nullptr while a variable has no value.
  const PortSpec* Resolved() const { return unresolved ? nullptr : &spec; }
};

/// A build step that sets the setuid and/or setgid bit.
struct SpecialBitStep {
  std::uint32_t bits = 0;  ///< 04000 and/or 02000
  std::string command;     ///< "chmod u+s /usr/bin/ping", "COPY --chmod=4755 …"
  std::string mode;        ///< the mode as written ("u+s", "4755")
  int stage = -1;
  std::string stage_label;      ///< StageLabel of `stage`
  bool in_final_chain = false;  ///< `stage` is in FinalChain (else only copied from)
  size_t instruction = 0;
  Location location;  ///< the mode word
  std::string key;    ///< "run:<command words>" / "copy:<instruction>": no line numbers
};

/// `setcap CAPS FILE` in a RUN.
struct SetcapStep {
  std::string caps;               ///< as written ("cap_net_bind_service=+ep")
  std::string file;               ///< as written
  bool net_bind_service = false;  ///< grants cap_net_bind_service (named or all)
  bool root_equivalent = false;   ///< grants a root-equivalent capability
  int stage = -1;
  std::string stage_label;      ///< StageLabel of `stage`
  bool in_final_chain = false;  ///< `stage` is in FinalChain (else only copied from)
  size_t instruction = 0;
  Location location;  ///< the capability text
  std::string key;    ///< "setcap:<caps> <file>": no line numbers
};

/// Everything the rules read about one Dockerfile.
struct Facts {
  std::vector<int> needed_stages;  ///< NeededStages
  std::vector<int> final_chain;    ///< FinalChain
  /// Who the final stage runs as; nullopt when there is no target stage.
  std::optional<FinalUser> final_user;
  std::vector<PortFact> final_ports;    ///< EXPOSE in effect in the target stage
  std::vector<PortFact> written_ports;  ///< EXPOSE written in the needed stages
  std::vector<SpecialBitStep> special_bit_steps;
  std::vector<SetcapStep> setcap_steps;
  /// The final chain runs commands or copies into /etc: users may be added
  /// there, so the base image's /etc/passwd alone cannot say a name is absent.
  bool may_add_users = false;

  /// The final port with the lowest privileged port, or nullptr.
  const PortFact* LowestPrivilegedPort() const;
  /// Does a needed stage setcap cap_net_bind_service?
  bool SetcapsNetBindService() const;
};

/// The facts of the Dockerfile at `path` (for locations), parsed from `text`.
Facts AnalyzeDockerfile(const std::string& path, std::string_view text,
                        const Dockerfile& dockerfile, const BuildModel& build);

}  // namespace imglint::dockerfile
