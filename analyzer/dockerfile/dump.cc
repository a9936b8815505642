// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/dump.h"

#include "analyzer/dockerfile/text_util.h"

namespace imglint::dockerfile {

std::string DumpInstruction(const Instruction& inst) {
  std::string out = inst.keyword;
  if (!inst.flags.empty()) {
    out += " [";
    for (size_t i = 0; i < inst.flags.size(); ++i) {
      if (i > 0) out += ' ';
      out += text::GoQuote(inst.flags[i].text);
    }
    out += ']';
  }
  if (!inst.sub.empty()) {
    out += " (" + DumpInstruction(inst.sub.front()) + ")";
  } else if (!inst.known) {
    // BuildKit keeps one empty argument node for an unknown instruction.
    out += " \"\"";
  }
  for (const Argument& a : inst.args) {
    out += ' ';
    out += text::GoQuote(a.value);
  }
  return std::string(text::TrimSpace(out));
}

std::string DumpDockerfile(const Dockerfile& dockerfile) {
  std::string out;
  for (const Instruction& inst : dockerfile.instructions) {
    out += '(';
    out += DumpInstruction(inst);
    out += ")\n";
  }
  return out;
}

}  // namespace imglint::dockerfile
