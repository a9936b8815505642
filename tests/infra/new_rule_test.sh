#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest `scripts.new_rule`: scripts/new-rule.sh on a copy of the tree writes a
# rule, its registration (in ID order), fixtures and a test that all compile;
# it refuses a taken ID or name. Usage: new_rule_test.sh SOURCE_DIR CXX
set -euo pipefail
src=$1 cxx=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in analyzer rules scripts fixtures tests; do cp -r "$src/$d" "$work/"; done
cd "$work"
scripts/new-rule.sh IL299 example-pattern "Example pattern" warning >/dev/null
test -f rules/example_pattern.cc
test -f tests/rules/example_pattern_test.cc
test -f fixtures/dockerfile/example-pattern/bad.Dockerfile
test -f fixtures/dockerfile/example-pattern/good.Dockerfile
grep -q '"IL299"' rules/example_pattern.cc
# Registered once, after IL203 and before IL301.
[ "$(grep -c 'MakeExamplePattern()' rules/registry.cc)" -eq 2 ]
order=$(grep -o '// IL[0-9]*' rules/registry.cc | tr -d '/ ' | tr '\n' ' ')
sorted=$(tr ' ' '\n' <<<"$order" | sed '/^$/d' | sort | tr '\n' ' ')
[ "$order" = "$sorted" ] || { echo "registry not in ID order: $order"; exit 1; }
"$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I. \
  rules/example_pattern.cc rules/registry.cc tests/rules/example_pattern_test.cc
if scripts/new-rule.sh IL299 other-name "t" note 2>/dev/null; then echo "accepted a taken ID"; exit 1; fi
if scripts/new-rule.sh IL298 example-pattern "t" note 2>/dev/null; then echo "accepted a taken name"; exit 1; fi
if scripts/new-rule.sh 299 x "t" note 2>/dev/null; then echo "accepted a bad ID"; exit 1; fi
echo "new-rule scaffold: ok"
