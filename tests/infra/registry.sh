#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Real OCI Distribution registries for the tests (issue 12): Debian's
# docker-registry (distribution 2.8) started on 127.0.0.1, on ephemeral ports
# chosen at start, one instance per way a registry can be reached:
#
#   plain     HTTP, anonymous
#   tls       HTTPS, server certificate signed by a CA made here (ca.pem)
#   basic     HTTPS (same CA) + htpasswd Basic auth
#   token     HTTP + distribution's auth.token, tokens from token_server.py
#   redirect  HTTP + htpasswd, the "redirect" storage middleware sends blob
#             GETs (307) to blob_server.py on a second loopback host, 127.0.0.2
#
# and two helpers that are not registries themselves:
#
#   flaky     flaky_server.py: forwards to plain, but a repository's name
#             scripts failures first (429, 5xx, a connection cut mid-body,
#             a gate that holds requests until several are in flight)
#   proxy     forward_proxy.py: an http_proxy/https_proxy for the made-up name
#             registry.test (and its subdomains), mapped to 127.0.0.1
#
# Usage: registry.sh start|stop STATE_DIR
#
# start wipes STATE_DIR, makes keys and configs there, starts everything, waits
# until every endpoint answers and writes STATE_DIR/registries.json (read by
# tests/support/registry_env.cc). stop kills what start left running (pid
# files; only processes whose command line names STATE_DIR, so a recycled pid is
# never hit) and is idempotent. Nothing is written outside STATE_DIR.
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly INFRA_DIR
readonly INSTANCES=(plain tls basic token redirect)
# Debian's interpreter, standard library only: a pyenv or venv python on PATH
# must not change what the helpers run on.
readonly PYTHON=/usr/bin/python3
readonly READY_TIMEOUT_SECONDS=30
readonly USERNAME=imglint-user
# A name no resolver knows (RFC 2606 reserves .test): only the proxy maps it.
readonly PROXY_DOMAIN=registry.test

die() {
  echo "registry.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
}

# The loopback endpoints must never go through a proxy from the environment.
curl_local() { curl --noproxy '*' --silent --show-error --max-time 3 "$@"; }

# alive PID: running and not a zombie. The servers are orphans once start
# exits, and whoever adopts them may reap late: a zombie counts as stopped.
alive() {
  local state
  state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# ours PID: the process's command line names the state dir, so a pid file
# left by a crash never makes us kill a recycled pid.
ours() {
  [[ $1 =~ ^[0-9]+$ && -r /proc/$1/cmdline ]] || return 1
  local args
  args=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ $args == *"$STATE/"* ]]
}

# strays: pids of servers this script started for STATE whose pid files are
# gone (someone deleted STATE while they ran): docker-registry with a config
# under STATE, or our Python servers with STATE in their arguments. Nothing
# else can match.
strays() {
  local file pid args
  # One grep over every command line first: a fork per process is slow.
  for file in $(grep -lsF -- "$STATE/" /proc/[0-9]*/cmdline || true); do
    pid=${file#/proc/}
    pid=${pid%/cmdline}
    args=$(tr '\0' ' ' 2>/dev/null <"$file") || continue
    case $args in
      "docker-registry serve $STATE/"* | "$PYTHON $INFRA_DIR/"*" $STATE/"*) echo "$pid" ;;
    esac
  done
}

