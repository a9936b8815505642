#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scaffolds a new rule (CONTRIBUTING.md, "How to add a rule"):
#
#   scripts/new-rule.sh IL205 world-writable-dir "World-writable directory" warning
#
# writes rules/<name>.cc (metadata and an empty Check to fill in), registers it
# in rules/registry.cc in ID order, adds fixtures/dockerfile/<name>/{bad,good}.Dockerfile
# and tests/rules/<name>_test.cc. The new test and the bad fixture fail until
# the rule reports what they expect: write the cases first, then the rule.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 ILnnn kebab-name \"Title\" error|warning|note" >&2; exit 2; }
[[ $# -eq 4 ]] || usage
id=$1 name=$2 title=$3 severity=$4
[[ $id =~ ^IL[0-9]{3}$ ]] || { echo "new-rule: ID must look like IL205" >&2; exit 2; }
[[ $name =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]] || { echo "new-rule: name must be kebab-case" >&2; exit 2; }
case $severity in error) sev=kError ;; warning) sev=kWarning ;; note) sev=kNote ;; *) usage ;; esac
if grep -q "\"$id\"" rules/*.cc; then echo "new-rule: $id is taken (IDs are never reused)" >&2; exit 2; fi
if grep -q "\.name = \"$name\"" rules/*.cc; then echo "new-rule: $name is taken" >&2; exit 2; fi

file=${name//-/_}
camel=$(sed -E 's/(^|-)([a-z0-9])/\U\2/g' <<<"$name")
rule=rules/$file.cc
test=tests/rules/${file}_test.cc
fixtures=fixtures/dockerfile/$name
for path in "$rule" "$test" "$fixtures"; do
  [[ ! -e $path ]] || { echo "new-rule: $path exists" >&2; exit 2; }
done

cat >"$rule" <<EOF
// SPDX-License-Identifier: Apache-2.0
// $id $name: $title.
#include <memory>
#include <string>

#include "rules/rule.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "$id",
    .name = "$name",
    .title = "$title",
    .severity = Severity::$sev,
    .rationale = R"md(TODO: why this is a problem, in a paragraph or two.)md",
    .remediation = R"md(TODO: how to fix it, with a snippet.)md",
    .bad_example = "FROM alpine:3.20\n",
    .good_example = "FROM alpine:3.20\nUSER 10001\n",
    .references = R"md(- [TODO](https://example.invalid/))md",
    .cwe = "CWE-TODO",
    .precision = "high",
    .security_severity = "",
    .linux_only = true,
    // What \`imglint fix\` changes for its findings (then override PlanFix); "" = no fix.
    .fix = "",
};

class $camel final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  // Judge the facts the analysis computed (analyzer/workspace/workspace.h);
  // a fact another rule needs too belongs in analyzer/, not here.
  void Check(const Workspace& workspace, Emitter& emit) const override {
    (void)workspace;
    (void)emit;
  }
};

}  // namespace

std::unique_ptr<Rule> Make$camel() { return std::make_unique<$camel>(); }

}  // namespace imglint
EOF

# Register in ID order: the declaration and the push_back line.
python3 - "$id" "$camel" <<'PY'
import re, sys
rule_id, camel = sys.argv[1], sys.argv[2]
path = "rules/registry.cc"
text = open(path).read()
pushes = list(re.finditer(r"  rules\.push_back\(Make(\w+)\(\)\);\s+// (IL\d{3})\n", text))
after = [m for m in pushes if m.group(2) < rule_id]
anchor = after[-1] if after else None
call = "  rules.push_back(Make%s());" % camel
line = call + " " * max(2, 56 - len(call)) + "// %s\n" % rule_id  # the column of the others
pos = anchor.end() if anchor else pushes[0].start()
text = text[:pos] + line + text[pos:]
decls = list(re.finditer(r"std::unique_ptr<Rule> Make(\w+)\(\);\n", text))
text = text[:decls[-1].end()] + "std::unique_ptr<Rule> Make%s();\n" % camel + text[decls[-1].end():]
open(path, "w").write(text)
PY

mkdir -p "$fixtures"
cat >"$fixtures/bad.Dockerfile" <<EOF
FROM alpine:3.20
USER 10001
# TODO: the instruction $id reports, with the annotation directly above it.
# expect: $id
RUN true
EOF
cat >"$fixtures/good.Dockerfile" <<EOF
FROM alpine:3.20
USER 10001
# TODO: near misses that must not fire $id.
RUN true
EOF

cat >"$test" <<EOF
// SPDX-License-Identifier: Apache-2.0
// $id $name on its own, on every input kind it covers: cases that report and
// near misses that do not, through the real CLI. Each case pins the place
// and the message text (tests/support/rule_findings.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/rule_findings.h"

namespace imglint::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kRule[] = "$id";

std::vector<RuleFinding> LintFile(const std::string& name, const std::string& text,
                                  std::vector<std::string> args = {}) {
  return LintTextForRule(kRule, name, text, std::move(args));
}

// One section per input kind the rule covers. Images: build one with
// tests/support/image_builder.h and lint it with LintForRule; Kubernetes and
// Compose: LintFile("pod.yaml", ...) and LintFile("compose.yaml", ...).

// --- Dockerfiles -----------------------------------------------------------

// TODO: what $id reports, at which line, in which words.
TEST(${camel}Dockerfile, Reports) {
  auto f = LintFile("Dockerfile", "FROM alpine:3.20\nUSER 10001\nRUN true\n");
  EXPECT_THAT(Located(f), ElementsAre("Dockerfile:3 TODO: the message"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, "$severity");
  EXPECT_THAT(f[0].recommendation, HasSubstr("TODO: the fix"));
}

// TODO: the near misses beside each hit.
TEST(${camel}Dockerfile, NotReported) {
  EXPECT_THAT(LintFile("Dockerfile", "FROM alpine:3.20\nUSER 10001\n"), IsEmpty());
}

}  // namespace
}  // namespace imglint::testing
EOF

echo "new-rule: wrote $rule, $test, $fixtures/{bad,good}.Dockerfile; registered in rules/registry.cc"
echo "next: write the cases (they fail now), implement Check, then"
echo "  cmake --build build -j2 && build/cli/imglint docs docs/rules --readme README.md"
echo "  IMGLINT_UPDATE_SNAPSHOTS=1 build/tests/imglint_rules_tests --gtest_filter='Fixtures/*'"
echo "  ctest --test-dir build -j2"
