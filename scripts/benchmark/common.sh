#!/usr/bin/env bash
# Sourced by run.sh: what the benchmark's phases share. Needs REPO, HERE,
# WORK, LOGS, RESULTS and scripts/lib/daemons.sh.
#
#   phase_begin SECONDS            the phase's deadline; its daemons stop when it exits,
#                                  and the commands in PHASE_CLEANUP run
#   left                           seconds left before the phase's deadline (at least 1)
#   bounded COMMAND...             COMMAND, killed at the phase's deadline
#   start_cluster NAME OBJECTS     a demo cluster (cluster.ts); sets CLUSTER_URL
#   start_proxy NAME TARGET [ARGS] a delay proxy (delay-proxy.mjs); sets PROXY_URL
#   start_backend NAME CONFIG...   the example backend (packages/backend); sets BACKEND
#   backend_config OUT ARGS...     backend-config.mjs with the run's tokens and ports
#
# Loopback only: every server listens on 127.0.0.1.

CLUSTER_TOKEN="bench-cluster-token"
SERVICE_TOKEN="$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')"
NODE_TRANSFORM=(--require @backstage/cli-node/config/nodeTransform.cjs)
PHASE_DAEMONS=()
PHASE_CLEANUP=()
PHASE_END=$SECONDS

# Runs in the phase's subshell (step runs each phase as a background job).
phase_begin() {
  PHASE_END=$((SECONDS + $1))
  PHASE_DAEMONS=()
  PHASE_CLEANUP=()
  trap phase_stop EXIT
}
phase_stop() {
  local name command
  for name in "${PHASE_DAEMONS[@]}"; do
    echo "$(date +%T) stopping $name" >&2
    stop_daemon "$name"
  done
  for command in "${PHASE_CLEANUP[@]}"; do
    echo "$(date +%T) $command" >&2
    $command >&2 || true
  done
}
left() {
  local n=$((PHASE_END - SECONDS))
  [ "$n" -gt 0 ] || n=1
  echo "$n"
}
bounded() { timeout -k 5 "$(left)" "$@"; }
phase_daemon() {
  PHASE_DAEMONS+=("$1")
  start_daemon "$@"
}

start_cluster() {
  local name="$1" objects="$2"
  rm -f "$WORK/$name.port"
  phase_daemon "$name" "$REPO" node "${NODE_TRANSFORM[@]}" "$HERE/cluster.ts" \
    "$objects" "$WORK/$name.port" "$CLUSTER_TOKEN"
  wait_for "$name" "$(left)" test -s "$WORK/$name.port" || return 1
  # shellcheck disable=SC2034 # read by the phases
  CLUSTER_URL="http://127.0.0.1:$(cat "$WORK/$name.port")"
  head -n 1 "$LOGS/$name.log"
}

start_proxy() {
  local name="$1" target="$2"
  shift 2
  rm -f "$WORK/$name.port"
  phase_daemon "$name" "$REPO" node "$HERE/delay-proxy.mjs" "$target" "$WORK/$name.port" "$@"
  wait_for "$name" 30 test -s "$WORK/$name.port" || return 1
  # shellcheck disable=SC2034 # read by the phases
  PROXY_URL="http://127.0.0.1:$(cat "$WORK/$name.port")"
}

# What `backstage-cli package start` runs, without its file watcher, as
# scripts/scale-out does; NODE_ENV=development for the guest sign-in.
start_backend() {
  local name="$1" port="$2"
  shift 2
  local configs=()
  for c in "$@"; do configs+=(--config "$c"); done
  phase_daemon "$name" "$REPO/packages/backend" env NODE_ENV=development \
    node --enable-source-maps "${NODE_TRANSFORM[@]}" src/index.ts \
    --config ../../app-config.yaml "${configs[@]}"
  BACKEND="http://127.0.0.1:$port"
  local t0=$SECONDS
  wait_for_url "$name" "$(left)" "$BACKEND/.backstage/health/v1/readiness" || return 1
  echo "$name ready on $BACKEND after $((SECONDS - t0)) s"
}

backend_config() {
  local out="$1"
  shift
  node "$HERE/backend-config.mjs" "$out" --service-token "$SERVICE_TOKEN" \
    --cluster-token "$CLUSTER_TOKEN" "$@"
}

# The catalog's database: SQLite files in DIR, so a later backend on the same
# catalog file finds its entities at once.
database_config() {
  local out="$1" dir="$2"
  mkdir -p "$dir"
  cat >"$out" <<YAML
backend:
  database:
    client: better-sqlite3
    connection: { directory: $dir }
YAML
}

# settings FILE KEY=JSON... : a JSON object for the Node scripts.
settings() {
  local out="$1"
  shift
  node -e '
    const [out, ...pairs] = process.argv.slice(1);
    const o = {};
    for (const p of pairs) { const i = p.indexOf("="); o[p.slice(0, i)] = JSON.parse(p.slice(i + 1)); }
    require("fs").writeFileSync(out, JSON.stringify(o, null, 2));
  ' "$out" "$@"
}