# stop_all: TERM to every process a pid file names (and to strays), then
# KILL after 5 s what is still alive. Idempotent.
stop_all() {
  local f pid pids=()
  for f in "$STATE"/pids/*.pid; do
    [[ -e $f ]] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    rm -f "$f"
    if ours "$pid" && alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  for pid in $(strays); do
    if alive "$pid"; then
      echo "registry.sh: stopping $pid, left running without a pid file" >&2
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  local waited=0 left
  while ((${#pids[@]})); do
    left=()
    for pid in "${pids[@]}"; do alive "$pid" && left+=("$pid"); done
    pids=("${left[@]+"${left[@]}"}")
    ((${#pids[@]})) || break
    if ((waited >= 50)); then
      kill -KILL "${pids[@]}" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  return 0
}

# free_ports HOST N: N distinct free TCP ports on HOST. All sockets are held
# open until every port is chosen, so the N are distinct; the short window
# before the servers bind them is covered by start's retry.
free_ports() {
  "$PYTHON" - "$1" "$2" <<'PY'
import socket, sys
host, count = sys.argv[1], int(sys.argv[2])
socks = []
for _ in range(count):
    s = socket.socket()
    s.bind((host, 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# spawn NAME LOGFILE CMD...: runs CMD detached (own session, no inherited
# stdio) so ctest, which waits for the setup test's pipes to close, does not
# wait for the servers too. Records the pid for stop.
spawn() {
  local name=$1 log=$2
  shift 2
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo $! >"$STATE/pids/$name.pid"
}

make_keys() {
  local tls=$STATE/tls-keys
  mkdir -p "$tls" "$STATE/certdir"
  # A CA for the tls and basic instances, and a server certificate that
  # Go (distribution) and libcurl both accept: SAN for the IP and the names,
  # the proxy's made-up domain too (TLS verified end to end through CONNECT).
  # P-256 keys: generated in milliseconds where RSA takes a second on a busy
  # machine, and both Go and OpenSSL clients take them.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 \
    -keyout "$tls/ca.key" -out "$STATE/ca.pem" \
    -subj "/CN=imglint test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tls/server.key" \
    -out "$tls/server.csr" \
    -subj "/CN=localhost" 2>/dev/null
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:$PROXY_DOMAIN,DNS:*.$PROXY_DOMAIN" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
    >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$STATE/ca.pem" -CAkey "$tls/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 7 -extfile "$tls/server.ext" \
    -out "$tls/server.pem" 2>/dev/null
  # skopeo's --dest-cert-dir takes a directory of *.crt CA files.
  cp "$STATE/ca.pem" "$STATE/certdir/ca.crt"
  # The token issuer's signing certificate: self-signed and itself the
  # registry's rootcertbundle; tokens carry it in the JWT x5c header. RSA,
  # for RS256 (an ES256 signature would need DER to r||s conversion).
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -keyout "$STATE/token/signing.key" \
    -out "$STATE/token/signing.pem" -subj "/CN=imglint token issuer" 2>/dev/null
  # distribution's htpasswd accepts bcrypt only.
  PASSWORD=$(openssl rand -hex 16)
  htpasswd -Bbn "$USERNAME" "$PASSWORD" >"$STATE/htpasswd" 2>/dev/null
  printf '%s:%s\n' "$USERNAME" "$PASSWORD" >"$STATE/token/users"
  chmod 600 "$STATE/token/users"
}

# write_config NAME PORT EXTRA: config.yml of one instance; EXTRA is appended
# YAML (tls, auth, middleware).
write_config() {
  local name=$1 port=$2 extra=$3
  mkdir -p "$STATE/$name/storage"
  cat >"$STATE/$name/config.yml" <<YAML
version: 0.1
log:
  level: info
  formatter: text
  fields:
    instance: $name
storage:
  filesystem:
    rootdirectory: $STATE/$name/storage
  delete:
    enabled: true
  # Upload purging walks the storage on a timer; nothing here needs it.
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: $(openssl rand -hex 16)
  headers:
    X-Content-Type-Options: [nosniff]
$extra
YAML
}

start_all() {
  local ports blob_port token_port
  read -r -a ports <<<"$(free_ports 127.0.0.1 8)"
  declare -gA PORT=([plain]=${ports[0]} [tls]=${ports[1]} [basic]=${ports[2]} [token]=${ports[3]}
    [redirect]=${ports[4]})
  token_port=${ports[5]}
  FLAKY_PORT=${ports[6]}
  PROXY_PORT=${ports[7]}
  blob_port=$(free_ports 127.0.0.2 1)
  TOKEN_PORT=$token_port
  BLOB_PORT=$blob_port

  local tls_yaml="  tls:
    certificate: $STATE/tls-keys/server.pem
    key: $STATE/tls-keys/server.key"
  local htpasswd_yaml="auth:
  htpasswd:
    realm: imglint-basic
    path: $STATE/htpasswd"
  write_config plain "${PORT[plain]}" ""
  write_config tls "${PORT[tls]}" "$tls_yaml"
  write_config basic "${PORT[basic]}" "$tls_yaml
$htpasswd_yaml"
  write_config token "${PORT[token]}" "auth:
  token:
    realm: http://127.0.0.1:$token_port/token
    service: imglint-registry
    issuer: imglint-token-issuer
    rootcertbundle: $STATE/token/signing.pem"
  # The middleware turns a blob GET into a 307 to baseurl + the storage
  # driver's path of the blob, which is the path under rootdirectory.
  write_config redirect "${PORT[redirect]}" "$htpasswd_yaml
middleware:
  storage:
    - name: redirect
      options:
        baseurl: http://127.0.0.2:$blob_port/"

  local name
  for name in "${INSTANCES[@]}"; do
    spawn "$name" "$STATE/$name/registry.log" docker-registry serve "$STATE/$name/config.yml"
  done
  spawn token-server "$STATE/token/server.log" "$PYTHON" "$INFRA_DIR/token_server.py" \
    --listen "127.0.0.1:$token_port" --key "$STATE/token/signing.key" \
    --cert "$STATE/token/signing.pem" --users "$STATE/token/users" \
    --issuer imglint-token-issuer --service imglint-registry --log "$STATE/token/requests.log"
  spawn blob-server "$STATE/redirect/blob-server.log" "$PYTHON" "$INFRA_DIR/blob_server.py" \
    --listen "127.0.0.2:$blob_port" --root "$STATE/redirect/storage" \
    --log "$STATE/redirect/blob-requests.log"
  spawn flaky "$STATE/flaky/server.log" "$PYTHON" "$INFRA_DIR/flaky_server.py" \
    --listen "127.0.0.1:$FLAKY_PORT" --upstream "127.0.0.1:${PORT[plain]}" \
    --log "$STATE/flaky/requests.log"
  spawn proxy "$STATE/proxy/server.log" "$PYTHON" "$INFRA_DIR/forward_proxy.py" \
    --listen "127.0.0.1:$PROXY_PORT" --domain "$PROXY_DOMAIN" --log "$STATE/proxy/requests.log"
}

# wait_ready NAME PIDNAME LOG URL [CURL ARGS]: polls URL until it answers 200
# or 401; fails naming NAME with the tail of LOG when the process died or the
# deadline passed.
wait_ready() {
  local name=$1 pidname=$2 log=$3 url=$4
  shift 4
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) code pid
  pid=$(cat "$STATE/pids/$pidname.pid")
  while :; do
    code=$(curl_local -o /dev/null -w '%{http_code}' "$@" "$url" 2>/dev/null || true)
    [[ $code == 200 || $code == 401 ]] && return 0
    if ! alive "$pid" || ((SECONDS >= deadline)); then
      echo "registry.sh: $name did not start ($url answered '${code:-nothing}'); last lines of $log:" >&2
      tail -n 20 "$log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

wait_all() {
  local name scheme args
  for name in "${INSTANCES[@]}"; do
    scheme=http args=()
    if [[ $name == tls || $name == basic ]]; then
      scheme=https args=(--cacert "$STATE/ca.pem")
    fi
    wait_ready "$name" "$name" "$STATE/$name/registry.log" \
      "$scheme://127.0.0.1:${PORT[$name]}/v2/" "${args[@]}" || return 1
  done
  wait_ready token-server token-server "$STATE/token/server.log" \
    "http://127.0.0.1:$TOKEN_PORT/healthz" || return 1
  wait_ready blob-server blob-server "$STATE/redirect/blob-server.log" \
    "http://127.0.0.2:$BLOB_PORT/healthz" || return 1
  # Through to the plain registry: both the flaky server and its upstream are up.
  wait_ready flaky flaky "$STATE/flaky/server.log" "http://127.0.0.1:$FLAKY_PORT/v2/" || return 1
  wait_ready proxy proxy "$STATE/proxy/server.log" "http://127.0.0.1:$PROXY_PORT/healthz" ||
    return 1
}

write_json() {
  "$PYTHON" - "$STATE" "$USERNAME" "$PASSWORD" "${PORT[plain]}" "${PORT[tls]}" "${PORT[basic]}" \
    "${PORT[token]}" "${PORT[redirect]}" "$TOKEN_PORT" "$BLOB_PORT" "$FLAKY_PORT" "$PROXY_PORT" \
    "$PROXY_DOMAIN" <<'PY'
import json, os, sys
state, user, password = sys.argv[1:4]
plain, tls, basic, token, redirect, token_port, blob_port, flaky, proxy = sys.argv[4:13]
proxy_domain = sys.argv[13]
ca = os.path.join(state, "ca.pem")
def instance(name, port, scheme, **extra):
    entry = {"host": f"127.0.0.1:{port}", "scheme": scheme, "ca": ca if scheme == "https" else "",
             "storage": os.path.join(state, name, "storage"), "log": os.path.join(state, name, "registry.log")}
    if scheme == "https":
        entry["cert_dir"] = os.path.join(state, "certdir")
    entry.update(extra)
    return entry
creds = {"username": user, "password": password}
doc = {
    "plain": instance("plain", plain, "http"),
    "tls": instance("tls", tls, "https"),
    "basic": instance("basic", basic, "https", **creds),
    "token": instance("token", token, "http", **creds,
                      token_realm=f"http://127.0.0.1:{token_port}/token",
                      token_log=os.path.join(state, "token", "requests.log")),
    "redirect": instance("redirect", redirect, "http", **creds, blob_host=f"127.0.0.2:{blob_port}",
                         blob_log=os.path.join(state, "redirect", "blob-requests.log")),
    # The plain registry's storage: images are pushed there, pulled through here.
    "flaky": dict(instance("plain", flaky, "http"), upstream=f"127.0.0.1:{plain}",
                  request_log=os.path.join(state, "flaky", "requests.log")),
    # Not a registry: the forward proxy, and the name only it resolves.
    "proxy": {"host": f"127.0.0.1:{proxy}", "domain": proxy_domain,
              "request_log": os.path.join(state, "proxy", "requests.log")},
}
tmp = os.path.join(state, "registries.json.tmp")
with open(tmp, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
os.replace(tmp, os.path.join(state, "registries.json"))
PY
}

start() {
  command -v docker-registry >/dev/null || die "docker-registry is not installed (scripts/quickstart.sh installs it)"
  [[ -x $PYTHON ]] || die "$PYTHON is not installed"
  stop_all
  # Wipe only what a previous start made: a marker file says so.
  if [[ -n $(ls -A "$STATE") && ! -e $STATE/.imglint-registry-state ]]; then
    die "$STATE is not empty and was not made by $0; not wiping it"
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE/pids" "$STATE/token" "$STATE/redirect" "$STATE/flaky" "$STATE/proxy"
  : >"$STATE/.imglint-registry-state"
  # Files skopeo reads, so the tests never depend on /etc/containers or on a
  # user's own configuration.
  echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$STATE/policy.json"
  echo '{"auths":{}}' >"$STATE/empty-auth.json"
  : >"$STATE/registries.conf"
  local t0=$SECONDS attempt
  make_keys
  # A port chosen free can be taken by someone else before the server binds
  # it: try again with new ports, up to three times.
  for attempt in 1 2 3; do
    start_all
    if wait_all; then
      write_json
      echo "registry.sh: 5 registries, the flaky server and the proxy up in $((SECONDS - t0)) s; $STATE/registries.json"
      return 0
    fi
    stop_all
    grep -qis "address already in use" "$STATE"/*/*.log || break
    echo "registry.sh: a port was taken, retrying (attempt $attempt)" >&2
    find "$STATE" -name '*.log' -delete
  done
  die "the registries did not start; logs are in $STATE"
}

(($# == 2)) || usage
case "$1" in
  start)
    mkdir -p "$2"
    STATE=$(realpath "$2")
    [[ $STATE != / ]] || die "refusing / as the state dir"
    readonly STATE
    start
    ;;
  stop)
    # A deleted STATE_DIR may still have servers running: resolve the path
    # without it and look for strays anyway.
    STATE=$(realpath -m "$2")
    readonly STATE
    stop_all
    ;;
  *) usage ;;
esac
