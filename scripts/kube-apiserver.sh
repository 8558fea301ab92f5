#!/usr/bin/env bash
# A real Kubernetes control plane (etcd + kube-apiserver, no nodes, no controllers)
# on 127.0.0.1, for tests and demos only. See scripts/kube-apiserver/README.md.
#
#   bash scripts/kube-apiserver.sh build              build etcd and kube-apiserver once (cached)
#   bash scripts/kube-apiserver.sh start <dir>        start both; writes <dir>/env and <dir>/env.json
#   bash scripts/kube-apiserver.sh stop <dir>         stop both (pids from <dir>/env.json)
#   bash scripts/kube-apiserver.sh crds <dir> <crd-dir>
#                                                     apply every CRD in <crd-dir>, wait for Established
#   bash scripts/kube-apiserver.sh apiserver-stop <dir>   stop the API server alone (etcd keeps running)
#   bash scripts/kube-apiserver.sh apiserver-start <dir>  start it again on the same port
#   bash scripts/kube-apiserver.sh gen-mod            maintainers: regenerate the kube-apiserver wrapper's
#                                                     go.mod/go.sum (only when KUBE_VERSION changes)
#
# start reads KUBE_WATCH_CACHE=false to serve watches straight from etcd (where
# compaction gives 410 Gone); every request is logged to <dir>/audit.log.
set -euo pipefail

ETCD_VERSION="3.6.5"
KUBE_VERSION="1.37.2"
GO_MIN_MINOR=26 # k8s.io/kubernetes v1.37.2's go.mod says "go 1.26.0"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOD_DIR="$SCRIPT_DIR/kube-apiserver"
CACHE_ROOT="${MODEL_DEPLOYMENTS_KUBE_CACHE:-$HOME/.cache/model-deployments/kube}"
BIN_DIR="$CACHE_ROOT/$KUBE_VERSION-etcd$ETCD_VERSION"
ETCD_BIN="$BIN_DIR/etcd"
APISERVER_BIN="$BIN_DIR/kube-apiserver"

ADMIN_TOKEN="admin-token"
PLUGIN_TOKEN="model-deployments-token"
NOBODY_TOKEN="nobody-token"

log() { echo "kube-apiserver.sh: $*" >&2; }
die() {
  log "$*"
  exit 1
}

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

now_ms() { date +%s%3N; }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# ---------------------------------------------------------------------------- go

# Sets GO to the first Go 1.$GO_MIN_MINOR+ among: go on PATH, /usr/local/go/bin/go.
find_go() {
  local candidates=() go version minor seen=""
  if command -v go >/dev/null 2>&1; then candidates+=("$(command -v go)"); fi
  if [ -x /usr/local/go/bin/go ]; then candidates+=(/usr/local/go/bin/go); fi
  if [ "${#candidates[@]}" -eq 0 ]; then
    log "Go is not installed (needed once, to build etcd $ETCD_VERSION and kube-apiserver $KUBE_VERSION)."
    log "Install Go 1.$GO_MIN_MINOR or newer from https://go.dev/dl/ (for example into /usr/local/go)"
    log "and put /usr/local/go/bin on PATH. Debian's 'golang' package is too old."
    exit 1
  fi
  for go in "${candidates[@]}"; do
    version="$("$go" env GOVERSION 2>/dev/null || true)" # go1.26.8
    minor="$(echo "$version" | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
    if [ -n "$minor" ] && [ "$minor" -ge "$GO_MIN_MINOR" ]; then
      GO="$go"
      return 0
    fi
    seen="$seen $go (${version:-unknown version})"
  done
  log "found only$seen; kube-apiserver $KUBE_VERSION needs Go 1.$GO_MIN_MINOR or newer."
  log "Install a newer Go from https://go.dev/dl/ into /usr/local/go and put /usr/local/go/bin"
  log "on PATH. Debian's 'golang' package is too old."
  exit 1
}

# build_one <name> <module dir> <output> [extra -ldflags]
build_one() {
  local name="$1" dir="$2" out="$3" extra="${4:-}" t0
  t0="$(now_ms)"
  log "building $name from $dir (this takes a while the first time)"
  # -mod=readonly: the committed go.mod/go.sum are complete; nothing is regenerated.
  (cd "$dir" && CGO_ENABLED=0 "$GO" build -mod=readonly -buildvcs=false -trimpath -ldflags="-s -w $extra" -o "$out.tmp.$$" .)
  mv -f "$out.tmp.$$" "$out"
  log "built $name in $(secs_since "$t0") s: $out ($(du -h "$out" | cut -f1))"
}

