#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/infra/daemons.sh start|stop STATE_DIR
#
# Real container engines for tests/daemon, isolated from anything the machine
# already runs: a Docker Engine (Debian docker.io 20.10) on its own containerd,
# and a rootful Podman 4.3 API service, each with its own socket, storage and
# state under STATE_DIR. The CTest fixture `daemons` runs `start` once before
# the daemon tests and `stop` after them.
#
# `start` writes STATE_DIR/daemons.json:
#   {"docker": {"host": "unix://…/docker.sock", "ok": true, "error": "", …},
#    "podman": {"host": "unix://…/podman.sock", "ok": true, "error": "", …}, …}
# A daemon that cannot start gets "ok": false and the reason (its last log
# lines); the other still starts, and `start` still exits 0, so that every
# test needing the missing daemon fails naming the reason instead of being
# skipped. Both engines get the base image imglint-test/base:1: busybox-static
# plus /usr/local/bin/probe (tests/infra/bind_probe.c, static), and
# STATE_DIR/base/capprobe.tar holds the probe again as usr/local/bin/capprobe
# with the file capability cap_net_bind_service=ep (a tar made with --xattrs,
# for Dockerfiles to ADD).
#
# Never touches /var/run/docker.sock, a system containerd or the system
# Podman storage, and writes nothing outside STATE_DIR but the containers'
# cgroups (removed by stop): the daemons run in a private mount namespace
# (start_sandbox), and are not started without one.
# Needs root (rootful engines), util-linux, gcc (static libc), tar, setcap.
set -euo pipefail

readonly BASE_IMAGE=imglint-test/base:1
# Longest socket path is STATE/docker/exec/libnetwork/<12 hex>.sock (41 bytes
# after STATE); unix socket paths stop at 107 bytes.
readonly MAX_STATE_LENGTH=60
readonly START_TIMEOUT=60  # seconds for each daemon to answer
readonly MARKER=.imglint-daemons-state

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
}

log() { echo "daemons.sh: [$(date +%T.%3N)] $*" >&2; }

# Prints $1 as a JSON string (control characters other than \n \t dropped).
json_string() {
  local s
  s=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037')
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# The last lines of a log, for daemons.json and the setup test's output.
log_tail() { [ -f "$1" ] && tail -n "${2:-8}" "$1" || echo "(no log at $1)"; }

# pid_ours PIDFILE: prints the pid in PIDFILE if that process is still one we
# started (its command line names this state directory), so a recycled pid is
# never signalled.
pid_ours() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(<"$1")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  names_state "$pid" || return 1
  echo "$pid"
}

# names_state PID: does the process's command line name this state
# directory? (Builtins only: stop runs it on every process.)
names_state() {
  local args=()
  { mapfile -d '' -t args <"/proc/$1/cmdline"; } 2>/dev/null || return 1
  [[ " ${args[*]} " == *"$state/"* || " ${args[*]} " == *"$state "* ]]
}

