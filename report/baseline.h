// SPDX-License-Identifier: Apache-2.0
/// Baselines let CI fail only on what a change adds: `--write-baseline FILE`
/// records today's findings by fingerprint, `--baseline FILE` drops those
/// from later runs. Fingerprints ignore line numbers, so edits above an old
/// finding do not make it new. The file is sorted JSON, stable across runs.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analyzer/finding.h"

namespace imglint {

/// The baseline document for `findings` (sorted, one entry per fingerprint).
std::string RenderBaseline(const std::vector<Finding>& findings);

/// Parses a baseline document; false with *err naming the problem.
bool ParseBaseline(const std::string& text, std::set<std::string>* fingerprints, std::string* err);

/// Removes findings whose fingerprint is in `baseline`; returns how many.
size_t FilterBaseline(const std::set<std::string>& baseline, std::vector<Finding>* findings);

}  // namespace imglint
