#!/usr/bin/env bash
# Installs the suite's five packed packages into fresh Backstage apps made by
# @backstage/create-app 0.9.2 (Backstage 1.55), one with the new frontend
# system and one with the legacy one, following the plugins' READMEs
# (install, permission policy, templates), and checks that each app
# type-checks, lints, builds and starts; that guest reads a model's
# deployments in dev and staging of the demo cluster but not production, and
# not the Kubernetes proxy; and, in Chromium, the Deployments tab, the fleet
# page and a promotion through the "Promote a model" template.
#
#   scripts/install-test/run.sh [--keep] [--only nfs|legacy] [--tarballs DIR] [--no-ui]
#
#   --keep          keep the work directory (apps, logs, screenshots)
#   --only FLAVOR   test one app: nfs (new frontend system) or legacy
#   --tarballs DIR  use these packed tarballs instead of building and packing the repo
#   --no-ui         skip the browser check
#
# Loopback only; everything lives in a temp directory removed at the end.
# Every process it starts is stopped on exit. Exits non-zero at the first
# failing check, with the tail of that step's log.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
KEEP=0
FLAVORS=(nfs legacy)
TARBALLS=""
UI=1
# A model of examples/entities.yaml deployed in all three example environments.
MODEL="${INSTALL_TEST_MODEL:-iris-classifier}"
MODEL_TITLE="${INSTALL_TEST_MODEL_TITLE:-Iris classifier}"
CREATE_APP="@backstage/create-app@0.9.2"

while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --only) FLAVORS=("$2"); shift ;;
    --tarballs) TARBALLS="$(cd "$2" && pwd)"; shift ;;
    --no-ui) UI=0 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
for f in "${FLAVORS[@]}"; do
  case "$f" in nfs | legacy) ;; *) echo "run.sh: --only takes nfs or legacy" >&2; exit 2 ;; esac
done

# shellcheck source=../toolchain.sh
source "$REPO/scripts/toolchain.sh"
# shellcheck source=../lib/daemons.sh
source "$REPO/scripts/lib/daemons.sh"
# shellcheck source=../lib/steps.sh
source "$REPO/scripts/lib/steps.sh"

run_init model-deployments-install-test
mkdir -p "$WORK/bin"
# Each step's output in its own log; the terminal shows one line per step.
STEP_LOGS="$LOGS"
STEP_WIDTH=44

cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM
  stop_daemons
  # Steps running in the background of this shell (interrupted runs).
  stop_jobs
  run_end "$rc" "install test"
}
run_traps cleanup

# ---------------------------------------------------------------- toolchain
# create-app runs `yarn -v` through /bin/sh, so a real yarn on PATH.
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$MODEL_DEPLOYMENTS_YARN_CJS" >"$WORK/bin/yarn"
chmod +x "$WORK/bin/yarn"
export PATH="$WORK/bin:$PATH"
unset -f yarn
echo "Work directory $WORK; node $(node -v), yarn $(yarn -v)"

step "repo: dependencies" ensure_dependencies

# ---------------------------------------------------------------- tarballs
if [ -z "$TARBALLS" ]; then
  TARBALLS="$WORK/tarballs"
  build_tarballs() {
    cd "$REPO"
    yarn tsc
    yarn backstage-cli repo build
    node scripts/check-packages.mjs --out "$TARBALLS"
  }
  step "repo: tsc, build, pack" build_tarballs
