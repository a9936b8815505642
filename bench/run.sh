#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the issue-7 benchmark: imglint against the baselines measured in the
# same run, on the same layers. See bench/README.md.
#
#   bench/run.sh                      # default set at 1 GiB (oci-gzip, oci-zstd, docker-none)
#   bench/run.sh --size 64M --runs 3  # smoke run, seconds
#   bench/run.sh --sets oci-gzip --mem # one set, plus the 4 GiB memory-bound images
#   bench/run.sh IMAGE.tar ...        # existing images
set -euo pipefail

BUILD=${BUILD:-/work/build-bench}
DATA=${DATA:-/work/bench-data}
SIZE=1G
ENTRIES=""
LAYERS=5
RUNS=3
SETS="oci-gzip oci-zstd docker-none"
MEM=0
IMAGES=()

usage() {
  sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'
  echo "options: --size S --entries N --layers N --runs N --sets 'oci-gzip oci-zstd docker-none'"
  echo "         --mem (also the 4 GiB single-layer and 4 GiB zeros images: peak RSS)"
  echo "env: BUILD=$BUILD (imglint, make_image, walk_baseline)  DATA=$DATA"
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE=$2; shift 2 ;;
    --entries) ENTRIES=$2; shift 2 ;;
    --layers) LAYERS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --sets) SETS=$2; shift 2 ;;
    --mem) MEM=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) IMAGES+=("$1"); shift ;;
  esac
done

IMGLINT=$BUILD/cli/imglint
MAKE_IMAGE=$BUILD/bench/make_image
WALK=$BUILD/bench/walk_baseline
for tool in "$IMGLINT" "$MAKE_IMAGE" "$WALK"; do
  [[ -x $tool ]] || { echo "missing $tool: cmake --build $BUILD --target imglint make_image walk_baseline" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "install GNU time: apt-get install time" >&2; exit 2; }
mkdir -p "$DATA"

bytes_of() {  # 64M -> bytes
  local s=$1 n=${1%[KMG]}
  case $s in *K) echo $((n << 10)) ;; *M) echo $((n << 20)) ;; *G) echo $((n << 30)) ;; *) echo "$s" ;; esac
}
# 78,650 entries per GiB (the issue's image), at least 1,000.
if [[ -z $ENTRIES ]]; then
  ENTRIES=$(( $(bytes_of "$SIZE") * 78650 / (1 << 30) ))
  (( ENTRIES < 1000 )) && ENTRIES=1000
fi

# generate FORMAT COMPRESSION SIZE ENTRIES LAYERS [--zeros] -> path (cached in $DATA)
generate() {
  local out="$DATA/$1-$2-$3-$4e-$5l${6:+-zeros}.tar"
  if [[ ! -s $out ]]; then
    echo "generating $out ..." >&2
    "$MAKE_IMAGE" --format "$1" --compression "$2" --size "$3" --entries "$4" --layers "$5" \
      ${6:+"$6"} --out "$out.part" >&2
    mv "$out.part" "$out"
  fi
  echo "$out"
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.4f\n", (v[NR/2]+v[NR/2+1])/2}'; }

# measure NAME CMD: runs CMD (a bash string) $RUNS times; records the median
# wall seconds, median user+sys seconds and the max peak RSS (KiB).
declare -A WALL CPU RSS STATUS
ORDER=()
measure() {
  local name=$1 cmd=$2 i t0 t1 walls="" cpus="" rss=0 rc=0 tf
  tf=$(mktemp)
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tf" bash -c "$cmd" >/dev/null 2>"$tf.err" || rc=$?
    t1=$(date +%s%N)
    walls+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}')"$'\n'
    cpus+="$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.4f", s}' "$tf")"$'\n'
    local r
    r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
    (( r > rss )) && rss=$r
    if (( rc != 0 )); then
      echo "  $name: exit status $rc: $(head -c 300 "$tf.err")" >&2
      break
    fi
  done
  WALL[$name]=$(printf '%s' "$walls" | median)
  CPU[$name]=$(printf '%s' "$cpus" | median)
  RSS[$name]=$rss
  STATUS[$name]=$rc
  ORDER+=("$name")
  rm -f "$tf" "$tf.err"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
