#!/usr/bin/env bash
# Scale-out test: two replicas of the example backend (packages/backend) on
# one PostgreSQL, behind a round-robin load balancer on loopback, sharing
# one standalone demo cluster and Git server (`yarn demo-cluster`).
#
#   1. concurrent promotions through the load balancer, split across both
#      replicas, while an outside writer pushes to the same branch with git;
#      every promotion answered 201 and recorded once (both replicas list the
#      same), history linear with every commit, the final manifest the last
#      commit's;
#   2. SIGKILL of one replica while a promotion it serves is in flight: no
#      half-written commit (git fsck, the head's tree parses), only final
#      states in the `promotions` table, the other replica lists and
#      promotes, directly and through the load balancer;
#   3. the killed replica restarted on its old working directory promotes.
# Then it prints the numbers: promotions, commits, wall time, latency.
#
#   scripts/scale-out/run.sh [--keep] [--promotions N] [--outside N] [--timeout S] [--together]
#
#   --keep          keep the work directory (logs, configs, repositories)
#   --promotions N  concurrent promotions (default 20, at most 80)
#   --outside N     commits the outside writer pushes meanwhile (default 4)
#   --timeout S     hard limit for the whole run (default 600)
#   --together      start both replicas at once on the empty database (they
#                   race in Backstage's migrations; see start_replicas)
#
# Loopback only. Installs Debian's postgresql when missing. Every process it
# starts is stopped on exit.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
KEEP=0
PROMOTIONS=20
OUTSIDE=4
TIMEOUT=600
TOGETHER=0

while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --promotions) PROMOTIONS="$2"; shift ;;
    --outside) OUTSIDE="$2"; shift ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --together) TOGETHER=1 ;;
    -h | --help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$PROMOTIONS$OUTSIDE$TIMEOUT" in *[!0-9]*) echo "run.sh: numbers only" >&2; exit 2 ;; esac
# GET /promotions lists at most 100; the kill and restart add about ten.
if [ "$PROMOTIONS" -lt 2 ] || [ "$PROMOTIONS" -gt 80 ]; then
  echo "run.sh: --promotions takes 2 to 80" >&2
  exit 2
fi

# shellcheck source=../toolchain.sh
source "$REPO/scripts/toolchain.sh"
# shellcheck source=../lib/daemons.sh
source "$REPO/scripts/lib/daemons.sh"
# shellcheck source=../lib/steps.sh
source "$REPO/scripts/lib/steps.sh"

run_init model-deployments-scale-out
mkdir -p "$WORK/demo-tmp"

# The daemons' logs, without the request lines (the proxy log has them).
show_logs() {
  local name
  for name in replica-a replica-b replica-b-restarted proxy demo-cluster; do
    log_tail "$LOGS/$name.log" 25 'incomingRequest|isAuditEvent'
  done
}
cleanup() {
  local rc=$?
  # Nothing interrupts the cleanup; the watchdog goes first.
  trap - EXIT
  trap '' INT TERM
  stop_daemon watchdog
  if [ "$rc" != 0 ]; then
    show_logs
    # The numbers so far, when the load ran.
    if [ -z "${SUMMARY_DONE:-}" ] && [ -s "$WORK/state.json" ]; then
      node "$HERE/scenario.mjs" summary "$WORK/scenario.json" || true
    fi
  fi
  stop_daemons
  stop_postgres
  # Steps running in the background of this shell (interrupted runs).
  stop_jobs
  run_end "$rc" "scale-out test"
}
run_traps cleanup

# The hard limit: steps run as background jobs it can interrupt (see step).
start_watchdog "$TIMEOUT"

echo "Work directory $WORK; node $(node -v)"
step "dependencies" ensure_dependencies

# ---------------------------------------------------------------- PostgreSQL
# A free port: the Jest step of scripts/test.sh may still hold 54329.
MODEL_DEPLOYMENTS_PG_PORT="$(free_port)"
step "postgres: start" --here ensure_postgres
PG_URL="postgresql://postgres@127.0.0.1:$MODEL_DEPLOYMENTS_PG_PORT"

# ---------------------------------------------------------------- demo cluster
# One standalone demo cluster, Git server and sync tool for both replicas.
# Its temporary directory is ours, so the served repository can be checked.
start_demo() {
  start_daemon demo-cluster "$REPO" env TMPDIR="$WORK/demo-tmp" \
    node "$MODEL_DEPLOYMENTS_YARN_CJS" demo-cluster --port 0 --git-port 0 \
    --config-out "$WORK/demo-config.yaml"
  wait_for demo-cluster 120 grep -q '^modelDeployments:' "$WORK/demo-config.yaml" || return 1
  GIT_DIR_SERVED="$(ls -d "$WORK"/demo-tmp/demo-git-*/models.git)" || return 1
  GIT_URL="$(grep -o 'http://127.0.0.1:[0-9]*/models.git' "$WORK/demo-config.yaml" | head -n 1)"
  head -n 1 "$LOGS/demo-cluster.log"
  echo "GitOps repository $GIT_URL, served from $GIT_DIR_SERVED"
}
step "demo cluster: start" --here start_demo

