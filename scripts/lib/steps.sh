#!/usr/bin/env bash
# Sourced by the end-to-end tests (scripts/install-test, scripts/scale-out):
# the work directory, timed steps and the end-of-run report.
#
#   run_init PREFIX          WORK (a new /tmp/PREFIX.XXXXXX), LOGS, TIMINGS
#   run_traps FUNCTION       FUNCTION on exit; INT exits 130, TERM 143
#   step NAME [--here|--go-on] COMMAND...
#   run_end RC LABEL         the step timings, WORK kept (KEEP=1) or removed,
#                            "LABEL: PASSED" or "LABEL: FAILED (exit RC)"; exits RC
#
# Settings, read when used: STEP_WIDTH (name column, default 40), STEP_LOGS
# (when set, a directory: each step's output goes to STEP_LOGS/NAME.log, the
# terminal shows one line per step and the log's end when it fails).
#
# For scripts with `set -euo pipefail`; sets no shell options itself.

STEP_WIDTH="${STEP_WIDTH:-40}"
STEP_LOGS="${STEP_LOGS:-}"
FAILED_STEPS=()

run_init() {
  WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
  LOGS="$WORK/logs"
  mkdir -p "$LOGS"
  TIMINGS="$WORK/timings.txt"
  : >"$TIMINGS"
  RUN_START=$SECONDS
}

run_traps() {
  # shellcheck disable=SC2064 # the function name, now
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'echo "run.sh: stopped (timeout or signal)" >&2; exit 143' TERM
}

# The log of step NAME: its name with anything but letters, digits and dots
# turned into single dashes.
step_log() {
  local n="${1//[^A-Za-z0-9.]/-}"
  echo "$STEP_LOGS/${n//--/-}.log"
}

step_timing() {
  printf '  %-*s %5ss%s\n' "$STEP_WIDTH" "$1" "$2" "${3:+  $3}" >>"$TIMINGS"
}

# step NAME [--here|--go-on] COMMAND... : times COMMAND and stops the run
# (exit 1) when it fails. COMMAND runs as a background job with errexit on,
# which a timeout or signal can interrupt; with --here it runs in this shell,
# for the functions that start daemons and set the variables later steps use
# (errexit does not apply there: they return on failure themselves, and must
# stay bounded on their own). With --go-on a failure is recorded in
# FAILED_STEPS and the later steps run; the caller fails the run at the end.
step() {
  local name="$1" t0=$SECONDS rc=0 mode="" log=""
  shift
  case "$1" in --here | --go-on) mode="$1"; shift ;; esac
  if [ -n "$STEP_LOGS" ]; then
    log="$(step_log "$name")"
    printf '%(%H:%M:%S)T  %-*s ' -1 "$STEP_WIDTH" "$name"
  else
    printf '%(%H:%M:%S)T  %s\n' -1 "$name"
  fi
  if [ "$mode" = --here ]; then
    step_run "$log" "$@" || rc=$?
  else
    (set -e; step_run "$log" "$@") &
    wait $! || rc=$?
  fi
  local took=$((SECONDS - t0))
  if [ "$rc" = 0 ]; then
    if [ -n "$log" ]; then printf '%4ss\n' "$took"; fi
    step_timing "$name" "$took"
    return 0
  fi
  step_timing "$name" "$took" FAILED
  if [ -n "$log" ]; then
    printf 'FAILED after %ss\n' "$took"
    log_tail "$log" 60
    echo "---- run.sh: step '$name' failed (exit $rc); rerun with --keep to keep $LOGS ----" >&2
  else
    echo "run.sh: step '$name' failed (exit $rc) after ${took}s; --keep keeps $WORK" >&2
  fi
  if [ "$mode" = --go-on ]; then
    FAILED_STEPS+=("$name")
    return 0
  fi
  exit 1
}

# step_run LOG COMMAND... : COMMAND, its output to LOG when LOG is not empty.
step_run() {
  local log="$1"
  shift
  if [ -n "$log" ]; then
    "$@" >"$log" 2>&1 </dev/null
  else
    "$@"
  fi
}

run_end() {
  local rc="$1" label="$2"
  echo
  if [ -s "$TIMINGS" ]; then
    echo "Step timings:"
    cat "$TIMINGS"
    printf '  %-*s %5ss\n' "$STEP_WIDTH" "total" "$((SECONDS - RUN_START))"
  fi
  if [ "${KEEP:-0}" = 1 ]; then
    echo "Kept $WORK (logs in $LOGS)"
  else
    rm -rf "$WORK"
  fi
  if [ "$rc" = 0 ]; then echo "$label: PASSED"; else echo "$label: FAILED (exit $rc)" >&2; fi
  exit "$rc"
}
