// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/facts.h"

#include <algorithm>

#include "analyzer/capabilities.h"
#include "analyzer/dockerfile/file_modes.h"
#include "analyzer/dockerfile/run_commands.h"
#include "analyzer/dockerfile/setcap.h"
#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"

namespace imglint::dockerfile {
namespace {

// Messages quote commands; a generated 10 KB RUN line must not become a
// 10 KB message.
constexpr size_t kMaxCommandText = 120;
constexpr size_t kMaxPathsText = 80;

std::optional<FinalUser> FinalStageUser(const std::string& path, const Dockerfile& dockerfile,
                                        const BuildModel& build) {
  const Stage* stage = build.TargetStage();
  if (stage == nullptr || stage->from_instruction >= dockerfile.instructions.size()) {
    return std::nullopt;
  }
  FinalUser out;
  out.stage_name = stage->name;
  out.base = stage->base.resolved() ? stage->base.value : stage->base.raw;
  out.final_from = DockerfileLocation(path, dockerfile.instructions[stage->from_instruction].range);
  const Stage* root = stage;
  for (size_t hops = 0; root->base_stage >= 0 && hops < build.stages.size(); ++hops) {
    root = &build.stages[root->base_stage];
  }
  out.external_base = root->base.resolved() ? root->base.value : root->base.raw;
  out.external_base_resolved = root->base.resolved() && root->base_stage < 0;
  out.external_from =
      root->from_instruction < dockerfile.instructions.size()
          ? DockerfileLocation(path, dockerfile.instructions[root->from_instruction].range)
          : out.final_from;
  if (!stage->user) {
    out.location = out.final_from;
    return out;
  }
  const UserSetting& setting = *stage->user;
  if (setting.instruction >= dockerfile.instructions.size()) return std::nullopt;
  out.has_user = true;
  out.unresolved = !setting.user.resolved();
  out.value = setting.user.value;
  out.raw = setting.user.raw;
  out.inherited = setting.stage != stage->index;
  out.location = DockerfileLocation(path, setting.user.range);
  return out;
}

// EXPOSE entries in effect in `stage` (inherited ones first) when
// `inherited`, else only those written in `stage` itself.
void AddStagePorts(const std::string& path, const BuildModel& build, int stage_index,
                   bool inherited, std::vector<PortFact>* out) {
  if (stage_index < 0 || stage_index >= static_cast<int>(build.stages.size())) return;
  const Stage& stage = build.stages[stage_index];
  for (const ExposeEntry& entry : stage.expose) {
    if (!inherited && entry.stage != stage.index) continue;
    PortFact port;
    port.raw = entry.port.raw;
    port.value = entry.port.value;
    port.stage = entry.stage;
    port.instruction = entry.instruction;
    port.location = DockerfileLocation(path, entry.port.range);
    if (!entry.port.resolved()) {
      port.unresolved = true;
      port.missing = entry.port.unresolved;
      port.spec.raw = port.raw;
      port.spec.reason = entry.port.ok
                             ? "no value for " + JoinWords(port.missing, 0, port.missing.size())
                             : entry.port.error;
    } else {
      port.spec = ParsePortSpec(port.value);
    }
    out->push_back(std::move(port));
  }
}

bool Contains(const std::vector<int>& stages, int stage) {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

// chmod/install in RUN (heredoc bodies included), then COPY/ADD --chmod.
std::vector<SpecialBitStep> SpecialBitSteps(const std::string& path, std::string_view text,
                                            const Dockerfile& dockerfile, const BuildModel& build,
                                            const Facts& facts) {
  std::vector<SpecialBitStep> out;
  auto add = [&](SpecialBitStep step, const Stage& stage) {
    step.stage = stage.index;
    step.stage_label = StageLabel(stage);
    step.in_final_chain = Contains(facts.final_chain, stage.index);
    out.push_back(std::move(step));
  };
  ForEachInvocation(dockerfile, build, facts.needed_stages, MaySetSpecialBit,
                    [&](const Stage& stage, const RunCommand& run, const Instruction& inst,
                        const LocatedCommand& located, const Words& words) {
                      const std::optional<ModeUse> use = ModeOf(words);
                      if (!use || use->directories_only) return;
                      const std::optional<std::uint32_t> bits = SpecialBitsSetByMode(use->mode);
                      if (!bits || *bits == 0) return;
                      SpecialBitStep step;
                      step.bits = *bits;
                      step.mode = use->mode;
                      step.command =
                          ShortenUtf8(JoinWords(words, 0, use->mode_word + 1), kMaxCommandText);
                      if (!use->paths.empty()) {
                        step.command += ' ';
                        step.command += ShortenUtf8(use->paths, kMaxPathsText);
                      }
                      step.instruction = run.instruction;
                      step.location = DockerfileLocation(
                          path, WordRange(text, inst, run, located, words[use->mode_word]));
                      step.key = "run:" + CollapseSpaces(JoinWords(words, 0, words.size()));
                      add(std::move(step), stage);
                    });
  for (int s : facts.needed_stages) {
    const Stage& stage = build.stages[s];
    for (const CopyCommand& copy : stage.copies) {
      if (!copy.chmod || !copy.chmod->resolved()) continue;  // never guessed
      const std::optional<std::uint32_t> bits = SpecialBitsSetByMode(copy.chmod->value);
      if (!bits || *bits == 0) continue;
      SpecialBitStep step;
      step.bits = *bits;
      step.mode = copy.chmod->value;
      step.command = std::string(copy.add ? "ADD" : "COPY") + " --chmod=" + copy.chmod->value +
                     " … " + ShortenUtf8(copy.destination.value, kMaxPathsText);
      step.instruction = copy.instruction;
      step.location = DockerfileLocation(path, copy.chmod->range);
      step.key = "copy:" + InstructionKey(text, dockerfile, copy.instruction);
      add(std::move(step), stage);
    }
  }
  return out;
}

std::vector<SetcapStep> SetcapSteps(const std::string& path, std::string_view text,
                                    const Dockerfile& dockerfile, const BuildModel& build,
                                    const Facts& facts) {
  std::vector<SetcapStep> out;
  ForEachInvocation(dockerfile, build, facts.needed_stages, MayRunSetcap,
                    [&](const Stage& stage, const RunCommand& run, const Instruction& inst,
                        const LocatedCommand& located, const Words& words) {
                      for (const auto& [caps_word, file_word] : SetcapGrantsIn(words)) {
                        const std::string& caps = words[caps_word];
                        const std::string lower = text::ToLowerAscii(caps);
                        SetcapStep step;
                        step.caps = caps;
                        step.file = words[file_word];
                        step.net_bind_service = (!lower.empty() && lower[0] == '=') ||
                                                NamesCapability(lower, "all") ||
                                                NamesCapability(lower, "cap_net_bind_service");
                        step.root_equivalent = IsRootEquivalent(lower);
                        step.stage = stage.index;
                        step.stage_label = StageLabel(stage);
                        step.in_final_chain = Contains(facts.final_chain, stage.index);
                        step.instruction = run.instruction;
                        step.location =
                            DockerfileLocation(path, WordRange(text, inst, run, located, caps));
                        step.key = "setcap:" + caps + " " + step.file;
                        out.push_back(std::move(step));
                      }
                    });
  return out;
}

}  // namespace

Location DockerfileLocation(const std::string& path, const Range& range) {
  Location l;
  l.path = path;
  l.line = range.start.line;
  l.column = range.start.column;
  l.end_line = range.end.line;
  l.end_column = range.end.column;
  return l;
}

std::string InstructionKey(std::string_view text, const Dockerfile& dockerfile,
                           size_t instruction) {
  if (instruction >= dockerfile.instructions.size()) return "";
  // CR of a CRLF line ending is a space to CollapseSpaces: the key is the
  // same whichever line endings the file has.
  return CollapseSpaces(dockerfile.instructions[instruction].SourceText(text));
}

std::string StageLabel(const Stage& stage) {
  // Appended piece by piece: GCC 12 -O3 raises a false -Wrestrict on "#" + s.
  std::string label = stage.name.empty() ? "#" : "\"";
  label += stage.name.empty() ? std::to_string(stage.index) : stage.name + "\"";
  return label;
}

std::vector<int> NeededStages(const BuildModel& build) {
  std::vector<int> out;
  if (build.TargetStage() == nullptr) return out;
  const int count = static_cast<int>(build.stages.size());
  std::vector<bool> seen(build.stages.size(), false);
  std::vector<int> todo{build.target};
  seen[build.target] = true;
  auto visit = [&](int s) {
    if (s >= 0 && s < count && !seen[s]) {
      seen[s] = true;
      todo.push_back(s);
    }
  };
  while (!todo.empty()) {
    const Stage& stage = build.stages[todo.back()];
    todo.pop_back();
    visit(stage.base_stage);
    for (const CopyCommand& copy : stage.copies) visit(copy.from_stage);
  }
  for (int s = 0; s < count; ++s) {
    if (seen[s]) out.push_back(s);
  }
  return out;
}

std::vector<int> FinalChain(const BuildModel& build) {
  std::vector<int> chain;
  for (int s = build.target; s >= 0 && s < static_cast<int>(build.stages.size());
       s = build.stages[s].base_stage) {
    if (chain.size() > build.stages.size()) break;  // a cycle cannot happen; stay safe
    chain.push_back(s);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::string PortFact::Describe() const {
  if (!base_image.empty()) return "port " + raw + " of the base image " + base_image;
  std::string out = "EXPOSE " + raw;
  if (!unresolved && raw != value) out += " (" + FormatPortSpec(spec) + ")";
  return out;
}

// RUN may run useradd; COPY/ADD into / or /etc may bring a passwd file.
static bool MayAddUsers(const BuildModel& build, const std::vector<int>& chain) {
  for (int s : chain) {
    const Stage& stage = build.stages[s];
    if (!stage.runs.empty()) return true;
    for (const CopyCommand& copy : stage.copies) {
      const std::string& dest = copy.destination.value;
      if (!copy.destination.resolved() || dest.empty() || dest == "/" || dest == "." ||
          dest == "./" || dest.starts_with("/etc") || !dest.starts_with("/")) {
        return true;
      }
    }
  }
  return false;
}

const PortFact* Facts::LowestPrivilegedPort() const {
  return LowestPrivileged(final_ports, [](const PortFact& p) { return p.Resolved(); });
}

bool Facts::SetcapsNetBindService() const {
  return std::any_of(setcap_steps.begin(), setcap_steps.end(),
                     [](const SetcapStep& step) { return step.net_bind_service; });
}

Facts AnalyzeDockerfile(const std::string& path, std::string_view text,
                        const Dockerfile& dockerfile, const BuildModel& build) {
  Facts facts;
  facts.needed_stages = NeededStages(build);
  facts.final_chain = FinalChain(build);
  facts.final_user = FinalStageUser(path, dockerfile, build);
  AddStagePorts(path, build, build.target, /*inherited=*/true, &facts.final_ports);
  for (int stage : facts.needed_stages) {
    AddStagePorts(path, build, stage, /*inherited=*/false, &facts.written_ports);
  }
  facts.special_bit_steps = SpecialBitSteps(path, text, dockerfile, build, facts);
  facts.setcap_steps = SetcapSteps(path, text, dockerfile, build, facts);
  facts.may_add_users = MayAddUsers(build, facts.final_chain);
  return facts;
}

}  // namespace imglint::dockerfile
