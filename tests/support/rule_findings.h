// SPDX-License-Identifier: Apache-2.0
/// The findings of one rule, from the real CLI's JSON report: what the
/// per-rule suites (tests/rules/<rule>_test.cc) assert — rule, place and
/// message text — without each suite re-reading the JSON its own way.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace imglint::testing {

struct RuleFinding {
  std::string rule;                  // "IL101"
  std::string severity;              // "error" | "warning" | "note"
  std::string path;                  // the target, as given on the command line
  int line = 0;                      // 0: no line (an image)
  int column = 0;                    // 0: no column
  std::string image_path;            // a file inside an image ("" when none)
  std::string layer_digest;          // the layer that holds image_path ("" when none)
  std::string message;               // the whole message
  std::string recommendation;        // the whole recommendation
  std::vector<std::string> related;  // "path" or "path:line", in report order
};

/// Runs `imglint --format json --fail-on never ARGS` in `dir` and returns the
/// findings of `rule` (an ID) only, in report order. A run that fails or
/// prints no JSON is a test failure (and an empty list).
std::vector<RuleFinding> LintForRule(const std::string& rule, const std::string& dir,
                                     const std::vector<std::string>& args);

/// Writes `text` to a file `name` in a fresh temporary directory and lints it
/// there (`args` first, then `name`): the findings of `rule`.
std::vector<RuleFinding> LintTextForRule(const std::string& rule, const std::string& name,
                                         const std::string& text,
                                         std::vector<std::string> args = {});

/// "At(f) message" per finding, for ElementsAre over a whole report.
std::vector<std::string> Located(const std::vector<RuleFinding>& findings);

/// Where a finding is, compactly: "Dockerfile:2", "app.tar", or
/// "app.tar /etc/passwd" for a file inside an image.
std::string At(const RuleFinding& finding);

/// For gtest's failure messages: the whole finding on one line.
void PrintTo(const RuleFinding& finding, std::ostream* os);

}  // namespace imglint::testing
