#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Records what an imglint binary reports for the demo image, the fixtures and
# the shared corpus, or compares a binary against such a record: a refactor
# must not change findings, messages, fingerprints or exit codes.
#
#   scripts/compare-findings.sh record DIR [BINARY]   # write DIR/<case>.{json,txt,sarif,rc}
#   scripts/compare-findings.sh compare DIR [BINARY]  # run again, diff against DIR
#
# BINARY defaults to build/cli/imglint. Run from anywhere; paths on the
# command lines are relative to the repository root, as the fixture tests
# pass them. CORPUS (default ../shared/corpus) and JOBS (default 2) may be set;
# EXTRA=DIR adds one case per subdirectory of DIR (all its files linted
# together, e.g. an image with the Dockerfile and manifests that use it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-}
DIR=${2:-}
BINARY=$(realpath "${3:-$ROOT/build/cli/imglint}")
CORPUS=$(realpath "${CORPUS:-$ROOT/../shared/corpus}")
JOBS=${JOBS:-2}
if [[ ($MODE != record && $MODE != compare) || -z $DIR ]]; then
  sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
[[ -x $BINARY ]] || { echo "no binary at $BINARY" >&2; exit 2; }

# One case per line: NAME<TAB>FORMATS<TAB>ARGS... (args split on spaces).
cases() {
  cd "$ROOT"
  local all="json txt sarif"
  printf 'demo\t%s\tfixtures/demo/demo-image.tar\n' "$all"
  for t in fixtures/interop/interop-oci.tar fixtures/interop/interop-docker.tar \
           fixtures/interop/oci-dir; do
    printf '%s\t%s\t%s\n' "$t" "$all" "$t"
  done
  local f args
  while IFS= read -r f; do
    args=$(sed -n 's/^[[:space:]]*#[[:space:]]*args:[[:space:]]*//p' "$f" | tr '\n' ' ')
    printf '%s\t%s\t%s%s\n' "$f" "$all" "$args" "$f"
    printf '%s@podman\tjson\t--runtime podman %s\n' "$f" "$f"
  done < <(find fixtures/dockerfile fixtures/manifest -type f \
             \( -name '*.Dockerfile' -o -name '*.yaml' -o -name '*.yml' \) | sort)
  local d
  while IFS= read -r d; do
    printf '%s/\t%s\t%s\n' "$d" "$all" "$d"
  done < <(find fixtures -mindepth 1 -maxdepth 2 -type d ! -path '*/oci-dir*' | sort; echo fixtures)
  printf 'everything\t%s\tfixtures/demo/demo-image.tar fixtures/interop/oci-dir fixtures/dockerfile fixtures/manifest\n' "$all"
  # The corpus: every file on its own; Dockerfiles forced with --dockerfile.
  while IFS= read -r f; do
    local rel=${f#"$CORPUS"/}
    case $rel in
      dockerfiles/*)
        printf 'corpus/%s\tjson txt\t--dockerfile %s\n' "$rel" "$f"
        printf 'corpus/%s@podman\tjson\t--runtime podman --dockerfile %s\n' "$rel" "$f" ;;
      *.yaml | *.yml)
        printf 'corpus/%s\tjson txt\t%s\n' "$rel" "$f"
        printf 'corpus/%s@podman\tjson\t--runtime podman %s\n' "$rel" "$f" ;;
    esac
  done < <(find "$CORPUS" -type f | sort)
  if [[ -n ${EXTRA:-} ]]; then
    local dir files
    for dir in "$EXTRA"/*/; do
      dir=${dir%/}
      files=$(find "$dir" -maxdepth 1 -type f | sort | tr '\n' ' ')
      printf 'extra/%s\t%s\t%s\n' "${dir##*/}" "$all" "$files"
      printf 'extra/%s@podman\tjson txt\t--runtime podman %s\n' "${dir##*/}" "$files"
      printf 'extra/%s@cri-o\tjson\t--runtime cri-o %s\n' "${dir##*/}" "$files"
      printf 'extra/%s-dir\tjson\t%s\n' "${dir##*/}" "$dir"
      for f in $files; do
        printf 'extra/%s/%s\tjson txt\t%s\n' "${dir##*/}" "${f##*/}" "$f"
      done
    done
  fi
  for kind in dockerfiles kubernetes compose; do
    printf 'corpus-%s\tjson\t%s\n' "$kind" "$CORPUS/$kind"
  done
}

run_case() {  # OUT NAME FORMATS ARGS...
  local out=$1 name=$2 formats=$3
  shift 3
  local file="$out/${name//\//%}" fmt rc
  for fmt in $formats; do
    local flag=$fmt
    [[ $fmt == txt ]] && flag=text
    rc=0
    (cd "$ROOT" && "$BINARY" --format "$flag" "$@" >"$file.$fmt" 2>"$file.$fmt.err") || rc=$?
    echo "$rc" >"$file.$fmt.rc"
  done
}
export -f run_case
export ROOT BINARY

record() {  # OUT
  local out=$1
  mkdir -p "$out"
  # The text renderer colours nothing on a pipe; keep it that way.
  cases | while IFS=$'\t' read -r name formats args; do
    printf '%s\0%s\0%s\0' "$name" "$formats" "$args"
  done | xargs -0 -n3 -P "$JOBS" bash -c 'run_case "$0" "$1" "$2" $3' "$out"
  cases | wc -l >"$out/.cases"
}

case $MODE in
  record)
    rm -rf "$DIR"
    record "$DIR"
    echo "recorded $(cat "$DIR/.cases") cases ($(find "$DIR" -name '*.rc' | wc -l) runs) in $DIR"
    ;;
  compare)
    [[ -d $DIR ]] || { echo "no record at $DIR" >&2; exit 2; }
    NOW=$(mktemp -d)
    trap 'rm -rf "$NOW"' EXIT
    record "$NOW"
    runs=$(find "$DIR" -name '*.rc' | wc -l)
    if diff -r "$DIR" "$NOW" >"$NOW.diff" 2>&1; then
      echo "identical: $(cat "$DIR/.cases") cases, $runs runs"
      rm -f "$NOW.diff"
    else
      echo "DIFFERENT ($(grep -c '^diff \|^Only in' "$NOW.diff") files of $runs runs); diff in $NOW.diff"
      trap - EXIT
      echo "new record kept in $NOW"
      exit 1
    fi
    ;;
esac
