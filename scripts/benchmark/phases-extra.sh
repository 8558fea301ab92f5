#!/usr/bin/env bash
# Sourced by run.sh: the phases beyond the demo cluster (phase 2 of the
# brief): the same comparison on a real kube-apiserver, and the fleet page
# rendered in Chromium.

# The 1-cluster comparison against a real etcd + kube-apiserver 1.37
# (scripts/kube-apiserver.sh, built once from Go modules and cached) with the
# published CRDs, seeded with the same 6,000 SeldonDeployments through
# seedCluster (create, then /status). Both plugins use the admin token: the
# Kubernetes plugin lists cluster-wide, which the least-privilege RBAC of
# examples/kubernetes/rbac.yaml does not grant.
phase_real() {
  phase_begin "$REAL_SECONDS"
  seed_2000
  local kdir="$WORK/kube" kube="$REPO/scripts/kube-apiserver.sh" url
  local crds="${MODEL_DEPLOYMENTS_CRDS:-$REPO/../shared/crds}"
  if [ ! -d "$crds" ]; then
    echo "real: no CRD folder $crds (set MODEL_DEPLOYMENTS_CRDS)" >&2
    return 1
  fi
  PHASE_CLEANUP+=("bash $kube stop $kdir")
  bounded bash "$kube" start "$kdir"
  bounded bash "$kube" crds "$kdir" "$crds"
  (cd "$REPO" && bounded node "${NODE_TRANSFORM[@]}" "$HERE/seed-real.ts" \
    "$kdir/env.json" "$CATALOG_2000/objects.json" 8)
  url="$(node -p 'require(process.argv[1]).KUBE_APISERVER_URL' "$kdir/env.json")"
  start_proxy real-proxy "$url" || return 1
  # shellcheck disable=SC2034 # read by backend_config
  CLUSTER_TOKEN="$(node -p 'require(process.argv[1]).KUBE_ADMIN_TOKEN' "$kdir/env.json")"
  compare_on real "bench=$PROXY_URL" "dev=bench,staging=bench,production=bench" \
    "real kube-apiserver 1.37, 2,000 models × 3 environments" "$PROXY_URL"
}

# The fleet page in Chromium (called by phase_fleet, whose backend answers
# the fleet API): the example app (packages/app) built for production into
# the work directory (a copy of the package, resolving the repository's
# node_modules through a symlink beside it; the checkout is not written),
# served with the API on one origin by render-server.mjs; render.mjs loads it.
render_fleet() {
  local port="$1" build="$WORK/app-build" origin="http://127.0.0.1:$1"
  ensure_chromium
  rm -rf "$build"
  mkdir -p "$build"
  cp -r "$REPO/packages/app" "$build/app"
  rm -rf "$build/app/dist" "$build/app/node_modules"
  mkdir "$build/app/node_modules"
  ln -s "$REPO/node_modules" "$build/node_modules"
  printf 'app:\n  baseUrl: %s\nbackend:\n  baseUrl: %s\n' "$origin" "$origin" >"$build/frontend.yaml"
  local t0=$SECONDS
  if ! (cd "$build/app" && bounded node "$REPO/node_modules/@backstage/cli/bin/backstage-cli" \
    package build --config "$REPO/app-config.yaml" --config "$build/frontend.yaml") \
    >"$LOGS/app-build.log" 2>&1; then
    tail -n 30 "$LOGS/app-build.log"
    return 1
  fi
  echo "app: production build in $((SECONDS - t0)) s"
  phase_daemon render-server "$REPO" node "$HERE/render-server.mjs" "$build/app/dist" "$BACKEND" "$port"
  wait_for_url render-server 30 "$origin/.backstage/health/v1/readiness" || return 1
  settings "$WORK/render.json" url="\"$origin\"" models=1000 environments=4 \
    loads="$RENDER_LOADS" chromium="\"$CHROMIUM_PATH\"" timeoutSeconds=120
  bounded node "$HERE/render.mjs" "$WORK/render.json" "$RESULTS/render.json"
}