# check VALUE LIMIT -> "ok" / "MISS"
check() { awk -v v="$1" -v l="$2" 'BEGIN {print (v != "-" && v <= l) ? "ok" : "MISS"}'; }

# Layer blobs of an extracted image: gzip/zstd magic or a ustar header.
find_layers() {
  local f magic
  while IFS= read -r -d '' f; do
    magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
    if [[ $magic == 1f8b* || $magic == 28b52ffd ]] ||
       [[ $(dd if="$f" bs=1 skip=257 count=5 status=none 2>/dev/null) == ustar ]]; then
      printf '%s\n' "$f"
    fi
  done < <(find "$1" -type f -print0 | sort -z)
}

bench_image() {
  local image=$1 tmp layers kind base walk walkh
  tmp=$(mktemp -d "$DATA/run.XXXXXX")
  tar -xf "$image" -C "$tmp"
  mapfile -t LAYER_FILES < <(find_layers "$tmp")
  layers=$(printf '%q ' "${LAYER_FILES[@]}")
  case $(head -c 4 "${LAYER_FILES[0]}" | od -An -tx1 | tr -d ' \n') in
    1f8b*) kind=gzip ;; 28b52ffd) kind=zstd ;; *) kind=none ;;
  esac
  local blob_bytes tar_entries
  blob_bytes=$(cat "${LAYER_FILES[@]}" | wc -c)
  tar_entries=$("$WALK" "${LAYER_FILES[@]}" | sed -n 's/.*entries=\([0-9]*\).*/\1/p')
  ORDER=()
  echo
  echo "== $(basename "$image"): ${#LAYER_FILES[@]} $kind layers, $((blob_bytes >> 20)) MiB of blobs, $tar_entries entries; median of $RUNS runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
  case $kind in
    gzip) base="gzip -dc"; measure "$base" "gzip -dc $layers" ;;
    zstd) base="zstd -dc"; measure "$base" "zstd -dcq $layers" ;;
    none) base="cat"; measure "$base" "cat $layers" ;;
  esac
  measure "walk" "$WALK $layers"
  measure "walk+hash" "$WALK --hash $layers"
  walk=walk walkh=walk+hash
  if [[ $kind == none ]]; then
    measure "seek-walk" "$WALK --seek $layers"
    measure "seek-walk+hash" "$WALK --seek --hash $layers"
    walk=seek-walk walkh=seek-walk+hash
  fi
  if [[ $kind == gzip ]] && "$WALK" --isal "${LAYER_FILES[0]}" >/dev/null 2>&1; then
    measure "isal-walk+hash" "$WALK --isal --hash $layers"
    measure "isal-walk+hash j2" "$WALK --isal --hash --jobs 2 $layers"
  fi
  local opts="--format json --fail-on never"
  measure "imglint --jobs 1" "$IMGLINT --jobs 1 $opts $(printf '%q' "$image")"
  measure "imglint" "$IMGLINT $opts $(printf '%q' "$image")"
  measure "imglint --jobs 1 stdin" "$IMGLINT --jobs 1 $opts - < $(printf '%q' "$image")"
  rm -rf "$tmp"

  echo "   (x base = wall / '$base' wall; x walkh = wall / '$walkh' wall; cpu x = the same with cpu s)"
  printf '%-24s %8s %8s %7s %7s %7s %7s %8s  %s\n' "command" "wall s" "cpu s" "x base" "x walkh" \
    "cpu x b" "cpu x w" "peak MiB" "issue-7 target (on wall)"
  local name t
  for name in "${ORDER[@]}"; do
    t=""
    case "$kind/$name" in
      gzip/"imglint --jobs 1") t="<= 0.40 x base: $(check "$(ratio "${WALL[$name]}" "${WALL[$base]}")" 0.40)" ;;
      gzip/imglint) t="<= 0.25 x base (2 jobs): $(check "$(ratio "${WALL[$name]}" "${WALL[$base]}")" 0.25)" ;;
      zstd/"imglint --jobs 1") t="<= 1.4 x base: $(check "$(ratio "${WALL[$name]}" "${WALL[$base]}")" 1.4)" ;;
      zstd/imglint) t="<= 0.9 x base (2 jobs): $(check "$(ratio "${WALL[$name]}" "${WALL[$base]}")" 0.9)" ;;
      none/"imglint --jobs 1"|none/imglint) t="<= 1.3 x $walkh: $(check "$(ratio "${WALL[$name]}" "${WALL[$walkh]}")" 1.3)" ;;
    esac
    case $name in
      *stdin) t="<= 1.3 x file --jobs 1: $(ratio "${WALL[$name]}" "${WALL["imglint --jobs 1"]}") $(check "$(ratio "${WALL[$name]}" "${WALL["imglint --jobs 1"]}")" 1.3)" ;;
    esac
    if [[ $name == imglint* ]]; then
      t+="${t:+; }RSS <= 100 MiB: $(check $((RSS[$name] >> 10)) 100)"
    fi
    (( STATUS[$name] != 0 )) && t="FAILED (exit ${STATUS[$name]})"
    printf '%-24s %8.3f %8.3f %7s %7s %7s %7s %8d  %s\n' "$name" "${WALL[$name]}" "${CPU[$name]}" \
      "$(ratio "${WALL[$name]}" "${WALL[$base]}")" "$(ratio "${WALL[$name]}" "${WALL[$walkh]}")" \
      "$(ratio "${CPU[$name]}" "${CPU[$base]}")" "$(ratio "${CPU[$name]}" "${CPU[$walkh]}")" \
      $((RSS[$name] >> 10)) "$t"
  done
}