cmd_build() {
  if [ -x "$ETCD_BIN" ] && [ -x "$APISERVER_BIN" ]; then
    log "etcd $ETCD_VERSION and kube-apiserver $KUBE_VERSION already built in $BIN_DIR"
    return 0
  fi
  find_go
  mkdir -p "$BIN_DIR"
  local t0
  t0="$(now_ms)"
  [ -x "$ETCD_BIN" ] || build_one "etcd $ETCD_VERSION" "$MOD_DIR/etcd" "$ETCD_BIN"
  # What hack/lib/version.sh stamps, so that /version says v$KUBE_VERSION and not v0.0.0-master.
  local pkg stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp="$stamp -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=${KUBE_VERSION%%.*}"
    stamp="$stamp -X $pkg.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) -X $pkg.gitTreeState=clean"
  done
  [ -x "$APISERVER_BIN" ] || build_one "kube-apiserver $KUBE_VERSION" "$MOD_DIR/kube-apiserver" "$APISERVER_BIN" "$stamp"
  log "build finished in $(secs_since "$t0") s"
}

# Regenerates scripts/kube-apiserver/kube-apiserver/go.mod: require k8s.io/kubernetes and
# replace every k8s.io/* module it replaces with ./staging/... by the published v0.x.y
# (the module zip has no staging folder). Then go mod tidy writes go.sum.
cmd_gen_mod() {
  find_go
  local dir="$MOD_DIR/kube-apiserver" staging_version upstream
  staging_version="v0.${KUBE_VERSION#*.}"
  (cd "$dir" && GOFLAGS=-mod=mod "$GO" mod download "k8s.io/kubernetes@v$KUBE_VERSION")
  upstream="$("$GO" env GOMODCACHE)/k8s.io/kubernetes@v$KUBE_VERSION/go.mod"
  [ -f "$upstream" ] || die "not found: $upstream"
  {
    echo "// Generated by: bash scripts/kube-apiserver.sh gen-mod (do not edit by hand)."
    echo "module model-deployments/scripts/kube-apiserver/kube-apiserver"
    echo
    grep '^go ' "$upstream"
    echo
    grep '^godebug' "$upstream" || true
    echo
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    echo
    echo "replace ("
    awk -v v="$staging_version" '
      /^replace \(/ { r = 1; next }
      r && /^\)/ { r = 0 }
      r && /=> \.\/staging\// { print "\t" $1 " => " $1 " " v }
    ' "$upstream"
    echo ")"
  } >"$dir/go.mod"
  rm -f "$dir/go.sum"
  (cd "$dir" && GOFLAGS=-mod=mod "$GO" mod tidy)
  log "wrote $dir/go.mod ($(grep -c ' => ' "$dir/go.mod") replaces) and go.sum"
}

# ------------------------------------------------------------------------- start

# Prints <n> distinct free TCP ports on 127.0.0.1, one a line.
free_ports() {
  local n="$1"
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$n" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
for s in socks:
    s.close()
EOF
  elif command -v node >/dev/null 2>&1; then
    node -e '
      const net = require("net");
      const n = Number(process.argv[1]);
      const servers = [];
      const next = () => {
        if (servers.length === n) {
          for (const s of servers) console.log(s.address().port);
          for (const s of servers) s.close();
          return;
        }
        const s = net.createServer();
        s.listen(0, "127.0.0.1", () => { servers.push(s); next(); });
      };
      next();
    ' "$n"
  else
    die "need python3 or node to pick free ports"
  fi
}

# True when <pid> is alive and runs <binary>.
pid_runs() {
  local pid="$1" bin="$2" exe
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then return 1; fi
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  # Without /proc trust kill -0. " (deleted)": the binary was rebuilt meanwhile.
  [ -z "$exe" ] || [ "${exe% (deleted)}" = "$(readlink -f "$bin")" ]
}

# stop_pid <pid> <binary> <name>: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local pid="$1" bin="$2" name="$3" _
  pid_runs "$pid" "$bin" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || {
      log "stopped $name (pid $pid)"
      return 0
    }
    sleep 0.1
  done
  log "$name (pid $pid) did not exit in 30 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name (pid $pid) is still running"
  return 1
}

