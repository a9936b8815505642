// SPDX-License-Identifier: Apache-2.0
/// `imglint docs DIR [--readme README.md]`: writes one Markdown page per rule
/// and the README rules table, all from the rules' own metadata.
#pragma once

#include <iosfwd>
#include <string>

namespace imglint {

/// Returns the exit code; names any file it could not write on `err`.
int WriteRuleDocs(const std::string& dir, const std::string& readme, std::ostream& err);

/// Replaces the text between `<!-- rules:begin -->` and `<!-- rules:end -->`
/// in `readme` with the generated table; false when the markers are missing.
bool UpdateReadmeTable(std::string* readme);

}  // namespace imglint
