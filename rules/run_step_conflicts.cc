// SPDX-License-Identifier: Apache-2.0
#include "rules/run_step_conflicts.h"

#include <algorithm>
#include <tuple>

namespace imglint {

// Two flagged commands of one RUN (`RUN setcap … a && setcap … b`) cannot
// both go by separate cuts: each cut keeps the other command's operator, so
// their edits overlap and together would leave no valid script. Both are
// refused with the reason; the file's other fixes still go ahead.
void RefuseOverlappingRunSteps(std::map<FixIntent, TextFix>* made) {
  struct Span {
    const TextEdit* edit;
    TextFix* fix;
  };
  std::vector<Span> spans;
  for (auto& [intent, fix] : *made) {
    const bool run_step = intent.kind == FixIntent::Kind::kRemoveSetcap ||
                          intent.kind == FixIntent::Kind::kDropSpecialBits;
    if (!run_step || fix.refused()) continue;
    for (const TextEdit& e : fix.edits) spans.push_back({&e, &fix});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.edit->path, a.edit->begin) < std::tie(b.edit->path, b.edit->begin);
  });
  std::set<TextFix*> overlapping;
  const Span* reach = nullptr;  // the span reaching furthest so far in this file
  for (const Span& span : spans) {
    if (reach != nullptr && reach->edit->path == span.edit->path && reach->fix != span.fix &&
        span.edit->begin < reach->edit->end && !(*span.edit == *reach->edit)) {
      overlapping.insert(span.fix);
      overlapping.insert(reach->fix);
    }
    if (reach == nullptr || reach->edit->path != span.edit->path ||
        span.edit->end > reach->edit->end) {
      reach = &span;
    }
  }
  for (TextFix* fix : overlapping) {
    fix->edits.clear();
    fix->refusal =
        "another flagged command of the same RUN would be taken out too, and two cuts in one "
        "list cannot be made safely: remove them yourself";
  }
}

// One chmod edit clears the setuid and the setgid bit alike (`6755` ->
// `0755`), so under `--rule` it must not be made when it would also fix a
// finding of a rule that was left out.
void RefuseChmodsOfUnselectedRules(const std::vector<Finding>& findings,
                                   const std::vector<FixRequest>& requests,
                                   const std::set<std::string>& rules,
                                   std::map<FixIntent, TextFix>* made) {
  if (rules.empty()) return;
  for (size_t k = 0; k < findings.size(); ++k) {
    if (rules.count(findings[k].rule_id) > 0 || !requests[k].refusal.empty()) continue;
    for (const FixIntent& intent : requests[k].intents) {
      const auto it = made->find(intent);
      if (intent.kind != FixIntent::Kind::kDropSpecialBits || it == made->end() ||
          it->second.refused()) {
        continue;
      }
      it->second.edits.clear();
      it->second.refusal = "the chmod also sets the bit " + findings[k].rule_id +
                           " reports, which --rule leaves out: select both rules or edit it "
                           "yourself";
    }
  }
}

}  // namespace imglint