# Reads "KEY": value from an env.json written by start (flat, one key a line).
json_value() {
  sed -n "s/^ *\"$2\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\} *\$/\1/p" "$1" | head -n 1
}

# Starts kube-apiserver in the background on 127.0.0.1:<port> against etcd at
# <etcd-url>, appending to <dir>/kube-apiserver.log; prints its pid. The watch
# cache setting is kept in <dir>/watch-cache so that a restart keeps it.
launch_apiserver() {
  local dir="$1" api_port="$2" etcd_url="$3"
  local watch_cache
  watch_cache="$(cat "$dir/watch-cache")"
  # One JSON line per request (who, verb, URI, answer): tests read what the
  # plugin asked the server, e.g. each watch's resourceVersion.
  cat >"$dir/audit-policy.yaml" <<EOF
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
EOF
  setsid nohup "$APISERVER_BIN" \
    --etcd-servers "$etcd_url" \
    --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 \
    --secure-port "$api_port" \
    --cert-dir "$dir/certs" \
    --token-auth-file "$dir/tokens.csv" \
    --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/sa.key" \
    --service-account-signing-key-file "$dir/sa.key" \
    --service-cluster-ip-range 10.0.0.0/24 \
    --endpoint-reconciler-type none \
    --watch-cache="$watch_cache" \
    --etcd-compaction-interval 0 \
    --audit-policy-file "$dir/audit-policy.yaml" \
    --audit-log-path "$dir/audit.log" \
    --audit-log-format json \
    --profiling=false \
    </dev/null >>"$dir/kube-apiserver.log" 2>&1 &
  echo $!
}

cmd_start() {
  local dir="${1:-}"
  [ -n "$dir" ] || usage
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"

  if [ -f "$dir/env.json" ]; then
    local old_api old_etcd
    old_api="$(json_value "$dir/env.json" KUBE_APISERVER_PID)"
    old_etcd="$(json_value "$dir/env.json" KUBE_ETCD_PID)"
    if pid_runs "$old_api" "$APISERVER_BIN" || pid_runs "$old_etcd" "$ETCD_BIN"; then
      die "already running in $dir (pids $old_api, $old_etcd); run: bash $0 stop $dir"
    fi
  fi

  if [ ! -x "$ETCD_BIN" ] || [ ! -x "$APISERVER_BIN" ]; then
    cmd_build
  fi
  command -v openssl >/dev/null 2>&1 || die "openssl is needed for the service-account key"
  command -v curl >/dev/null 2>&1 || die "curl is needed to wait for /readyz"

  local t0 ports etcd_port peer_port api_port data_dir
  t0="$(now_ms)"
  ports="$(free_ports 3)"
  etcd_port="$(echo "$ports" | sed -n 1p)"
  peer_port="$(echo "$ports" | sed -n 2p)"
  api_port="$(echo "$ports" | sed -n 3p)"
  data_dir="$(mktemp -d "$dir/etcd-data.XXXXXX")"
  mkdir -p "$dir/certs"
  rm -f "$dir/env" "$dir/env.json"

  # Static bearer tokens: token,user,uid,"groups".
  cat >"$dir/tokens.csv" <<EOF
$ADMIN_TOKEN,admin,admin-uid,"system:masters"
$PLUGIN_TOKEN,model-deployments,model-deployments-uid
$NOBODY_TOKEN,nobody,nobody-uid
EOF
  chmod 600 "$dir/tokens.csv"
  case "${KUBE_WATCH_CACHE:-true}" in
  true | false) echo "${KUBE_WATCH_CACHE:-true}" >"$dir/watch-cache" ;;
  *) die "KUBE_WATCH_CACHE must be true or false, not '$KUBE_WATCH_CACHE'" ;;
  esac
  if [ ! -f "$dir/sa.key" ]; then
    openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
    chmod 600 "$dir/sa.key"
  fi

  local etcd_url="http://127.0.0.1:$etcd_port"
  local peer_url="http://127.0.0.1:$peer_port"
  local api_url="https://127.0.0.1:$api_port"

  # --unsafe-no-fsync: the data is thrown away after the test; skipping fsync makes
  # writes much faster. --max-request-bytes: the SeldonDeployment CRD is 2.6 MB.
  setsid nohup "$ETCD_BIN" \
    --name default \
    --data-dir "$data_dir" \
    --listen-client-urls "$etcd_url" \
    --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "$peer_url" \
    --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "default=$peer_url" \
    --initial-cluster-state new \
    --unsafe-no-fsync \
    --max-request-bytes 10485760 \
    --log-level warn \
    </dev/null >"$dir/etcd.log" 2>&1 &
  local etcd_pid=$!

  local api_pid
  api_pid="$(launch_apiserver "$dir" "$api_port" "$etcd_url")"

  # Ready means /readyz answers 200 (etcd, RBAC bootstrap, CRD informers all done).
  local ready="" deadline=$(($(date +%s) + 60))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$etcd_pid" 2>/dev/null || ! kill -0 "$api_pid" 2>/dev/null; then
      break
    fi
    if curl -skf -o /dev/null --max-time 2 -H "Authorization: Bearer $ADMIN_TOKEN" "$api_url/readyz"; then
      ready=1
      break
    fi
    sleep 0.2
  done
  if [ -z "$ready" ]; then
    if ! kill -0 "$etcd_pid" 2>/dev/null; then
      log "etcd exited; last lines of the logs:"
    elif ! kill -0 "$api_pid" 2>/dev/null; then
      log "kube-apiserver exited; last lines of the logs:"
    else
      log "kube-apiserver did not become ready within 60 s; last lines of the logs:"
    fi
    tail -n 20 "$dir/etcd.log" "$dir/kube-apiserver.log" >&2 || true
    stop_pid "$api_pid" "$APISERVER_BIN" kube-apiserver || true
    stop_pid "$etcd_pid" "$ETCD_BIN" etcd || true
    exit 1
  fi

  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: $api_url
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $ADMIN_TOKEN
contexts:
- name: admin
  context:
    cluster: local
    user: admin
