// SPDX-License-Identifier: Apache-2.0
#include "rules/rule.h"

#include <utility>

namespace imglint {

Finding& Emitter::Report(std::string message, std::string recommendation, Location location,
                         Subject subject) {
  Finding& f = out_->emplace_back();
  f.rule_id = std::string(meta_.id);
  f.severity = meta_.severity;
  f.message = std::move(message);
  f.recommendation = std::move(recommendation);
  f.location = std::move(location);
  f.subject = std::move(subject);
  return f;
}

}  // namespace imglint
