#!/usr/bin/env bash
# Runs every check: type check, lint, formatting, unit and browser tests.
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
step "lint" yarn backstage-cli repo lint
step "formatting" yarn prettier --check .
# A real etcd + kube-apiserver for the conformance suite, built once from Go
# modules and cached outside the repository (minutes on a fresh machine).
step "control plane build" bash scripts/kube-apiserver.sh build

run_tests() {
  trap stop_postgres EXIT
  ensure_postgres
  # CI=true keeps Jest out of watch mode.
  CI=true yarn test </dev/null
}
step "tests" run_tests

run_browser_tests() {
  ensure_chromium
  yarn playwright test
}
step "browser tests" run_browser_tests
