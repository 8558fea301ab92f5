#!/usr/bin/env bash
# Starts the example portal on its demo default: app on http://localhost:3000,
# backend on http://localhost:7007, demo cluster on 127.0.0.1:7090.
# Installs Node 22 and the dependencies first when needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_dependencies
cd "$REPO_ROOT"
# Without --config, Backstage loads app-config.yaml and, when present,
# app-config.local.yaml (git-ignored) on top of it.
exec node "$MODEL_DEPLOYMENTS_YARN_CJS" start "$@"
