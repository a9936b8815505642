// SPDX-License-Identifier: Apache-2.0
#include "analyzer/finding.h"

namespace imglint {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "note";
}

bool ParseSeverity(std::string_view text, Severity* out) {
  if (text == "error") {
    *out = Severity::kError;
  } else if (text == "warning") {
    *out = Severity::kWarning;
  } else if (text == "note") {
    *out = Severity::kNote;
  } else {
    return false;
  }
  return true;
}

}  // namespace imglint
