// SPDX-License-Identifier: Apache-2.0
/// Expectations written inside fixture files (semgrep style): `# expect:
/// IL201[, IL202]` on the line directly above each hit, `# args: --runtime
/// podman` for extra CLI arguments. Shared by every data-driven fixture test.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace imglint::testing {

using Hit = std::pair<std::string, int>;  // (rule ID, line)

struct Annotations {
  std::set<Hit> expected;
  std::vector<std::string> args;
};

Annotations ReadAnnotations(const std::string& text);

/// A file under the repository root, whole ("" when unreadable).
std::string ReadSourceFile(const std::string& relative);

/// "" when `found` equals `expected`, else "missed: … extra: …".
std::string DiffHits(const std::set<Hit>& expected, const std::set<Hit>& found);

}  // namespace imglint::testing