# ---------------------------------------------------------------- replicas
PORT_A="$(free_port)"
PORT_B="$(free_port "$PORT_A")"

# The load balancer first: its address is the backends' public baseUrl, as
# in a real deployment behind one.
start_proxy() {
  start_daemon proxy "$REPO" node "$HERE/proxy.mjs" "$WORK/proxy-port" \
    "a=http://127.0.0.1:$PORT_A" "b=http://127.0.0.1:$PORT_B"
  wait_for proxy 20 test -s "$WORK/proxy-port" || return 1
  PROXY_URL="http://127.0.0.1:$(cat "$WORK/proxy-port")"
}
step "load balancer: start" --here start_proxy

# Each replica: the repository's app-config.yaml, the demo cluster's config,
# then its own: PostgreSQL, its port, its working directory (GitOps mirrors
# and writer data), the embedded demo cluster off.
replica_config() {
  local name="$1" port="$2"
  mkdir -p "$WORK/replica-$name"
  cat >"$WORK/replica-$name.yaml" <<YAML
app:
  baseUrl: $PROXY_URL
backend:
  baseUrl: $PROXY_URL
  listen: { host: 127.0.0.1, port: $port }
  cors: { origin: $PROXY_URL }
  workingDirectory: $WORK/replica-$name
  database:
    client: pg
    connection: { host: 127.0.0.1, port: $MODEL_DEPLOYMENTS_PG_PORT, user: postgres }
modelDeployments:
  demoCluster: { enabled: false }
  # Far away, so that only the event bus can move the other replica's mirror.
  gitops: { cacheDir: $WORK/replica-$name/gitops, refreshInterval: 10m }
  # Settle what a killed replica left running within a minute, not 15.
  promotion: { staleAfter: 20s }
YAML
}
# What `backstage-cli package start` runs (its transpiling loader, from
# packages/backend), without its file watcher: the pid is the backend's.
start_replica() {
  local name="$1" log="${2:-replica-$1}"
  start_daemon "$log" "$REPO/packages/backend" env NODE_ENV=development \
    node --enable-source-maps --require @backstage/cli-node/config/nodeTransform.cjs \
    src/index.ts --config ../../app-config.yaml --config "$WORK/demo-config.yaml" \
    --config "$WORK/replica-$name.yaml"
}
# Backstage's readiness: 200 once every plugin started (a backend whose
# startup failed keeps answering the plugins' own /health routes).
replica_ready() {
  wait_for_url "$1" 180 "http://127.0.0.1:$2/.backstage/health/v1/readiness"
}
# One after the other: on an empty database, replicas starting at the same
# moment race in Knex's migrations of Backstage's own plugins and services
# ("relation knex_migrations already exists", "Migration table is already
# locked") and never become ready (backstage/charts#300); --together shows it.
start_replicas() {
  replica_config a "$PORT_A"
  replica_config b "$PORT_B"
  start_replica a
  if [ "$TOGETHER" = 0 ]; then
    replica_ready replica-a "$PORT_A" || return 1
  fi
  start_replica b
  replica_ready replica-a "$PORT_A" || return 1
  replica_ready replica-b "$PORT_B" || return 1
  echo "replica a on 127.0.0.1:$PORT_A, replica b on 127.0.0.1:$PORT_B, load balancer $PROXY_URL"
}
step "replicas: start" --here start_replicas

cat >"$WORK/scenario.json" <<JSON
{
  "work": "$WORK",
  "proxy": "$PROXY_URL",
  "replicas": { "a": "http://127.0.0.1:$PORT_A", "b": "http://127.0.0.1:$PORT_B" },
  "killPidFile": "$WORK/pids/replica-b",
  "gitUrl": "$GIT_URL",
  "gitDir": "$GIT_DIR_SERVED",
  "database": "$PG_URL/backstage_plugin_model-deployments",
  "promotions": $PROMOTIONS,
  "outsideCommits": $OUTSIDE
}
JSON
scenario() { node "$HERE/scenario.mjs" "$1" "$WORK/scenario.json"; }

step "ready: catalog, guest, model Ready in dev" scenario ready
# Its failed checks are reported; the kill and restart still run.
step "events: a push through one replica, seen by the other" scenario events
step "load: $PROMOTIONS promotions, $OUTSIDE outside commits" --go-on scenario load
step "kill: SIGKILL replica b mid-promotion" scenario kill
# Its process group is gone.
forget_daemon replica-b
restart_b() {
  start_replica b replica-b-restarted
  replica_ready replica-b-restarted "$PORT_B"
}
step "restart replica b" --here restart_b
step "restarted: b promotes again, final checks" scenario restarted

echo
scenario summary
SUMMARY_DONE=1
if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
  echo "run.sh: failed: ${FAILED_STEPS[*]}" >&2
  exit 1
fi