# stop_pids PIDFILE...: SIGTERM to each process still ours, up to 15 s for
# them to exit cleanly, then SIGKILL.
stop_pids() {
  local pidfile pid pids=() i
  for pidfile in "$@"; do
    if pid=$(pid_ours "$pidfile"); then
      log "stopping $(basename "$(dirname "$pidfile")")/$(basename "$pidfile" .pid) (pid $pid)"
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  for ((i = 0; i < 150 && ${#pids[@]}; i++)); do
    sleep 0.1
    for pid in "${!pids[@]}"; do kill -0 "${pids[$pid]}" 2>/dev/null || unset "pids[$pid]"; done
  done
  for pid in "${pids[@]}"; do
    log "pid $pid ignored SIGTERM for 15s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# holder_pid: prints the pid of the process holding the sandbox's mount
# namespace if it still holds it (`sleep infinity` names no state directory,
# so the namespace recorded at start identifies it).
holder_pid() {
  local pid
  [ -s "$state/sandbox/holder.pid" ] && [ -s "$state/sandbox/mntns" ] || return 1
  pid=$(<"$state/sandbox/holder.pid")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" = "$(<"$state/sandbox/mntns")" ] || return 1
  echo "$pid"
}

docker_cli() {
  DOCKER_CONFIG="$state/docker/cli" DOCKER_BUILDKIT=0 "$docker_bin" -H "unix://$state/docker.sock" "$@"
}
podman_cli() {
  CONTAINERS_CONF="$state/podman/containers.conf" "$podman_bin" --remote --url "unix://$state/podman.sock" "$@"
}

# The Docker CLI must speak to dockerd 20.10 the way its own CLI does: prefer
# the docker.io package's /usr/bin/docker over a newer one earlier in PATH
# (Docker CLI >= 23 would hand `docker build` to BuildKit/buildx).
docker_bin=/usr/bin/docker
[ -x "$docker_bin" ] || docker_bin=$(command -v docker || echo docker)
podman_bin=$(command -v podman || echo podman)

stop() {
  [ -d "$state" ] || return 0
  # Containers first, while the daemons can still remove them: a container
  # outlives a killed daemon (its shim or conmon keeps it running).
  if [ -S "$state/docker.sock" ] && docker_cli version >/dev/null 2>&1; then
    local ids=()
    mapfile -t ids < <(docker_cli ps -aq 2>/dev/null || true)
    ((${#ids[@]} == 0)) || docker_cli rm -f "${ids[@]}" >/dev/null 2>&1 || true
  fi
  if [ -S "$state/podman.sock" ] && podman_cli images -q >/dev/null 2>&1; then
    podman_cli rm --all --force >/dev/null 2>&1 || true
  fi
  stop_pids "$state/podman/service.pid" "$state/docker/dockerd.pid"
  stop_pids "$state/containerd/containerd.pid"  # after dockerd, which shuts down through it

  # Leftover shims and conmon processes (they daemonize, so no pid file holds
  # them): processes whose command line names this state directory.
  local proc pid
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    [ "$pid" != $$ ] || continue
    if names_state "$pid"; then
      case "$(readlink "$proc/exe" 2>/dev/null)" in
        */containerd-shim*|*/conmon|*/runc|*/dockerd|*/containerd|*/podman)
          log "killing leftover $(readlink "$proc/exe") (pid $pid)"
          kill -KILL "$pid" 2>/dev/null || true ;;
      esac
    fi
  done

  # The namespace holder last: with it gone the namespace and every mount the
  # daemons made inside it disappear.
  local holder
  if holder=$(holder_pid); then
    kill -KILL "$holder" 2>/dev/null || true
  fi
  rm -f "$state/sandbox/holder.pid" "$state/sandbox/mntns"

  # Should anything have leaked into this namespace: unmount what is left
  # under STATE, deepest first. -n: do not record in /run/mount.
  local mounts m
  mounts=$(awk -v s="$state/" 'index($5, s) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
  for m in $mounts; do
    m=$(printf '%b' "${m//\\/\\0}")  # mountinfo escapes spaces etc. as \040
    umount -n "$m" 2>/dev/null || umount -n -l "$m" 2>/dev/null || log "could not unmount $m"
  done

  # Cgroups the engines made, once empty: dockerd's parent (named after this
  # state directory), and Podman's fixed /libpod_parent (no setting moves
  # it) if it did not exist before start.
  local parent
  if [ -s "$state/docker/cgroup-parent" ]; then
    parent=$(<"$state/docker/cgroup-parent")
    find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "$parent" -exec rmdir {} + 2>/dev/null || true
  fi
  if [ -e "$state/podman/made-libpod-parent" ]; then
    find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -path '*/libpod_parent/conmon' \
      -exec rmdir {} + 2>/dev/null || true
    find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name libpod_parent \
      -exec rmdir {} + 2>/dev/null || true
  fi
}

# The private mount namespace. The engines write to a few host paths no flag
# moves: containerd's shim sockets (/run/containerd/s), dockerd's plugin
# directory (/run/docker/plugins), runc's state for Podman (/run/runc), the
# containers/image blob-info cache (/var/lib/containers/cache) and short-name
# lock (/var/cache/containers). Inside the namespace /run, /var/lib and
# /var/cache are overlays whose upper layers live in STATE, so none of that
# reaches the host (or a system Docker/Podman), and every mount the daemons
# make (overlay layers, netns bind mounts, shm) vanishes with the namespace
# instead of leaking into the host's mount table.
start_sandbox() {
  mkdir -p "$state/sandbox"
  setsid unshare --mount --propagation private -- sleep infinity </dev/null >/dev/null 2>&1 &
  local pid=$! own i
  own=$(readlink /proc/self/ns/mnt)
  for ((i = 0; i < 100; i++)); do
    [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" != "$own" ] && break
    sleep 0.05
  done
  if [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" = "$own" ]; then
    kill -KILL "$pid" 2>/dev/null || true
    sandbox="unavailable: unshare --mount did not create a namespace"
    return 1
  fi
  local dir name err=""
  for dir in /run /var/lib /var/cache; do
    name=${dir//\//_}
    mkdir -p "$state/sandbox/upper$name" "$state/sandbox/work$name"
    if ! err=$(nsenter --mount="/proc/$pid/ns/mnt" -- mount -n -t overlay overlay \
      -o "lowerdir=$dir,upperdir=$state/sandbox/upper$name,workdir=$state/sandbox/work$name" \
      "$dir" 2>&1); then
      kill -KILL "$pid" 2>/dev/null || true
      sandbox="unavailable: overlay on $dir failed: $err"
      return 1
    fi
  done
  echo "$pid" >"$state/sandbox/holder.pid"
  readlink "/proc/$pid/ns/mnt" >"$state/sandbox/mntns"
  sandbox="private mount namespace; /run, /var/lib and /var/cache are overlays on $state/sandbox"
}

# spawn PIDFILE LOG PROGRAM ARGS...: starts a daemon in the sandbox, detached
# from this script (own session, no inherited pipes: ctest waits for the
# setup test's output pipes to close), and records its pid.
spawn() {
  local pidfile=$1 logfile=$2 holder
  shift 2
  holder=$(holder_pid) || { echo "the sandbox is gone" >"$logfile"; return; }
  # setsid does not fork here (a background job is not a group leader), and
  # nsenter and env exec: $! is the daemon's own pid.
  setsid nsenter "--mount=/proc/$holder/ns/mnt" -- env TMPDIR="$state/tmp" "$@" \
    </dev/null >"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

# wait_for NAME PIDFILE LOG COMMAND...: polls COMMAND until it succeeds, the
# daemon dies or START_TIMEOUT passes; on failure sets `why`.
wait_for() {
  local name=$1 pidfile=$2 logfile=$3
  shift 3
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! pid_ours "$pidfile" >/dev/null; then
      why="$name exited during start-up; its log ends:"$'\n'"$(log_tail "$logfile")"
      return 1
    fi
    sleep 0.2
  done
  why="$name did not answer within ${START_TIMEOUT}s; its log ends:"$'\n'"$(log_tail "$logfile")"
  return 1
}

# The base image's inputs: a busybox rootfs with the bind probe, and the
# probe again with a file capability, in a tar that keeps the xattr.
make_base() {
  local base=$state/base
  mkdir -p "$base"
  gcc -static -O2 -Wall -Werror -o "$base/probe" "$here/bind_probe.c"
  local rootfs=$base/rootfs
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,tmp}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  # In a chroot so the applet links point at /bin/busybox, not at this host path.
  chroot "$rootfs" /bin/busybox --install -s
  cp "$base/probe" "$rootfs/usr/local/bin/probe"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'app:x:1000:1000:app:/home/app:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'app:x:1000:' 'nogroup:x:65534:' >"$rootfs/etc/group"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$base/rootfs.tar" .

  mkdir -p "$base/capfs/usr/local/bin"
  cp "$base/probe" "$base/capfs/usr/local/bin/capprobe"
  capprobe_error=""
  if ! err=$(setcap cap_net_bind_service=ep "$base/capfs/usr/local/bin/capprobe" 2>&1); then
    capprobe_error="setcap failed on $base: $err"
  elif ! getcap "$base/capfs/usr/local/bin/capprobe" | grep -q cap_net_bind_service; then
    capprobe_error="setcap left no capability on $base/capfs/usr/local/bin/capprobe"
  else
    tar --xattrs --xattrs-include='security.capability' --numeric-owner --owner=0 --group=0 \
      -C "$base/capfs" -cf "$base/capprobe.tar" usr/local/bin/capprobe
  fi
}

start_containerd() {
  mkdir -p "$state/containerd"
  cat >"$state/containerd/config.toml" <<EOF
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
# Kubernetes' CRI plugin is not needed by dockerd and would touch /etc/cni.
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$state/containerd.sock"
[ttrpc]
  address = "$state/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$state/containerd/opt"
EOF
  spawn "$state/containerd/containerd.pid" "$state/containerd/containerd.log" \
    containerd --config "$state/containerd/config.toml"
}

# dockerd on our own containerd: given no --containerd, dockerd 20.10 would
# use a system containerd whenever /run/containerd/containerd.sock exists.
start_dockerd() {
  mkdir -p "$state/docker/cli"
  # An empty client config: the CLI reads no ~/.docker (contexts, credsStore).
  echo "{}" >"$state/docker/cli/config.json"
  # daemon.json replaces /etc/docker/daemon.json; the trust key would
  # otherwise be written to /etc/docker/key.json.
  printf '{"deprecated-key-path": "%s/docker/key.json"}\n' "$state" >"$state/docker/daemon.json"
  local parent
  parent="imglint-test-$(printf '%s' "$state" | md5sum | cut -c1-8)"
  echo "$parent" >"$state/docker/cgroup-parent"
  # overlay2: Docker's default on this kernel, layers shared instead of
  # copied (vfs copies the whole rootfs per layer and container; it keeps
  # file capabilities too, but is slower); its mounts stay in the sandbox.
  spawn "$state/docker/dockerd.pid" "$state/docker/dockerd.log" \
    dockerd --config-file "$state/docker/daemon.json" \
    -H "unix://$state/docker.sock" \
    --data-root "$state/docker/data" --exec-root "$state/docker/exec" \
    --pidfile "$state/docker/dockerd.pid.own" \
    --containerd "$state/containerd.sock" \
    --containerd-namespace imglint-test --containerd-plugins-namespace imglint-test-plugins \
    --storage-driver "$docker_driver" \
    --iptables=false --ip-masq=false --bridge=none \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "$parent"
}

# Rootful Podman, configured only by files in STATE (CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF replace /etc/containers/{containers,storage}.conf).
start_podman() {
  local p=$state/podman runroot
  mkdir -p "$p/networks" "$p/tmp" "$p/copy-tmp"
  if [ -z "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name libpod_parent -print -quit)" ]; then
    touch "$p/made-libpod-parent"  # stop removes it again
  fi
  # Podman refuses a runroot longer than 50 characters, and a longer one in
  # storage.conf breaks the `podman container cleanup` that conmon runs when a
  # container exits (every `podman run` then waits 20 s). In the sandbox /run
  # is an overlay on STATE, so a short path there is still ours alone.
  runroot=/run/imglint-podman
  cat >"$p/containers.conf" <<EOF
[containers]
# Rootful Podman would raise RLIMIT_NOFILE/NPROC past this machine's limits.
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
# A private network namespace with only loopback, like Docker's with
# --bridge=none: the bridge network would need CNI, iptables and host
# interfaces. ip_unprivileged_port_start is per network namespace and starts
# at 1024 in every new one, so this does not change what the tests measure.
netns = "none"
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$p/events.log"
tmp_dir = "$p/tmp"
static_dir = "$p/root/libpod"
volume_path = "$p/volumes"
image_copy_tmp_dir = "$p/copy-tmp"
# File locks in tmp_dir: the default shm segment /dev/shm/libpod_lock would
# be shared with a system Podman.
lock_type = "file"

[network]
network_backend = "cni"
network_config_dir = "$p/networks"
EOF
  cat >"$p/storage.conf" <<EOF
[storage]
driver = "$podman_driver"
graphroot = "$p/root"
runroot = "$runroot"
EOF
  spawn "$p/service.pid" "$p/service.log" \
    env CONTAINERS_CONF="$p/containers.conf" CONTAINERS_STORAGE_CONF="$p/storage.conf" \
    podman --root "$p/root" --runroot "$runroot" system service --time=0 "unix://$state/podman.sock"
}

import_base() {  # import_base docker|podman
  local cli="${1}_cli"
  "$cli" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' "$state/base/rootfs.tar" "$BASE_IMAGE" >/dev/null
}

# bring_up_docker / bring_up_podman: wait for the daemon and import the base
# image; the result goes to STATE/NAME/up (its version) or STATE/NAME/failed
# (why), so that podman's can run as a background job.
bring_up_docker() {
  local why="" err
  if ! wait_for containerd "$state/containerd/containerd.pid" "$state/containerd/containerd.log" \
    test -S "$state/containerd.sock"; then
    echo "containerd for dockerd: $why" >"$state/docker/failed"
    return
  fi
  start_dockerd
  if ! wait_for dockerd "$state/docker/dockerd.pid" "$state/docker/dockerd.log" docker_cli version; then
    echo "$why" >"$state/docker/failed"
  elif ! err=$(import_base docker 2>&1); then
    echo "docker import of the base image failed: $err" >"$state/docker/failed"
  else
    docker_cli version --format '{{.Server.Version}}' >"$state/docker/up" 2>/dev/null || echo "?" >"$state/docker/up"
  fi
}
bring_up_podman() {
  local why="" err
  # `podman version` takes 2 s on the server; listing images answers at once.
  if ! wait_for "podman system service" "$state/podman/service.pid" "$state/podman/service.log" \
    podman_cli images -q; then
    echo "$why" >"$state/podman/failed"
  elif ! err=$(import_base podman 2>&1); then
    echo "podman import of the base image failed: $err" >"$state/podman/failed"
  else
    # The service is this same binary.
    "$podman_bin" --version | awk '{ print $NF }' >"$state/podman/up"
  fi
}

daemon_json() {  # daemon_json NAME OK ERROR VERSION DRIVER ENVNAME ENVVALUE CLI
  printf '  "%s": {"host": %s, "ok": %s, "error": %s, "version": %s, "storage_driver": %s,\n' \
    "$1" "$(json_string "unix://$state/$1.sock")" "$2" "$(json_string "$3")" \
    "$(json_string "$4")" "$(json_string "$5")"
  printf '    "cli": %s, "cli_env": {%s: %s}},\n' "$(json_string "$8")" \
    "$(json_string "$6")" "$(json_string "$7")"
}

# start_daemons: containerd, dockerd and Podman up, the base image in both;
# sets start's docker_ok/docker_version/docker_error and podman_*.
start_daemons() {
  log "starting containerd, podman and dockerd"
  start_containerd
  start_podman
  # Podman's first import takes ~4 s (its storage probes overlay features
  # once): it runs alongside dockerd's start-up.
  bring_up_podman &
  local podman_job=$!
  bring_up_docker
  wait "$podman_job" || true
  if [ -s "$state/docker/up" ]; then
    docker_ok=true
    docker_version=$(<"$state/docker/up")
  else
    docker_error=$(cat "$state/docker/failed" 2>/dev/null || echo "no result recorded")
  fi
  if [ -s "$state/podman/up" ]; then
    podman_ok=true
    podman_version=$(<"$state/podman/up")
  else
    podman_error=$(cat "$state/podman/failed" 2>/dev/null || echo "no result recorded")
  fi
}

start() {
  local t0=$SECONDS
  # Start from nothing, but only ever wipe a directory this script made.
  if [ -d "$state" ] && [ -n "$(ls -A "$state")" ] && [ ! -e "$state/$MARKER" ]; then
    echo "daemons.sh: $state is not empty and was not made by daemons.sh; not wiping it" >&2
    exit 2
  fi
  stop  # a previous run's daemons, if its cleanup never ran
  if [ -d "$state" ]; then rm -rf --one-file-system "$state"; fi
  mkdir -p "$state/tmp" "$state/docker" "$state/podman"
  touch "$state/$MARKER"

  local docker_ok=false podman_ok=false docker_error="" podman_error=""
  local docker_version="" podman_version=""
  sandbox="not started"
  capprobe_error="not made"
  docker_driver=overlay2
  podman_driver=overlay

  if [ "$(id -u)" -ne 0 ]; then
    docker_error="tests/infra/daemons.sh must run as root: rootful dockerd and Podman"
    podman_error=$docker_error
  else
    log "building the base rootfs and probe"
    make_base
    if start_sandbox; then
      log "sandbox: $sandbox"
      start_daemons
    else
      # No sandbox, no daemons: they would write to this machine's /run and /var/lib.
      docker_error="no private mount namespace for the daemons ($sandbox)"
      podman_error=$docker_error
    fi
  fi

  local port_start
  port_start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo -1)
  {
    echo "{"
    printf '  "state": %s,\n' "$(json_string "$state")"
    daemon_json docker "$docker_ok" "$docker_error" "$docker_version" "$docker_driver" \
      DOCKER_CONFIG "$state/docker/cli" "$docker_bin"
    daemon_json podman "$podman_ok" "$podman_error" "$podman_version" "$podman_driver" \
      CONTAINERS_CONF "$state/podman/containers.conf" "$podman_bin"
    printf '  "base_image": %s,\n' "$(json_string "$BASE_IMAGE")"
    printf '  "probe": %s,\n' "$(json_string "$state/base/probe")"
    printf '  "capprobe_tar": %s,\n' "$(json_string "$([ -z "$capprobe_error" ] && echo "$state/base/capprobe.tar")")"
    printf '  "capprobe_error": %s,\n' "$(json_string "$capprobe_error")"
    printf '  "host_ip_unprivileged_port_start": %s,\n' "$port_start"
    printf '  "sandbox": %s,\n' "$(json_string "$sandbox")"
    printf '  "setup_seconds": %s\n' "$((SECONDS - t0))"
    echo "}"
  } >"$state/daemons.json.tmp"
  mv "$state/daemons.json.tmp" "$state/daemons.json"

  log "docker: $([ "$docker_ok" = true ] && echo "up ($docker_version, $docker_driver)" || echo "FAILED: $docker_error")"
  log "podman: $([ "$podman_ok" = true ] && echo "up ($podman_version, $podman_driver)" || echo "FAILED: $podman_error")"
  log "state in $state/daemons.json after $((SECONDS - t0))s"
}

if [ $# -ne 2 ] || [ -z "$2" ]; then usage; fi
state=$(realpath -m -- "$2")  # absolute, no trailing slash, no ..
# The sandbox overlays /run, /var/lib and /var/cache: the state (and the
# sockets the tests connect to) must be outside them to be seen from here.
# A top-level directory (/, /tmp, /work) is never a state directory: start
# wipes it.
case "$state/" in
  /run/*|/var/run/*|/var/lib/*|/var/cache/*)
    echo "daemons.sh: STATE_DIR must not be under /run, /var/lib or /var/cache: $state" >&2
    exit 2 ;;
  /*/*/) ;;
  *)
    echo "daemons.sh: STATE_DIR must be a directory of its own, not $state" >&2
    exit 2 ;;
esac
if ((${#state} > MAX_STATE_LENGTH)); then
  echo "daemons.sh: STATE_DIR is ${#state} bytes, more than $MAX_STATE_LENGTH: the daemons'" \
    "unix socket paths under it would pass the 107-byte limit: $state" >&2
  exit 2
fi

case "$1" in
  start) start ;;
  stop)
    stop
    # Tests run by hand after this must not believe the daemons are up.
    if [ -f "$state/daemons.json" ]; then mv "$state/daemons.json" "$state/daemons.stopped.json"; fi
    log "stopped (state and logs kept in $state)" ;;
  *) usage ;;
esac
