// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/ast.h"

#include <algorithm>

namespace imglint::dockerfile {

Position Instruction::PositionAt(size_t offset) const {
  if (segments.empty()) {
    if (range.start.line == 0) return range.start;  // made by hand, not parsed
    return {range.start.line, range.start.column + static_cast<int>(offset)};
  }
  // The last segment starting at or before `offset`.
  auto it = std::upper_bound(segments.begin(), segments.end(), offset,
                             [](size_t off, const Segment& s) { return off < s.offset; });
  if (it != segments.begin()) --it;
  const size_t delta = offset >= it->offset ? offset - it->offset : 0;
  return {it->line, it->column + static_cast<int>(delta)};
}

const Flag* Instruction::FindFlag(const std::string& name) const {
  for (const Flag& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace imglint::dockerfile
