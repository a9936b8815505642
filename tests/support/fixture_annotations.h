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

/// The real CLI's text output for the fixture `relative` (plus `args`,
/// `--color never`) must equal the snapshot beside it (NAME.ext -> NAME.txt):
/// it pins every message and help line. IMGLINT_UPDATE_SNAPSHOTS=1 rewrites
/// the snapshot instead. Reports through gtest.
void ExpectTextSnapshot(const std::string& relative, const std::vector<std::string>& args);

/// "" when `found` equals `expected`, else "missed: … extra: …".
std::string DiffHits(const std::set<Hit>& expected, const std::set<Hit>& found);

}  // namespace imglint::testing
