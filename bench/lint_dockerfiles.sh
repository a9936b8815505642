#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lints a generated corpus of Dockerfiles in one imglint invocation and prints
# the per-file time next to baselines measured in the same run (reading every
# file with cat, counting lines with wc -l). See bench/README.md.
#
#   bench/lint_dockerfiles.sh [--count 10000] [--runs 3] [--corpus DIR]
set -euo pipefail

BUILD=${BUILD:-/work/build-bench}
DATA=${DATA:-/work/bench-data}
SOURCE=${SOURCE:-/work/shared/corpus/dockerfiles}
COUNT=10000
RUNS=3
CORPUS=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) COUNT=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    *) sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
IMGLINT=$BUILD/cli/imglint
[[ -x $IMGLINT ]] || { echo "missing $IMGLINT" >&2; exit 2; }
CORPUS=${CORPUS:-$DATA/df-corpus-$COUNT}

# Copies of the real Dockerfiles, perturbed so no two are identical: a
# different base tag, a label, a comment and an extra RUN step.
if [[ ! -f $CORPUS/.complete ]]; then
  rm -rf "$CORPUS"
  mkdir -p "$CORPUS"
  mapfile -d '' SOURCES < <(find "$SOURCE" -type f -print0 | sort -z)
  (( ${#SOURCES[@]} > 0 )) || { echo "no Dockerfiles under $SOURCE" >&2; exit 2; }
  echo "generating $COUNT Dockerfiles from ${#SOURCES[@]} in $SOURCE ..." >&2
  for ((i = 0; i < COUNT; i++)); do
    src=${SOURCES[i % ${#SOURCES[@]}]}
    variant=$((i / ${#SOURCES[@]}))
    dir=$CORPUS/$((i / 1000))
    [[ -d $dir ]] || mkdir -p "$dir"
    awk -v v="$variant" -v i="$i" '
      NR == 1 { print "# bench copy " i " (variant " v ")" }
      /^[Ff][Rr][Oo][Mm] [^ $]*:[A-Za-z0-9._-]+( |$)/ && v % 3 == 1 { sub(/:[A-Za-z0-9._-]+/, ":" v ".0") }
      { print }
      /^[Ff][Rr][Oo][Mm] / && v % 2 == 1 { print "LABEL bench.variant=\"" v "\"" }
      END { if (v % 4 == 3) print "RUN echo variant " v " > /tmp/variant" }
    ' "$src" > "$dir/$i.Dockerfile"
  done
  touch "$CORPUS/.complete"
fi

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.4f\n", (v[NR/2]+v[NR/2+1])/2}'; }
declare -A WALL
ORDER=()
measure() {
  local name=$1 cmd=$2 i t0 t1 walls="" rc=0
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    bash -c "$cmd" >/dev/null 2>"$DATA/lint_dockerfiles.err" || rc=$?
    t1=$(date +%s%N)
    walls+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}')"$'\n'
  done
  # imglint exits 1 when it finds something (--fail-on never makes that 0);
  # anything else is a failure worth showing.
  if (( rc > 1 )); then echo "  $name: exit status $rc: $(head -c 300 "$DATA/lint_dockerfiles.err")" >&2; fi
  WALL[$name]=$(printf '%s' "$walls" | median)
  ORDER+=("$name")
}

files=$(find "$CORPUS" -name '*.Dockerfile' | wc -l)
bytes=$(find "$CORPUS" -name '*.Dockerfile' -print0 | xargs -0 cat | wc -c)
q=$(printf '%q' "$CORPUS")
measure "cat" "find $q -name '*.Dockerfile' -print0 | xargs -0 cat"
measure "wc -l" "find $q -name '*.Dockerfile' -print0 | xargs -0 wc -l"
measure "imglint --jobs 1" "$IMGLINT --jobs 1 --format json --fail-on never $q"
measure "imglint" "$IMGLINT --format json --fail-on never $q"
report=$("$IMGLINT" --format json --fail-on never "$CORPUS" 2>/dev/null || true)
findings=$(grep -c '"rule":' <<<"$report" || true)
failed=$(grep '"error": "' <<<"$report" | sort | uniq -c | sort -rn | head -3 || true)
unread=$(grep -c '"error": "' <<<"$report" || true)

echo "== $files Dockerfiles ($((bytes >> 10)) KiB) in $CORPUS; median of $RUNS runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   imglint reported $findings findings"
if [[ -n $failed ]]; then
  echo "   $unread of $files targets were reported unreadable (if that is all of them, the imglint rows"
  echo "   measure discovery only); most common errors:"
  sed 's/^/     /' <<<"$failed"
fi
printf '%-18s %9s %12s %8s\n' "command" "wall s" "us per file" "x cat"
for name in "${ORDER[@]}"; do
  printf '%-18s %9.3f %12.1f %8s\n' "$name" "${WALL[$name]}" \
    "$(awk -v t="${WALL[$name]}" -v n="$files" 'BEGIN {print t * 1e6 / n}')" \
    "$(awk -v a="${WALL[$name]}" -v b="${WALL[cat]}" 'BEGIN {printf "%.1f", a / b}')"
done
