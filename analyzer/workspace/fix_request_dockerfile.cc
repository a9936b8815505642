// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/fix_request_dockerfile.h"

#include <algorithm>
#include <string>

namespace imglint {

std::optional<size_t> FindingDockerfile(const Workspace& workspace, const Finding& finding) {
  for (size_t i = 0; i < workspace.dockerfiles.size(); ++i) {
    if (workspace.dockerfiles[i].path == finding.location.path) return i;
  }
  return std::nullopt;
}

FixRequest UndoRunStep(const Workspace& workspace, const Finding& finding, FixIntent::Kind kind) {
  FixRequest request;
  const std::optional<size_t> df = FindingDockerfile(workspace, finding);
  const std::string& key = finding.subject.value;
  if (!df || finding.location.line <= 0) return request;
  if (key.starts_with("copy:")) {
    request.refusal =
        "COPY/ADD --chmod sets the mode as it copies: give it a mode without the bit (0755)";
    return request;
  }
  const bool setcap = kind == FixIntent::Kind::kRemoveSetcap;
  if (!key.starts_with(setcap ? "setcap:" : "run:")) return request;
  FixIntent intent;
  intent.kind = kind;
  intent.index = *df;
  intent.line = finding.location.line;
  intent.column = finding.location.column;
  request.intents.push_back(intent);
  return request;
}

FixRequest NonRootUserAdvice(const Workspace& workspace, const Finding& finding) {
  FixRequest request;
  const std::optional<size_t> df = FindingDockerfile(workspace, finding);
  if (!df) return request;
  const DockerfileTarget& target = workspace.dockerfiles[*df];
  const dockerfile::Stage* stage = target.build.TargetStage();
  if (!target.facts.final_user || stage == nullptr) return request;
  const dockerfile::FinalUser& user = *target.facts.final_user;
  const auto& instructions = target.ast.instructions;
  const std::string pick = "; imglint does not pick a user";
  if (user.has_user && !user.inherited) {
    request.refusal = "change `USER " + user.raw + "` on line " +
                      std::to_string(user.location.line) +
                      " to a non-root user (one the image has, preferably by number)" + pick;
    return request;
  }
  // After the steps that still need root: the stage's last RUN, else its FROM.
  size_t after = stage->from_instruction;
  for (const dockerfile::RunCommand& run : stage->runs) after = std::max(after, run.instruction);
  if (after >= instructions.size()) return request;
  request.refusal = std::string("add `USER <non-root>` to the final stage after line ") +
                    std::to_string(instructions[after].range.end.line) +
                    (after == stage->from_instruction ? " (its FROM)" : " (its last RUN)") + pick;
  return request;
}

}  // namespace imglint
