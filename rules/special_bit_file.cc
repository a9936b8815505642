// SPDX-License-Identifier: Apache-2.0
#include "rules/special_bit_file.h"

#include <memory>
#include <string>

#include "analyzer/workspace/analyze.h"
#include "analyzer/workspace/fix_request_dockerfile.h"

namespace imglint {

void CheckSpecialBit(const SpecialBit& bit, const Workspace& workspace, Emitter& emit) {
  const std::string name(bit.name);
  // "/usr/bin/passwd is setuid root (mode 4755)", and the fix.
  auto report_file = [&](const Image& image, const FileEntry& entry, std::string origin,
                         Location location) {
    const bool group = bit.bit == 02000;
    std::string message = entry.path + " is " + name + " " +
                          OwnerName(image, group ? entry.gid : entry.uid, group) + " (mode " +
                          OctalMode(entry.mode) + ")" + origin;
    if (entry.type == FileType::kHardlink) message += ", a hard link to " + entry.link_target;
    emit.Report(std::move(message),
                "remove the bit in the build (RUN chmod " + std::string(1, bit.who) + "-s " +
                    entry.path + std::string(bit.image_fix),
                std::move(location), Subject::File(entry.path, bit.privilege));
  };
  for (const ImageFacts& facts : workspace.image_facts) {
    for (const FileEntry& entry : facts.image->files) {
      if (!IsExecutableKind(entry) || !(entry.mode & bit.bit)) continue;
      report_file(*facts.image, entry, "", FileLocation(*facts.target, *facts.image, entry));
    }
  }
  // Dockerfiles with --resolve-base=full: the base's files the build keeps.
  for (const DockerfileTarget& target : workspace.dockerfiles) {
    for (const FileEntry* entry : target.inherited_files) {
      if (!(entry->mode & bit.bit)) continue;
      report_file(*target.base->image, *entry,
                  " in the base image " + target.facts.final_user->external_base,
                  InheritedFileLocation(target, *entry));
    }
  }
  // Dockerfiles: chmod/install in RUN (heredoc bodies included) and
  // COPY/ADD --chmod, in the stages the target stage needs.
  const std::string fix = "use a mode without the bit (no " + std::string(1, bit.who) +
                          "+s, or an octal mode such as 0755); run with no-new-privileges / "
                          "allowPrivilegeEscalation: false so " +
                          name + " bits are inert";
  for (const DockerfileTarget& target : workspace.dockerfiles) {
    for (const dockerfile::SpecialBitStep& step : target.facts.special_bit_steps) {
      if (!(step.bits & bit.bit)) continue;
      std::string message = step.command + " sets the " + name + " bit";
      if (!step.in_final_chain) message += " in stage " + step.stage_label;
      emit.Report(std::move(message), fix, step.location, Subject::BuildStep(step.key));
    }
  }
}

namespace {

class SpecialBitRule final : public Rule {
 public:
  SpecialBitRule(const RuleMeta& meta, const SpecialBit& bit) : meta_(meta), bit_(bit) {}

  const RuleMeta& Meta() const override { return meta_; }

  FixRequest PlanFix(const Workspace& workspace, const Finding& finding) const override {
    if (finding.subject.kind != Subject::Kind::kBuildStep) return {};
    return UndoRunStep(workspace, finding, FixIntent::Kind::kDropSpecialBits);
  }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckSpecialBit(bit_, workspace, emit);
  }

 private:
  const RuleMeta& meta_;
  SpecialBit bit_;
};

}  // namespace

std::unique_ptr<Rule> MakeSpecialBitRule(const RuleMeta& meta, const SpecialBit& bit) {
  return std::make_unique<SpecialBitRule>(meta, bit);
}

}  // namespace imglint