fi
ls "$TARBALLS"/*.tgz >/dev/null 2>&1 || { echo "run.sh: no tarballs in $TARBALLS" >&2; exit 1; }

# ---------------------------------------------------------------- age gate
# create-app cannot fetch its seed yarn.lock here, so `^` ranges would float
# onto the Backstage release after 1.55; gate out everything published since
# @backstage/backend-defaults 0.19.0 (its first release).
compute_gate() {
  npm view @backstage/backend-defaults time --json >"$WORK/backend-defaults-time.json"
  # shellcheck disable=SC2016 # JavaScript
  node -e '
    const t = require(process.argv[1])["0.19.0"];
    if (!t) { console.log("none"); process.exit(0); }
    const days = Math.floor((Date.now() - Date.parse(t)) / 86400000) + 1;
    console.log(`${days}d`);
  ' "$WORK/backend-defaults-time.json" >"$WORK/age-gate"
  echo "@backstage/backend-defaults 0.19.0 gate: $(cat "$WORK/age-gate")"
}
step "npm: age gate" compute_gate
GATE="$(cat "$WORK/age-gate")"
if [ "$GATE" = none ]; then GATE=3d; fi # 0.19.0 not published: the template's gate

# A new app has no lockfile yet; Yarn makes installs immutable when CI is set.
export YARN_ENABLE_IMMUTABLE_INSTALLS=false

# ---------------------------------------------------------------- demo cluster
# packages/demo-cluster/README.md, "Trying the plugins in your own app".
start_demo() {
  start_daemon demo-cluster "$REPO" yarn demo-cluster --port 0 --git-port 0 \
    --config-out "$WORK/demo-config.yaml"
  wait_for demo-cluster 120 grep -q '^modelDeployments:' "$WORK/demo-config.yaml" || return 1
  head -n 2 "$LOGS/demo-cluster.log"
}
# In this shell (not step's background job) so the pid file is ours to clean up.
step "demo cluster: start" --here start_demo

# ---------------------------------------------------------------- one app
test_app() {
  local flavor="$1" app="$WORK/$1-app" port
  local legacy=()
  [ "$flavor" = legacy ] && legacy=(--legacy)

  step "$flavor: create-app" env BACKSTAGE_APP_NAME="$flavor-app" \
    npx --yes "$CREATE_APP" --skip-install --path "$app" "${legacy[@]}"

  patch_manifests() {
    node "$HERE/patch-app.mjs" yarnrc "$app" "$GATE"
    node "$HERE/patch-app.mjs" package "$app" "$TARBALLS" "$flavor"
  }
  step "$flavor: resolutions, age gate, deps" patch_manifests

  step "$flavor: yarn install" bash -c "cd '$app' && yarn install"

  # The README's `yarn add`s of packages other than ours (legacy: the
  # scaffolder's React package), run as written.
  extra_adds() {
    local cwd pkgs
    node "$HERE/patch-app.mjs" extra-adds "$flavor" >"$WORK/$flavor-extra-adds"
    cat "$WORK/$flavor-extra-adds"
    while read -r cwd pkgs; do
      # shellcheck disable=SC2086
      (cd "$app" && yarn --cwd "$cwd" add $pkgs)
    done <"$WORK/$flavor-extra-adds"
  }
  step "$flavor: README yarn add (others)" extra_adds

  apply_readmes() {
    node "$HERE/patch-app.mjs" copy-files "$app"
    node "$HERE/patch-app.mjs" backend "$app"
    node "$HERE/patch-app.mjs" frontend "$app" "$flavor"
  }
  step "$flavor: README code into the app" apply_readmes

  step "$flavor: single versions (yarn.lock)" node "$HERE/dupes.mjs" "$app" \
    @backstage/plugin-catalog-react @backstage/plugin-scaffolder-react \
    @backstage/plugin-catalog-node @backstage/plugin-scaffolder-node \
    @backstage/core-plugin-api @backstage/frontend-plugin-api \
    @backstage/backend-plugin-api react zod

  step "$flavor: yarn tsc" bash -c "cd '$app' && yarn tsc"
  step "$flavor: yarn lint:all" bash -c "cd '$app' && yarn lint:all"
  step "$flavor: yarn workspace app build" bash -c "cd '$app' && yarn workspace app build"

  port="$(free_port)"
  step "$flavor: app-config.local.yaml" node "$HERE/patch-app.mjs" config "$app" "$port" \
    "$WORK/demo-config.yaml" "$REPO/examples"

  # Development mode, so the guest provider signs in.
  start_daemon "$flavor-backend" "$app" env NODE_ENV=development yarn workspace backend start
  check_api() {
    if ! node "$HERE/check-api.mjs" "http://127.0.0.1:$port" "component:default/$MODEL" 300 \
      "$WORK/$flavor-deployments.json"; then
      log_tail "$LOGS/$flavor-backend.log" 40
      return 1
    fi
  }
  step "$flavor: backend start + deployments API" check_api

  if [ "$UI" = 1 ]; then
    ui_check() {
      ensure_chromium
      mkdir -p "$WORK/$flavor-screenshots"
      # What guest must see per environment, from the API answer check_api kept.
      node -e '
        const [deployments, entityPath, name, title] = process.argv.slice(1);
        const answer = require(deployments);
        console.log(JSON.stringify({
          entityPath, modelName: name, modelTitle: title,
          columns: answer.environments.map(e => ({
            title: e.environment.title ?? e.environment.name,
            shows: e.error?.type === "NOT_PERMITTED" ? "not-permitted" : "deployments",
          })),
          promote: {
            // Ready and in sync in dev (iris-classifier is not: demo drift).
            modelName: "fraud-scorer", modelTitle: "Fraud scorer",
            from: "dev", to: "staging", forbiddenTitle: "Production",
          },
        }));
      ' "$WORK/$flavor-deployments.json" "/catalog/default/component/$MODEL" "$MODEL" \
        "$MODEL_TITLE" >"$WORK/$flavor-ui-spec.json"
      node "$HERE/ui-check.cjs" "$app" "http://127.0.0.1:$port" \
        "$WORK/$flavor-ui-spec.json" "$WORK/$flavor-screenshots"
    }
    step "$flavor: browser: tab, fleet, Promote template" ui_check
  fi

  stop_daemon "$flavor-backend"
}

for flavor in "${FLAVORS[@]}"; do
  test_app "$flavor"
done
