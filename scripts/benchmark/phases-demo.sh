#!/usr/bin/env bash
# Sourced by run.sh: the phases on the demo cluster. Each runs as a step
# (a background job) with its own deadline, writes RESULTS/<name>.json, and
# stops its daemons when it ends. Sizes come from run.sh (SAMPLE, WARMUP, …).

# The 2,000 models' catalog file, shared by every backend of the 1-, 2- and
# 6-cluster runs (and their SQLite catalog in $WORK/db-2000).
CATALOG_2000="$WORK/seed-2000"
seed_2000() {
  [ -s "$CATALOG_2000/catalog.yaml" ] ||
    node "$HERE/seed.mjs" "$CATALOG_2000" --models 2000 --namespaces dev,staging,production
}

# compare_on NAME CLUSTERS ENVIRONMENTS PROXIES... : a backend on the 2,000
# models' catalog with these clusters and environments, permission off; the
# entity-view comparison into RESULTS/NAME.json (and, for the 1-cluster run
# when asked, the 50 pages into RESULTS/pages.json).
compare_on() {
  local name="$1" clusters="$2" environments="$3" scenario="$4"
  shift 4
  local proxies=("$@") port
  port="$(free_port)"
  backend_config "$WORK/$name-backend.yaml" --port "$port" --work "$WORK/$name-work" \
    --catalog "$CATALOG_2000/catalog.yaml" --clusters "$clusters" \
    --environments "$environments" --permission off
  database_config "$WORK/$name-db.yaml" "$WORK/db-2000"
  mkdir -p "$WORK/$name-work"
  start_backend "$name-backend" "$port" "$WORK/$name-backend.yaml" "$WORK/$name-db.yaml" || return 1
  bounded node "$HERE/ready.mjs" "$BACKEND" 2000 "$(left)"
  local proxies_json delays_json='[0,30]'
  proxies_json="$(printf '"%s",' "${proxies[@]}")"
  settings "$WORK/$name.json" backend="\"$BACKEND\"" proxies="[${proxies_json%,}]" \
    names="\"$CATALOG_2000/names.json\"" environments=3 sample="$SAMPLE" warmup="$WARMUP" \
    delays="$delays_json" deadlineSeconds="$(($(left) - 30))" label="\"$name\"" \
    serviceToken="\"$SERVICE_TOKEN\"" scenario="\"$scenario\"" \
    permissionNote='"permission.enabled: false for both plugins, since the example policy denies users the Kubernetes plugin routes"'
  if [ "$name" != compare ] || want compare; then
    bounded node "$HERE/compare.mjs" "$WORK/$name.json" "$RESULTS/$name.json"
  fi
  if [ "$name" = compare ] && want pages; then
    settings "$WORK/pages.json" backend="\"$BACKEND\"" proxies="[${proxies_json%,}]" \
      names="\"$CATALOG_2000/names.json\"" pages=50 windowSeconds="$PAGES_WINDOW" \
      serviceToken="\"$SERVICE_TOKEN\""
    bounded node "$HERE/pages.mjs" "$WORK/pages.json" "$RESULTS/pages.json"
  fi
}

# Phase 1: 2,000 models × dev, staging, production on one demo cluster.
phase_compare() {
  phase_begin "$((COMPARE_SECONDS + (PAGES_WINDOW * 2 + 30)))"
  seed_2000
  start_cluster compare-cluster "$CATALOG_2000/objects.json" || return 1
  start_proxy compare-proxy "$CLUSTER_URL" || return 1
  compare_on compare "bench=$PROXY_URL" "dev=bench,staging=bench,production=bench" \
    "demo cluster, 2,000 models × 3 environments, 1 cluster" "$PROXY_URL"
}

