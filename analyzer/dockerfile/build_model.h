// SPDX-License-Identifier: Apache-2.0
/// Build semantics of a parsed Dockerfile: what each stage *is* once ARG and
/// ENV are applied the way BuildKit applies them. Rules ask questions such as
/// "which user does the final stage run as, and which line set it?" or "which
/// ports does it expose?" without re-implementing Dockerfile scoping.
///
/// Scoping, as in BuildKit:
///  * ARGs before the first FROM are *global*: usable in FROM lines only,
///    and visible inside a stage only after `ARG NAME` redeclares them there
///    (taking the global value unless redeclared with `ARG NAME=value`).
///  * `BuildOptions::build_args` (--build-arg) override the default of a
///    *declared* ARG; an undeclared build arg has no effect.
///  * ENV wins over an ARG of the same name; one ENV/ARG instruction expands
///    all its values against the scope *before* it.
///  * `FROM <earlier stage>` inherits that stage's USER, EXPOSE, ENV and
///    SHELL (ARGs are not inherited).
/// Nothing is guessed: a variable with no value and no applicable default is
/// listed in ExpandedValue::unresolved.
///
/// Work is bounded for hostile input: variable substitution may produce at
/// most 64 MiB in total (beyond that an expansion fails with ok=false), and
/// stage inheritance may copy at most ~256K ENV/EXPOSE entries (beyond that
/// BuildModel::truncated is set).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/ast.h"

namespace imglint::dockerfile {

struct BuildOptions {
  std::string target;                             ///< --target; empty: the last stage
  std::map<std::string, std::string> build_args;  ///< --build-arg NAME=VALUE
};

/// A value from the Dockerfile after variable expansion.
struct ExpandedValue {
  std::string raw;    ///< as written (quotes and `$VAR` kept)
  std::string value;  ///< expanded, quotes removed
  /// Variables that were needed but have no value: `value` is then not what
  /// the build would see. Empty when fully resolved.
  std::vector<std::string> unresolved;
  bool ok = true;  ///< false on an expansion syntax error (`${`), see `error`
  std::string error;
  Range range;
  bool resolved() const { return ok && unresolved.empty(); }
};

/// The USER in effect, and where it was set (possibly in a parent stage).
struct UserSetting {
  ExpandedValue user;      ///< "app", "1000:1000", "$UID" …
  int stage = -1;          ///< stage holding the USER instruction
  size_t instruction = 0;  ///< index into Dockerfile::instructions
};

/// One port word of an EXPOSE instruction ("80", "8080/udp", "8000-8010").
struct ExposeEntry {
  ExpandedValue port;
  int stage = -1;
  size_t instruction = 0;
};

struct EnvEntry {
  ExpandedValue value;
  int stage = -1;
  size_t instruction = 0;
};

/// A RUN step. `command`, `heredocs` and `flags` are views of the RUN
/// instruction in the Dockerfile the model was built from (a RUN script can
/// be long, and copying every one showed in profiles): valid while that
/// Dockerfile lives, as DockerfileTarget keeps the two together.
struct RunCommand {
  size_t instruction = 0;
  bool exec_form = false;
  std::vector<std::string> exec_args;  ///< exec form: the JSON array
  std::string_view command;            ///< shell form: the command text (not expanded)
  size_t command_offset = 0;           ///< offset of `command` in Instruction::original
  std::span<const Heredoc> heredocs;   ///< bodies, with their first line
  std::vector<std::string> shell;      ///< SHELL in effect (default /bin/sh -c)
  std::span<const Flag> flags;         ///< --mount, --network, --security …
  Range range;
};

struct CopyCommand {
  size_t instruction = 0;
  bool add = false;                    ///< ADD rather than COPY
  std::vector<ExpandedValue> sources;  ///< heredoc sources stay as "<<EOF"
  ExpandedValue destination;
  std::optional<ExpandedValue> chmod;
  std::optional<ExpandedValue> chown;
  std::optional<ExpandedValue> from;
  int from_stage = -1;  ///< stage named by --from, or -1 (image or none)
  bool link = false;
  std::span<const Heredoc> heredocs;  ///< a view, as RunCommand's
  Range range;
};

struct Stage {
  int index = 0;
  std::string name;  ///< lower-cased `AS` name; empty when unnamed
  size_t from_instruction = 0;
  Range range;          ///< the FROM instruction
  ExpandedValue base;   ///< image reference or stage name (expanded with global ARGs)
  int base_stage = -1;  ///< earlier stage named by FROM, or -1 for an image
  std::optional<ExpandedValue> platform;
  /// USER in effect at the end of the stage; nullopt when no USER appears in
  /// this stage or its parent stages (the base image's user applies).
  std::optional<UserSetting> user;
  std::vector<ExposeEntry> expose;      ///< inherited entries first
  std::map<std::string, EnvEntry> env;  ///< ENV in effect at the end
  std::vector<std::string> shell;       ///< SHELL in effect at the end
  std::vector<RunCommand> runs;         ///< this stage's RUNs only
  std::vector<CopyCommand> copies;      ///< this stage's COPY/ADD only
  std::vector<size_t> instructions;     ///< indices of this stage's instructions (FROM incl.)
};

/// A semantic problem that does not stop the analysis (unknown --target,
/// instruction before FROM, expansion syntax error, …).
struct BuildDiagnostic {
  Range range;
  std::string message;
};

struct BuildModel {
  std::vector<Stage> stages;
  int target = -1;  ///< index of the target stage; -1 when there is none
  /// Global ARGs (before the first FROM) as declared, after --build-arg.
  /// An ARG without default nor build arg has ok=true, value "" and itself
  /// in `unresolved`.
  std::map<std::string, ExpandedValue> global_args;
  std::vector<BuildDiagnostic> diagnostics;
  /// The analysis stopped early because the Dockerfile exceeded the work
  /// limits (hostile input: e.g. thousands of stages each inheriting large
  /// ENV sets). Stages after the cut are missing; a diagnostic says where.
  bool truncated = false;

  const Stage* TargetStage() const {
    return target >= 0 && target < static_cast<int>(stages.size()) ? &stages[target] : nullptr;
  }
};

BuildModel AnalyzeBuild(const Dockerfile& dockerfile, const BuildOptions& options = {});

}  // namespace imglint::dockerfile
