#!/usr/bin/env bash
# Side-by-side benchmark (issue 17): this suite's entity view against the
# Backstage Kubernetes plugin's, for the same entities on the same clusters,
# plus the fleet API, the watch cache's memory and cold sync, cluster
# requests with 50 pages open, multi-cluster variants, a real kube-apiserver
# and the fleet page in Chromium. Prints a Markdown table and writes
# docs/benchmarks.md.
#
#   bash scripts/benchmark/run.sh [--quick] [--only GROUP|PHASE,...] [--keep]
#                                 [--timeout S] [--out FILE]
#
#   --quick     smaller samples and shorter windows (a few minutes)
#   --only      demo (every phase on the demo cluster), real (the real
#               kube-apiserver), or phases: compare, pages, fleet, cache,
#               clusters, real, render (default: all)
#   --keep      keep the work directory (logs, configs, generated data)
#   --timeout S hard limit for the whole run (default 5400); each phase also
#               has its own deadline and stops itself
#   --out FILE  the report (default docs/benchmarks.md)
#
# Loopback only (127.0.0.1). Every process it starts is stopped on exit.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ARGS="$*"
QUICK=0
ONLY="demo,real"
KEEP=0
TIMEOUT=5400
OUT="$REPO/docs/benchmarks.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY="$2"; shift ;;
    --keep) KEEP=1 ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --out) OUT="$(realpath -m "$2")"; shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$TIMEOUT" in '' | *[!0-9]*) echo "run.sh: --timeout takes seconds" >&2; exit 2 ;; esac
ONLY="${ONLY//demo/compare,pages,fleet,cache,clusters,render}"
for phase in ${ONLY//,/ }; do
  case "$phase" in
    compare | pages | fleet | cache | clusters | real | render) ;;
    *) echo "run.sh: --only: unknown phase $phase" >&2; exit 2 ;;
  esac
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }

if [ "$QUICK" = 1 ]; then
  SAMPLE=40 WARMUP=10 CLUSTERS_SAMPLE=25 PAGES_WINDOW=20 FLEET_SAMPLE=8 FLEET_WARMUP=2
  CACHE_RUNS=2 RENDER_LOADS=3
  COMPARE_SECONDS=420 FLEET_SECONDS=300 CACHE_SECONDS=120 CLUSTERS_SECONDS=300
  REAL_SECONDS=600 RENDER_SECONDS=300
else
  SAMPLE=200 WARMUP=40 CLUSTERS_SAMPLE=100 PAGES_WINDOW=60 FLEET_SAMPLE=30 FLEET_WARMUP=3
  CACHE_RUNS=5 RENDER_LOADS=10
  COMPARE_SECONDS=900 FLEET_SECONDS=420 CACHE_SECONDS=180 CLUSTERS_SECONDS=600
  REAL_SECONDS=1200 RENDER_SECONDS=400
fi
want pages || PAGES_WINDOW=0

# shellcheck source=../toolchain.sh
source "$REPO/scripts/toolchain.sh"
# shellcheck source=../lib/daemons.sh
source "$REPO/scripts/lib/daemons.sh"
# shellcheck source=../lib/steps.sh
source "$REPO/scripts/lib/steps.sh"

run_init model-deployments-benchmark
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
STEP_LOGS="$LOGS/steps"
mkdir -p "$STEP_LOGS"
STEP_WIDTH=44

# shellcheck source=common.sh
source "$HERE/common.sh"
# shellcheck source=phases-demo.sh
source "$HERE/phases-demo.sh"
# shellcheck source=phases-extra.sh
source "$HERE/phases-extra.sh"

cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM
  stop_daemon watchdog
  stop_jobs
  stop_daemons
  run_end "$rc" "benchmark"
}
run_traps cleanup
start_watchdog "$TIMEOUT"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Work directory $WORK; node $(node -v); phases: $ONLY$([ "$QUICK" = 1 ] && echo ' (quick)')"
step "dependencies" ensure_dependencies

# Each phase stops itself at its deadline; a failed one is reported as not
# measured and the others still run.
if want compare || want pages; then
  step "compare: 2,000 models × 3 envs, 1 cluster" --go-on phase_compare
fi
if want fleet || want render; then
  step "fleet: 1,000 models × 4 envs$(want render && echo ', page')" --go-on phase_fleet
fi
want cache && step "cache: memory, cold sync of 10,000" --go-on phase_cache
if want clusters; then
  step "clusters: 2 clusters" --go-on phase_clusters_n 2
  step "clusters: 6 clusters" --go-on phase_clusters_n 6
fi
want real && step "real: kube-apiserver 1.37, 1 cluster" --go-on phase_real

FAILED="$(IFS='|'; echo "${FAILED_STEPS[*]:-}")"
export FAILED
# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
  const fs = require("fs"), os = require("os");
  const [out, args, before, seconds] = process.argv.slice(1);
  const cpus = os.cpus();
  fs.writeFileSync(out, JSON.stringify({
    args, date: new Date().toISOString(), seconds: Number(seconds),
    loadBefore: before, loadAfter: fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
    failed: process.env.FAILED ? process.env.FAILED.split("|").filter(Boolean) : [],
    machine: {
      cpu: (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus[0]?.model,
      cpus: (fs.readFileSync("/proc/cpuinfo", "utf8").match(/^processor\s*:/gm) ?? cpus).length,
      ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
      os: `${os.type()} ${os.release()}`,
    },
  }, null, 2));
' "$RESULTS/run.json" "$ARGS" "$LOAD_BEFORE" "$((SECONDS - RUN_START))"
echo
node "$HERE/report.mjs" "$RESULTS" "$OUT"
# The repository's formatting (scripts/test.sh checks it with Prettier).
(cd "$REPO" && node node_modules/.bin/prettier --write "$OUT" >/dev/null) || true
echo
echo "Report written to ${OUT#"$REPO"/}"
if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
  echo "run.sh: not measured (failed or timed out): ${FAILED_STEPS[*]}" >&2
  exit 1
fi
