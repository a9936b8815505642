// SPDX-License-Identifier: Apache-2.0
/// Helpers shared by the manifest tests: readable gtest output for positions.
#pragma once

#include <ostream>

#include "analyzer/manifest/yaml_types.h"

namespace imglint {

// Found by gtest through ADL, so failures print "3:30" instead of raw bytes.
inline void PrintTo(const Pos& pos, std::ostream* os) { *os << pos.line << ":" << pos.column; }

}  // namespace imglint