echo "imglint benchmark (issue 7): $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $($IMGLINT --version 2>/dev/null || echo imglint)"
if [[ ${#IMAGES[@]} -eq 0 ]]; then
  for set in $SETS; do
    IMAGES+=("$(generate "${set%-*}" "${set#*-}" "$SIZE" "$ENTRIES" "$LAYERS")")
  done
fi
for image in "${IMAGES[@]}"; do bench_image "$image"; done

if (( MEM )); then
  # Memory bound: same entry count as the 1 GiB image, 4x the bytes in one
  # layer; and a 4 GiB file of zeros (a decompression bomb, ~1000x).
  big=$(generate oci gzip 4G 78650 1)
  bomb=$(generate oci gzip 4G 100 1 --zeros)
  ref=$(generate oci gzip 1G 78650 5)
  echo
  echo "== memory bound: imglint peak RSS (1 run each), load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-44s %9s %9s %9s\n' "image" "wall s" "cpu s" "peak MiB"
  saved=$RUNS; RUNS=1; ORDER=()
  for image in "$ref" "$big" "$bomb"; do
    measure "$(basename "$image")" "$IMGLINT --format json --fail-on never $(printf '%q' "$image")"
  done
  measure "stdin $(basename "$big")" "$IMGLINT --format json --fail-on never - < $(printf '%q' "$big")"
  RUNS=$saved
  for name in "${ORDER[@]}"; do
    printf '%-44s %9.3f %9.3f %9d  %s\n' "$name" "${WALL[$name]}" "${CPU[$name]}" \
      $((RSS[$name] >> 10)) "$( (( STATUS[$name] != 0 )) && echo "FAILED (exit ${STATUS[$name]})" || echo "target <= 100 MiB: $(check $((RSS[$name] >> 10)) 100)")"
  done
fi
