// SPDX-License-Identifier: Apache-2.0
#include "report/report.h"

#include "rules/engine.h"

namespace imglint {

std::string FingerprintOf(const Finding& finding) {
  return finding.fingerprint.empty() ? ComputeFingerprint(finding) : finding.fingerprint;
}

std::array<int, 3> LintReport::Counts() const {
  std::array<int, 3> counts{};
  for (const Finding& f : findings) ++counts[static_cast<int>(f.severity)];
  return counts;
}

}  // namespace imglint
