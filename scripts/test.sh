#!/usr/bin/env bash
# Runs every check: type check, API reports, lint, formatting, the build and
# packing of every package, unit and browser tests, and the install test.
# Installs Node 22 and the dependencies first when needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_dependencies
cd "$REPO_ROOT"

step() {
  local name="$1"
  shift
  local started=$SECONDS
  echo "==> $name"
  "$@"
  echo "==> $name passed in $((SECONDS - started)) s"
}

step "type check" yarn tsc
# The public API of each published package against its committed report
# (after the type check, which writes the declarations it reads).
step "api reports" yarn check:api-reports
step "lint" yarn backstage-cli repo lint
step "formatting" yarn prettier --check .
# Every package built, the app and backend bundles too, and each published
# package packed and checked as npm would receive it.
step "build" yarn backstage-cli repo build --all
step "packages" yarn check:packages
# A real etcd + kube-apiserver for the conformance suite, built once from Go
# modules and cached outside the repository (minutes on a fresh machine).
step "control plane build" bash scripts/kube-apiserver.sh build

run_tests() {
  trap stop_postgres EXIT
  ensure_postgres
  # The metric gates are tested against a real Prometheus.
  ensure_prometheus
  # CI=true keeps Jest out of watch mode.
  CI=true yarn test </dev/null
}
step "tests" run_tests

# Two replicas of the example backend on one PostgreSQL behind a loopback
# load balancer: concurrent promotions, an outside Git writer, a replica
# killed mid-promotion (about a minute).
step "scale-out test" bash scripts/scale-out/run.sh

run_browser_tests() {
  ensure_chromium
  yarn playwright test
}
step "browser tests" run_browser_tests

# The packed packages installed into fresh create-app apps, both frontend
# systems, following the READMEs as code (needs the npm registry; minutes).
step "install test" bash scripts/install-test/run.sh