current-context: admin
EOF
  chmod 600 "$dir/kubeconfig"

  cat >"$dir/env.tmp" <<EOF
export KUBE_APISERVER_URL='$api_url'
export KUBE_ETCD_URL='$etcd_url'
export KUBE_ADMIN_TOKEN='$ADMIN_TOKEN'
export KUBE_PLUGIN_TOKEN='$PLUGIN_TOKEN'
export KUBE_NOBODY_TOKEN='$NOBODY_TOKEN'
export KUBE_APISERVER_PID=$api_pid
export KUBE_ETCD_PID=$etcd_pid
EOF
  mv -f "$dir/env.tmp" "$dir/env"
  cat >"$dir/env.json.tmp" <<EOF
{
  "KUBE_APISERVER_URL": "$api_url",
  "KUBE_ETCD_URL": "$etcd_url",
  "KUBE_ADMIN_TOKEN": "$ADMIN_TOKEN",
  "KUBE_PLUGIN_TOKEN": "$PLUGIN_TOKEN",
  "KUBE_NOBODY_TOKEN": "$NOBODY_TOKEN",
  "KUBE_APISERVER_PID": $api_pid,
  "KUBE_ETCD_PID": $etcd_pid
}
EOF
  mv -f "$dir/env.json.tmp" "$dir/env.json"

  log "ready in $(secs_since "$t0") s: kube-apiserver $api_url (pid $api_pid), etcd $etcd_url (pid $etcd_pid)"
  log "environment in $dir/env and $dir/env.json; kubectl: KUBECONFIG=$dir/kubeconfig"
}

# -------------------------------------------------------------------------- stop

cmd_stop() {
  local dir="${1:-}"
  [ -n "$dir" ] || usage
  [ -f "$dir/env.json" ] || die "no $dir/env.json: nothing started there"
  local api_pid etcd_pid status=0
  api_pid="$(json_value "$dir/env.json" KUBE_APISERVER_PID)"
  etcd_pid="$(json_value "$dir/env.json" KUBE_ETCD_PID)"
  # The API server first, so that it does not log etcd connection errors while stopping.
  stop_pid "$api_pid" "$APISERVER_BIN" kube-apiserver || status=1
  stop_pid "$etcd_pid" "$ETCD_BIN" etcd || status=1
  return "$status"
}

# -------------------------------------------------------------------------- crds

ensure_kubectl() {
  command -v kubectl >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  log "installing Debian's kubectl"
  if ! { $sudo apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kubectl >&2; }; then
    die "could not install kubectl"
  fi
}