# Phase 2: the same environments and objects spread over N clusters, each a
# demo cluster behind its own proxy; dev, staging, production on the first
# three (2 clusters: dev and staging share the first); the others hold 2,000
# SeldonDeployments of other models in namespace "other".
phase_clusters() {
  local n="$1" i proxies=() clusters="" environments
  phase_begin "$CLUSTERS_SECONDS"
  seed_2000
  local split="$WORK/seed-split"
  if [ ! -s "$split/c1/objects.json" ]; then
    node "$HERE/seed.mjs" "$split/dev" --models 2000 --namespaces dev >/dev/null
    node "$HERE/seed.mjs" "$split/staging" --models 2000 --namespaces staging >/dev/null
    node "$HERE/seed.mjs" "$split/production" --models 2000 --namespaces production >/dev/null
    node "$HERE/seed.mjs" "$split/other" --models 2000 --namespaces other --prefix other >/dev/null
    mkdir -p "$split/c1"
    node -e 'const fs=require("fs");const [o,...f]=process.argv.slice(1);fs.writeFileSync(o,JSON.stringify(f.flatMap(x=>JSON.parse(fs.readFileSync(x)))))' \
      "$split/c1/objects.json" "$split/dev/objects.json" "$split/staging/objects.json"
  fi
  for i in $(seq 1 "$n"); do
    local objects="$split/other/objects.json"
    if [ "$n" = 2 ]; then
      [ "$i" = 1 ] && objects="$split/c1/objects.json"
      [ "$i" = 2 ] && objects="$split/production/objects.json"
    else
      [ "$i" = 1 ] && objects="$split/dev/objects.json"
      [ "$i" = 2 ] && objects="$split/staging/objects.json"
      [ "$i" = 3 ] && objects="$split/production/objects.json"
    fi
    start_cluster "clusters$n-cluster$i" "$objects" || return 1
    start_proxy "clusters$n-proxy$i" "$CLUSTER_URL" || return 1
    proxies+=("$PROXY_URL")
    clusters+="c$i=$PROXY_URL,"
  done
  if [ "$n" = 2 ]; then
    environments="dev=c1,staging=c1,production=c2"
  else
    environments="dev=c1,staging=c2,production=c3"
  fi
  compare_on "clusters-$n" "${clusters%,}" "$environments" \
    "$n demo clusters, 2,000 models × 3 environments" "${proxies[@]}"
}

# The variants with a smaller sample (run in the step's subshell).
phase_clusters_n() {
  SAMPLE="$CLUSTERS_SAMPLE"
  phase_clusters "$1"
}

# Phase 1: the fleet API at 1,000 models × 4 environments, with the example
# portal's permission policy (production restricted; the models are owned by
# the guest's group ml-platform, so the guest reads all four). The same
# backend serves the fleet page to Chromium (render_fleet, phase 2).
phase_fleet() {
  local render_seconds=0 origin=() render_port
  # shellcheck disable=SC2153 # set by run.sh
  want render && render_seconds="$RENDER_SECONDS"
  phase_begin "$((FLEET_SECONDS + render_seconds))"
  local dir="$WORK/seed-fleet" port
  node "$HERE/seed.mjs" "$dir" --models 1000 --namespaces dev,test,staging,production
  start_cluster fleet-cluster "$dir/objects.json" || return 1
  start_proxy fleet-proxy "$CLUSTER_URL" || return 1
  port="$(free_port)"
  if want render; then
    # The app's own origin: the render server in front of the backend.
    render_port="$(free_port "$port")"
    origin=(--app-origin "http://127.0.0.1:$render_port")
  fi
  mkdir -p "$WORK/fleet-work"
  backend_config "$WORK/fleet-backend.yaml" --port "$port" --work "$WORK/fleet-work" "${origin[@]}" \
    --catalog "$dir/catalog.yaml" --clusters "bench=$PROXY_URL" \
    --environments "dev=bench,test=bench,staging=bench,production=bench" \
    --permission policy --restricted production
  start_backend fleet-backend "$port" "$WORK/fleet-backend.yaml" || return 1
  bounded node "$HERE/ready.mjs" "$BACKEND" 1000 "$(left)"
  settings "$WORK/fleet.json" backend="\"$BACKEND\"" proxies="[\"$PROXY_URL\"]" \
    names="\"$dir/names.json\"" models=1000 environments='["dev","test","staging","production"]' \
    sample="$FLEET_SAMPLE" warmup="$FLEET_WARMUP" entitySample="$SAMPLE" \
    deadlineSeconds="$(($(left) - 20))" label='"fleet"' \
    permission='"policy"' permissionNote='"the example policy (permission.enabled: true)"'
  if want fleet; then
    bounded node "$HERE/fleet.mjs" "$WORK/fleet.json" "$RESULTS/fleet.json"
  fi
  if want render; then
    render_fleet "$render_port"
  fi
}

# Phase 1: heap per cached resource and cold sync of 10,000 resources
# (2,000 SeldonDeployments in each of 5 namespaces), cache-memory.ts.
phase_cache() {
  phase_begin "$CACHE_SECONDS"
  local dir="$WORK/seed-cache"
  node "$HERE/seed.mjs" "$dir" --models 2000 --namespaces mem-0,mem-1,mem-2,mem-3,mem-4 --prefix cached
  start_cluster cache-cluster "$dir/objects.json" || return 1
  start_proxy cache-proxy "$CLUSTER_URL" --strip-prefix /proxy --auth "$CLUSTER_TOKEN" || return 1
  settings "$WORK/cache.json" proxy="\"$PROXY_URL\"" \
    namespaces='["mem-0","mem-1","mem-2","mem-3","mem-4"]' emptyNamespace='"mem-empty"' \
    expected=10000 delays='[0,30]' runs="$CACHE_RUNS"
  (cd "$REPO" && bounded node --expose-gc "${NODE_TRANSFORM[@]}" "$HERE/cache-memory.ts" \
    "$WORK/cache.json" "$RESULTS/cache.json")
}
