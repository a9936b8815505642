#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 12's registry benchmark: lint an image straight from a local registry
# (docker-registry on loopback, plain HTTP) against linting the same image
# from its file, and against `skopeo copy` of it to an oci-archive, all in one
# run. Prints medians and ratios (wall and CPU) and imglint's peak RSS.
#
#   bench/registry.sh                  # 1 GiB gzip OCI image, 3 runs
#   bench/registry.sh --size 64M       # smoke run
#   bench/registry.sh --runs 5 --jobs 2
set -euo pipefail

BUILD=${BUILD:-/work/build-bench}
DATA=${DATA:-/work/bench-data}
SIZE=1G
RUNS=3
JOBS=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    -h|--help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

IMGLINT=$BUILD/cli/imglint
MAKE_IMAGE=$BUILD/bench/make_image
for tool in "$IMGLINT" "$MAKE_IMAGE" /usr/bin/docker-registry /usr/bin/skopeo /usr/bin/time; do
  [[ -x $tool ]] || { echo "missing $tool (cmake --build $BUILD --target imglint make_image;" \
                           "apt-get install docker-registry skopeo time)" >&2; exit 2; }
done
mkdir -p "$DATA"
IMAGE=$DATA/registry-oci-gzip-$SIZE.tar
if [[ ! -s $IMAGE ]]; then
  "$MAKE_IMAGE" --format oci --compression gzip --size "$SIZE" --out "$IMAGE.part" >&2
  mv "$IMAGE.part" "$IMAGE"
fi

WORK=$(mktemp -d "$DATA/registry-bench.XXXXXX")
REGISTRY_PID=""
cleanup() {
  [[ -n $REGISTRY_PID ]] && kill "$REGISTRY_PID" 2>/dev/null && wait "$REGISTRY_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WORK/config.yml" <<EOF
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $WORK/storage}}
http: {addr: 127.0.0.1:$PORT}
EOF
docker-registry serve "$WORK/config.yml" > "$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/v2/" > /dev/null && break; sleep 0.1; done
REF=127.0.0.1:$PORT/bench:1
skopeo copy --quiet --dest-tls-verify=false "oci-archive:$IMAGE" "docker://$REF"
# The layer blobs' URLs, for the transport baseline: curl downloading them
# to /dev/null is what any HTTP client pays to receive these bytes here.
BLOB_URLS=()
while read -r digest; do
  BLOB_URLS+=(-o /dev/null "http://127.0.0.1:$PORT/v2/bench/blobs/$digest")
done < <(curl -fs -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
           "http://127.0.0.1:$PORT/v2/bench/manifests/1" |
         python3 -c 'import json,sys; [print(l["digest"]) for l in json.load(sys.stdin)["layers"]]')
(( ${#BLOB_URLS[@]} > 0 )) || { echo "no layers in the pushed manifest" >&2; exit 1; }
PARALLEL=${JOBS:-$(nproc)}

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# CPU seconds the registry server has used so far (utime + stime).
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$REGISTRY_PID/stat"; }
declare -A WALLS CPUS RSS SERVER
run_once() {  # NAME CMD...
  local name=$1; shift
  local before; before=$(server_cpu)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > /dev/null 2> "$WORK/stderr" || {
    echo "$name failed:" >&2; cat "$WORK/stderr" >&2; exit 1; }
  read -r wall user sys kb < "$WORK/time"
  WALLS[$name]+="$wall "
  CPUS[$name]+="$(echo "$user + $sys" | bc) "
  SERVER[$name]+="$(echo "$(server_cpu) - $before" | bc) "
  (( kb / 1024 > ${RSS[$name]:-0} )) && RSS[$name]=$((kb / 1024))
  return 0
}

JOBS_FLAG=()
[[ -n $JOBS ]] && JOBS_FLAG=(--jobs "$JOBS")
LINT=("$IMGLINT" "${JOBS_FLAG[@]}" --no-cache --format json --fail-on never)
ROWS=(file registry "skopeo copy" "curl blobs" "file + curl")
# Rows take turns within each round, so a neighbour's load on this shared
# machine falls on all of them alike instead of on whichever ran last.
for _ in $(seq "$RUNS"); do
  run_once file "${LINT[@]}" "$IMAGE"
  run_once registry "${LINT[@]}" "docker://$REF"
  run_once "skopeo copy" skopeo copy --quiet --src-tls-verify=false "docker://$REF" \
    "oci-archive:$WORK/copy.tar"
  run_once "curl blobs" curl -fs --parallel --parallel-max "$PARALLEL" "${BLOB_URLS[@]}"
  # The two at once, uncoupled: the decoding work and the transport sharing
  # this machine's cores — the wall time no registry client could beat here.
  run_once "file + curl" bash -c 'lint=("${@:2:$1}"); shift $(($1 + 1))
    "${lint[@]}" > /dev/null & curl -fs --parallel --parallel-max '"$PARALLEL"' "$@" || exit 1
    wait $!' _ $((${#LINT[@]} + 1)) "${LINT[@]}" "$IMAGE" "${BLOB_URLS[@]}"
done
declare -A WALL CPU SRV
for row in "${ROWS[@]}"; do
  WALL[$row]=$(tr ' ' '\n' <<< "${WALLS[$row]}" | grep . | median)
  CPU[$row]=$(tr ' ' '\n' <<< "${CPUS[$row]}" | grep . | median)
  SRV[$row]=$(tr ' ' '\n' <<< "${SERVER[$row]}" | grep . | median)
done

echo "image: $IMAGE ($(du -h "$IMAGE" | cut -f1)), $RUNS runs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %8s %8s %9s %9s %9s %10s\n' row "wall s" "cpu s" "x file" "cpu x f" "peak MiB" \
  "server cpu"
for row in "${ROWS[@]}"; do
  printf '%-12s %8s %8s %9.2f %9.2f %9s %10s\n' "$row" "${WALL[$row]}" "${CPU[$row]}" \
    "$(echo "${WALL[$row]} / ${WALL[file]}" | bc -l)" "$(echo "${CPU[$row]} / ${CPU[file]}" | bc -l)" \
    "${RSS[$row]}" "${SRV[$row]}"
done
echo "(medians; rows interleaved per round; server cpu: the registry process's CPU seconds;"
echo " curl blobs: the layer blobs downloaded to /dev/null, $PARALLEL at a time, no decoding;"
echo " file + curl: the file row and the curl row at the same time)"
# When every core is busy, wall time follows the CPU all processes need. The
# transport alone (curl's CPU and the server's) then sets the lowest wall
# ratio any client decoding on this machine could reach.
printf 'transport floor when the cores are saturated: (file cpu + curl cpu + server cpu) / file cpu = %.2f\n' \
  "$(echo "(${CPU[file]} + ${CPU[curl blobs]} + ${SRV[curl blobs]}) / ${CPU[file]}" | bc -l)"
printf 'measured floor: the file + curl row, %.2fx file; registry is %.2fx that\n' \
  "$(echo "${WALL[file + curl]} / ${WALL[file]}" | bc -l)" \
  "$(echo "${WALL[registry]} / ${WALL[file + curl]}" | bc -l)"
echo "targets: registry <= 1.2x file (wall), registry < skopeo copy (wall), peak RSS < 100 MiB"
