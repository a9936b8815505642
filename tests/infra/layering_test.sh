#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The include rules of docs/design.md §2: cli → report → rules → analyzer,
# nothing back up, and cli/ reaches rules/ only through the engine and the
# registry. Prints every include that breaks them.
set -euo pipefail
cd "$1"
bad=$( {
  grep -rn '#include "\(rules\|report\|cli\)/' analyzer || true
  grep -rn '#include "\(report\|cli\)/' rules || true
  grep -rn '#include "cli/' report || true
  grep -rn '#include "rules/' cli | grep -v '"rules/\(engine\|registry\)\.h"' || true
} )
if [[ -n $bad ]]; then
  echo "includes against docs/design.md §2:" >&2
  echo "$bad" >&2
  exit 1
fi
