// SPDX-License-Identifier: Apache-2.0
/// The rule IL201 (setuid-file) and IL202 (setgid-file) share: they differ
/// only in the bit, so one implementation serves both rule files and their
/// messages cannot drift apart.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "rules/rule.h"

namespace imglint {

struct SpecialBit {
  std::uint32_t bit;        ///< 04000 or 02000
  std::string_view name;    ///< "setuid" | "setgid"
  char who;                 ///< 'u' | 'g': the chmod class that carries it
  FilePrivilege privilege;  ///< what the finding's subject carries
  /// What follows "remove the bit in the build (RUN chmod u-s PATH" in the
  /// recommendation for a file in an image.
  std::string_view image_fix;
};

/// The rule IL201 or IL202 is: `meta`, CheckSpecialBit(`bit`), and the fix
/// of a chmod step in a Dockerfile RUN (taken out, or its octal mode without
/// the bit).
std::unique_ptr<Rule> MakeSpecialBitRule(const RuleMeta& meta, const SpecialBit& bit);

/// Reports every executable file in the final image filesystem with `bit`,
/// and every chmod/install/COPY --chmod step of the stages the target stage
/// needs that sets it.
void CheckSpecialBit(const SpecialBit& bit, const Workspace& workspace, Emitter& emit);

}  // namespace imglint
