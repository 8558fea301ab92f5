#!/usr/bin/env bash
# Sourced by the end-to-end tests (scripts/install-test, scripts/scale-out):
# background processes with a log each, waits with a deadline, and the stop
# of everything started. Needs WORK (pid files go to $WORK/pids) and LOGS
# (logs go to $LOGS/NAME.log), set by run_init of steps.sh.
#
#   start_daemon NAME DIR COMMAND...   COMMAND in DIR in its own session
#   start_watchdog SECONDS             sends this script TERM after SECONDS
#   daemon_pid NAME / forget_daemon NAME
#   stop_daemon NAME / stop_daemons    TERM to the process group, KILL after 10 s
#   stop_jobs                          TERM to this shell's background jobs
#                                      (the steps still running) and their children
#   wait_for NAME SECONDS COMMAND...   until COMMAND succeeds, while NAME runs
#   wait_for_url NAME SECONDS URL      until URL answers 2xx, while NAME runs
#   log_tail FILE LINES [EXCLUDE_RE]   the end of a log, with a heading, to stderr
#   free_port [TAKEN...]               a free TCP port of 127.0.0.1
#
# Loopback only. Functions return non-zero on failure; callers (scripts with
# `set -euo pipefail`) add `|| return 1` where errexit does not apply.

LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# COMMAND runs under setsid, so its pid is its process group and stopping it
# stops whatever it started. Its output goes to $LOGS/NAME.log.
start_daemon() {
  local name="$1" dir="$2"
  shift 2
  mkdir -p "$WORK/pids"
  (cd "$dir" && exec setsid "$@") >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$WORK/pids/$name"
  # Stopped through the pid file; no "Killed" notice when a test kills one.
  disown $!
}

# The hard limit of a run: stops this script (its TERM trap cleans up).
start_watchdog() {
  start_daemon watchdog "$WORK" bash -c "sleep $1; kill -TERM $$"
}

daemon_pid() { cat "$WORK/pids/$1" 2>/dev/null || true; }

# For a daemon that is gone (a test killed it): nothing left to stop.
forget_daemon() { rm -f "$WORK/pids/$1"; }

stop_daemon() {
  local file="$WORK/pids/$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  rm -f "$file"
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

# Every daemon still running, the watchdog first.
stop_daemons() {
  local f
  stop_daemon watchdog
  for f in "$WORK"/pids/*; do
    [ -e "$f" ] && stop_daemon "$(basename "$f")"
  done
  return 0
}

# The processes under PID, deepest first.
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || ps -o pid= --ppid "$1" 2>/dev/null || true); do
    descendants "$child"
    echo "$child"
  done
}

# A step runs as a background subshell whose commands are its children: kill
# just the subshell and they would go on, orphaned.
stop_jobs() {
  local job pids=()
  for job in $(jobs -p); do
    # shellcheck disable=SC2207 # pids, one a line
    pids+=($(descendants "$job") "$job")
  done
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
}

log_tail() {
  local file="$1" lines="$2" exclude="${3:-}"
  [ -s "$file" ] || return 0
  echo "---- last lines of $file ----" >&2
  if [ -n "$exclude" ]; then
    grep -v -E -e "$exclude" "$file" | tail -n "$lines" >&2 || true
  else
    tail -n "$lines" "$file" >&2
  fi
}

daemon_alive() {
  local pid
  pid="$(daemon_pid "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Polls COMMAND (its stderr dropped) every 0.25 s for SECONDS; fails at once
# when daemon NAME exits, with the end of its log.
wait_for() {
  local name="$1" seconds="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" 2>/dev/null; then return 0; fi
    if ! daemon_alive "$name"; then
      echo "run.sh: $name exited" >&2
      log_tail "$LOGS/$name.log" 40
      return 1
    fi
    sleep 0.25
  done
  echo "run.sh: $name not ready after ${seconds}s" >&2
  log_tail "$LOGS/$name.log" 40
  return 1
}

# One Node process polls (wait-url.mjs), rather than one per attempt.
wait_for_url() {
  local name="$1" seconds="$2" url="$3" rc=0
  node "$LIB_DIR/wait-url.mjs" "$url" "$seconds" "$(daemon_pid "$name")" || rc=$?
  case "$rc" in
    0) return 0 ;;
    3) echo "run.sh: $name exited" >&2 ;;
    *) echo "run.sh: $name not ready after ${seconds}s ($url)" >&2 ;;
  esac
  log_tail "$LOGS/$name.log" 40
  return 1
}

# shellcheck disable=SC2120 # TAKEN is optional
free_port() {
  local port taken
  for _ in 1 2 3 4 5 6 7 8; do
    port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")" ||
      return 1
    for taken in "$@"; do
      [ "$port" = "$taken" ] && continue 2
    done
    echo "$port"
    return 0
  done
  echo "run.sh: no free port" >&2
  return 1
}