cmd_crds() {
  local dir="${1:-}" crd_dir="${2:-}"
  if [ -z "$dir" ] || [ -z "$crd_dir" ]; then usage; fi
  [ -f "$dir/kubeconfig" ] || die "no $dir/kubeconfig: run: bash $0 start $dir"
  [ -d "$crd_dir" ] || die "not a directory: $crd_dir"
  ensure_kubectl

  local files=() f
  for f in "$crd_dir"/*.yaml "$crd_dir"/*.yml "$crd_dir"/*.json; do
    [ -f "$f" ] || continue
    grep -q 'CustomResourceDefinition' "$f" || continue
    files+=(-f "$f")
  done
  [ "${#files[@]}" -gt 0 ] || die "no CustomResourceDefinition files in $crd_dir"

  local t0 url
  t0="$(now_ms)"
  url="$(json_value "$dir/env.json" KUBE_APISERVER_URL)"
  # The generated kubeconfig holds only this server and the admin token, so the user's
  # ~/.kube/config plays no part; the flags say the same thing explicitly.
  local kubectl=(kubectl --kubeconfig "$dir/kubeconfig" --server "$url"
    --token "$ADMIN_TOKEN" --insecure-skip-tls-verify)
  "${kubectl[@]}" apply --server-side --field-manager model-deployments-tests "${files[@]}" >&2
  # kubectl wait (1.32 at least) fails at once with ".status.conditions accessor error"
  # when it reads a CRD that has no conditions yet, so retry until the 60 s are up.
  local deadline=$(($(date +%s) + 60)) left out
  while :; do
    left=$((deadline - $(date +%s)))
    if out="$("${kubectl[@]}" wait --for=condition=Established crd --all --timeout="$((left > 1 ? left : 1))s" 2>&1)"; then
      echo "$out" >&2
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$out" >&2
      die "CRDs not Established within 60 s"
    fi
    sleep 0.5
  done
  log "installed $((${#files[@]} / 2)) CRDs in $(secs_since "$t0") s"
}


# ---------------------------------------------------- the API server alone
# For tests of a control plane that goes away and comes back: etcd keeps its
# data, the API server stops, then starts again on the same port.

cmd_apiserver_stop() {
  local dir="${1:-}"
  [ -n "$dir" ] || usage
  [ -f "$dir/env.json" ] || die "no $dir/env.json: nothing started there"
  stop_pid "$(json_value "$dir/env.json" KUBE_APISERVER_PID)" "$APISERVER_BIN" kube-apiserver
}

cmd_apiserver_start() {
  local dir="${1:-}"
  [ -n "$dir" ] || usage
  [ -f "$dir/env.json" ] || die "no $dir/env.json: nothing started there"
  dir="$(cd "$dir" && pwd)"
  local url etcd_url old_pid port pid t0
  url="$(json_value "$dir/env.json" KUBE_APISERVER_URL)"
  etcd_url="$(json_value "$dir/env.json" KUBE_ETCD_URL)"
  old_pid="$(json_value "$dir/env.json" KUBE_APISERVER_PID)"
  if pid_runs "$old_pid" "$APISERVER_BIN"; then
    die "kube-apiserver (pid $old_pid) is still running"
  fi
  port="${url##*:}"
  t0="$(now_ms)"
  pid="$(launch_apiserver "$dir" "$port" "$etcd_url")"
  local deadline=$(($(date +%s) + 60))
  until curl -skf -o /dev/null --max-time 2 -H "Authorization: Bearer $ADMIN_TOKEN" "$url/readyz"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 20 "$dir/kube-apiserver.log" >&2 || true
      die "kube-apiserver did not become ready again"
    fi
    sleep 0.2
  done
  sed -i "s/^  \"KUBE_APISERVER_PID\": [0-9]*,/  \"KUBE_APISERVER_PID\": $pid,/" "$dir/env.json"
  sed -i "s/^export KUBE_APISERVER_PID=.*/export KUBE_APISERVER_PID=$pid/" "$dir/env"
  log "kube-apiserver ready again in $(secs_since "$t0") s on $url (pid $pid)"
}

# -------------------------------------------------------------------------- main

case "${1:-}" in
build) cmd_build ;;
start) cmd_start "${2:-}" ;;
apiserver-stop) cmd_apiserver_stop "${2:-}" ;;
apiserver-start) cmd_apiserver_start "${2:-}" ;;
stop) cmd_stop "${2:-}" ;;
crds) cmd_crds "${2:-}" "${3:-}" ;;
gen-mod) cmd_gen_mod ;;
*) usage ;;
esac
