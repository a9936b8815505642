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

std::string Subject::Key() const {
  std::string_view prefix;
  switch (kind) {
    case Kind::kUser:
      prefix = "user:";
      break;
    case Kind::kGroup:
      prefix = "group:";
      break;
    case Kind::kPort:
      prefix = "port:";
      break;
    case Kind::kRootOnPort:
      prefix = "root:";
      break;
    case Kind::kBindCapability:
      prefix = "cap:";
      break;
    case Kind::kExpose:
      prefix = "expose:";
      break;
    case Kind::kSuppression:
      prefix = "pragma:";
      break;
    case Kind::kText:
    case Kind::kFile:
    case Kind::kBuildStep:
    case Kind::kSetting:
      break;
  }
  std::string key(prefix);
  key += value;
  return key;
}

}  // namespace imglint
