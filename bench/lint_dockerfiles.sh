#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lints a generated corpus of Dockerfiles in one imglint invocation and prints
# the per-file time next to baselines measured in the same run (reading every
# file with cat, counting lines with wc -l). See bench/README.md.
#
#   bench/lint_dockerfiles.sh [--count 10000] [--runs 3] [--corpus DIR]
#                             [--against OTHER_IMGLINT]
set -euo pipefail

BUILD=${BUILD:-/work/build-bench}
DATA=${DATA:-/work/bench-data}
SOURCE=${SOURCE:-/work/shared/corpus/dockerfiles}
COUNT=10000
RUNS=3
CORPUS=""
AGAINST=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) COUNT=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --against) AGAINST=$2; shift 2 ;;
    *) sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
IMGLINT=$BUILD/cli/imglint
[[ -x $IMGLINT ]] || { echo "missing $IMGLINT" >&2; exit 2; }
[[ -z $AGAINST || -x $AGAINST ]] || { echo "missing $AGAINST" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "install GNU time: apt-get install time" >&2; exit 2; }
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
declare -A CMD WALLS CPUS FAULTS RSS RC
ORDER=()
add() { ORDER+=("$1"); CMD[$1]=$2; WALLS[$1]=""; CPUS[$1]=""; FAULTS[$1]=""; RSS[$1]=0; RC[$1]=0; }
# One round runs every command once, so a neighbour's load falls on all rows
# alike; wall and user+system CPU seconds and minor page faults are medians
# over the rounds, peak RSS the maximum.
measure_rounds() {
  local i name tf="$DATA/lint_dockerfiles.time" rc
  for ((i = 0; i < RUNS; i++)); do
    for name in "${ORDER[@]}"; do
      rc=0
      /usr/bin/time -f '%e %U %S %M %R' -o "$tf" bash -c "${CMD[$name]}" >/dev/null \
        2>"$DATA/lint_dockerfiles.err" || rc=$?
      # imglint exits 1 when it finds something (--fail-on never makes that 0);
      # anything else is a failure worth showing.
      if ((rc > 1)) && ((RC[$name] == 0)); then
        RC[$name]=$rc
        echo "  $name: exit status $rc: $(head -c 300 "$DATA/lint_dockerfiles.err")" >&2
      fi
      read -r wall user sys rss faults < <(tail -1 "$tf")
      FAULTS[$name]+="$faults"$'\n'
      WALLS[$name]+="$wall"$'\n'
      CPUS[$name]+="$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')"$'\n'
      if ((rss > RSS[$name])); then RSS[$name]=$rss; fi
    done
  done
}

files=$(find "$CORPUS" -name '*.Dockerfile' | wc -l)
bytes=$(find "$CORPUS" -name '*.Dockerfile' -print0 | xargs -0 cat | wc -c)
q=$(printf '%q' "$CORPUS")
add "cat" "find $q -name '*.Dockerfile' -print0 | xargs -0 cat"
add "wc -l" "find $q -name '*.Dockerfile' -print0 | xargs -0 wc -l"
add "imglint --jobs 1" "$IMGLINT --jobs 1 --format json --fail-on never $q"
add "imglint" "$IMGLINT --format json --fail-on never $q"
add "imglint --version" "$IMGLINT --version"
if [[ -n $AGAINST ]]; then
  a=$(printf '%q' "$AGAINST")
  add "against --jobs 1" "$a --jobs 1 --format json --fail-on never $q"
  add "against" "$a --format json --fail-on never $q"
  add "against --version" "$a --version"
fi
measure_rounds
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
printf '%-18s %8s %8s %11s %11s %7s %7s %9s %8s\n' "command" "wall s" "cpu s" "wall us/f" "cpu us/f" \
  "x cat" "cpu x c" "peak MiB" "faults"
for name in "${ORDER[@]}"; do
  wall=$(printf '%s' "${WALLS[$name]}" | median)
  cpu=$(printf '%s' "${CPUS[$name]}" | median)
  faults=$(printf '%s' "${FAULTS[$name]}" | median)
  catwall=$(printf '%s' "${WALLS[cat]}" | median)
  catcpu=$(printf '%s' "${CPUS[cat]}" | median)
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v f="$files" -v cw="$catwall" -v cc="$catcpu" \
    -v r="${RSS[$name]}" -v pf="$faults" 'BEGIN {
      printf "%-18s %8.3f %8.2f %11.1f %11.1f %7.2f %7.2f %9.1f %8d\n", n, w, c, w * 1e6 / f,
        c * 1e6 / f, w / cw, (cc > 0 ? c / cc : 0), r / 1024, pf }'
done
echo "   (wall and cpu (user+system, 10 ms resolution) are medians of $RUNS interleaved rounds;"
echo "    us/f = microseconds per Dockerfile; x cat = ratio to the cat row; peak MiB = max RSS;"
echo "    faults = minor page faults, each about 10 us on the VMs these numbers come from)"
