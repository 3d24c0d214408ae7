#!/usr/bin/env bash
# What the dashboard costs while it waits: CPU time, wake-ups and peak resident memory
# of the release binary in a detached 100×30 tmux pane, read from /proc for the process
# and all its threads, in three states:
#
#   idle       the dashboard as it opens, nothing running
#   countdown  Space pressed: a step's countdown runs (the screen changes every second)
#   history    Space again (paused), then h: the history view over a 10-year journal
#
# CPU time is the scheduler's se.sum_exec_runtime (/proc/PID/task/*/sched, ns), summed
# over the threads; wake-ups are context switches (voluntary + nonvoluntary, from
# /proc/PID/task/*/status); peak memory is VmHWM (/proc/PID/status). One line per state;
# exit 1 when a budget (times --factor) is missed, 2 when the run could not be set up.
#
#   bench/idle.sh                          60 s per state, the budgets of BENCHMARKS.md
#   bench/idle.sh --seconds 20 --factor 3  what CI runs: a regression by 10× fails
#
# Needs tmux; builds this tree's release binary first (a no-op when it is up to date;
# --binary PATH uses another). python3 writes the 10-year journal
# (bench/make_journal.py); without python3 the journal is empty, and the script says so.
set -euo pipefail

seconds=60
factor=1
sessions=7300
settle=2
verbose=0
root=$(cd "$(dirname "$0")/.." && pwd)
bin=""

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  echo "options: --seconds N (per state, default 60)  --factor F (budgets × F, default 1)"
  echo "         --sessions N (journal size, default 7300; 0 for none)  --binary PATH"
  echo "         --verbose (each thread's share: CPU ms, voluntary and nonvoluntary switches)"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --factor) factor=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --binary) bin=$2; shift 2 ;;
    --verbose) verbose=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "idle.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

command -v tmux >/dev/null || { echo "idle.sh: tmux is needed (apt-get install tmux)" >&2; exit 2; }
# The release build of this tree (a no-op when it is up to date), unless --binary names one.
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet) >&2
  bin="${CARGO_TARGET_DIR:-$root/target}/release/rollcoach"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rollcoach-idle.XXXXXX")
# A private tmux server: its own socket dir, no user config, not the tmux we may run in.
unset TMUX TMUX_PANE
export TMUX_TMPDIR="$tmp/tmux"
mkdir -p "$TMUX_TMPDIR" "$tmp/config" "$tmp/data"
pid=
cleanup() {
  tmux kill-server 2>/dev/null || true
  # The hang-up makes rollcoach save its session into the data dir: let it finish.
  for _ in $(seq 50); do
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  rm -rf "$tmp" || true
}
trap cleanup EXIT

# The built-in routine with a 3-hour first step (so a countdown runs for the whole
# measurement), without `at` times (no routine falls due in the middle of a window), no
# check-in, and no desktop notifications (no D-Bus) or bell. The config has a directory
# of its own: the dashboard watches it, and the data dir's writes must not wake that.
cat >"$tmp/config/config.ron" <<'RON'
(
    day_starts_at: "04:00",
    roller: (needle_mm: 0.5, replace_after_uses: 15),
    notify: (desktop: false, bell: false, warn_before: "10s"),
    checkin: [],
    hooks: [],
    routines: [
        (name: "morning", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "3h"),
            (name: "Vitamin C serum", kind: Serum, duration: "1m", pause_after_roll: "48h"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
            (name: "Sunscreen", kind: Protect, duration: "30s"),
        ]),
        (name: "evening", auto_advance: false, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m 30s"),
            (name: "Sanitize roller", kind: Sanitize, duration: "5m", when: RollDay),
            (name: "Roll", kind: Roll, when: RollDay, passes: 4, zones: [
                (name: "Forehead", duration: "45s"),
                (name: "Left cheek", duration: "45s"),
                (name: "Right cheek", duration: "45s"),
                (name: "Chin", duration: "30s"),
            ]),
            (name: "Disinfect roller", kind: Sanitize, duration: "5m", when: RollDay),
            (name: "Hyaluronic serum", kind: Serum, duration: "1m"),
            (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay, pause_after_roll: "72h"),
            (name: "Exfoliant", kind: Treatment, duration: "30s", when: Weekdays([Tue, Fri]), pause_after_roll: "72h"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)
RON
"$bin" --config "$tmp/config/config.ron" check >/dev/null \
  || { echo "idle.sh: the bench config does not pass \`rollcoach check\`" >&2; exit 2; }

journal_note="no journal"
if [ "$sessions" -gt 0 ]; then
  if command -v python3 >/dev/null; then
    python3 "$root/bench/make_journal.py" --sessions "$sessions" --out "$tmp/data/journal.jsonl"
    journal_note="journal of $sessions sessions ($(($(wc -c <"$tmp/data/journal.jsonl") / 1000)) kB)"
  else
    echo "idle.sh: python3 not found: the history view runs on an empty journal" >&2
  fi
fi

printf 'set -g status off\nset -g default-size 100x30\n' >"$tmp/tmux.conf"
# NO_COLOR unset: the colours are drawn as a person sees them.
tmux -f "$tmp/tmux.conf" new-session -d -s bench -x 100 -y 30 \
  "exec env -u NO_COLOR '$bin' --config '$tmp/config/config.ron' --data-dir '$tmp/data'"

screen_has() {
  tmux capture-pane -p -t bench 2>/dev/null | grep -q "$1"
}
wait_for() {
  for _ in $(seq 100); do
    screen_has "$1" && return 0
    sleep 0.1
  done
  echo "idle.sh: \"$1\" never showed on the screen:" >&2
  tmux capture-pane -p -t bench >&2 || true
  exit 2
}

wait_for "Cleanse"
pid=$(tmux display -p -t bench '#{pane_pid}')
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = rollcoach ] \
  || { echo "idle.sh: pane process $pid is not rollcoach" >&2; exit 2; }
size=$(tmux display -p -t bench '#{pane_width}x#{pane_height}')

# CPU time of all threads in ms (ns precision), context switches, peak RSS in kB.
cpu_ms() { awk '/^se\.sum_exec_runtime/ { s += $3 } END { printf "%.6f", s }' /proc/"$pid"/task/*/sched 2>/dev/null; }
switches() { awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }' /proc/"$pid"/task/*/status 2>/dev/null; }
voluntary() { awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }' /proc/"$pid"/task/*/status 2>/dev/null; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' /proc/"$pid"/status; }
threads() { ls /proc/"$pid"/task | wc -l; }
# One line a thread: tid name cpu_ms voluntary nonvoluntary.
per_thread() {
  local t
  for t in /proc/"$pid"/task/*; do
    awk -v tid="${t##*/}" '
      FNR == 1 && FILENAME ~ /comm$/ { name = $0 }
      /^se\.sum_exec_runtime/ { cpu = $3 }
      /^voluntary_ctxt_switches/ { v = $2 }
      /^nonvoluntary_ctxt_switches/ { nv = $2 }
      END { printf "%s %s %s %s %s\n", tid, name, cpu, v, nv }' "$t/comm" "$t/sched" "$t/status" 2>/dev/null || true
  done
}

echo "rollcoach $("$bin" --version | awk '{print $2}') in a ${size} tmux pane, pid $pid, $(threads) threads, $journal_note"
echo "$seconds s per state; budgets × $factor"

failed=0
# measure NAME CPU_BUDGET_MS_PER_MIN WAKEUP_BUDGET_PER_S
measure() {
  local name=$1 cpu_budget=$2 wake_budget=$3 mem_budget=8
  local c0 s0 v0 c1 s1 v1 hwm
  [ "$verbose" = 1 ] && per_thread >"$tmp/before"
  c0=$(cpu_ms) s0=$(switches) v0=$(voluntary)
  sleep "$seconds"
  c1=$(cpu_ms) s1=$(switches) v1=$(voluntary) hwm=$(hwm_kb)
  [ "$verbose" = 1 ] && per_thread >"$tmp/after"
  kill -0 "$pid" 2>/dev/null || { echo "idle.sh: rollcoach exited during $name" >&2; exit 2; }
  local line
  line=$(awk -v n="$name" -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v v0="$v0" -v v1="$v1" -v t="$seconds" \
    -v hwm="$hwm" -v f="$factor" -v cb="$cpu_budget" -v wb="$wake_budget" -v mb="$mem_budget" '
    BEGIN {
      cpu = (c1 - c0) * 60 / t; wake = (s1 - s0) / t; mem = hwm * 1024 / 1e6
      ok = (cpu < cb * f) && (wake < wb * f) && (mem < mb * f)
      printf "%-10s CPU %7.3f ms/min (< %g)   wake-ups %6.3f /s (< %g; %.3f voluntary)   peak RSS %5.2f MB (< %g)   %s\n",
        n, cpu, cb * f, wake, wb * f, (v1 - v0) / t, mem, mb * f, ok ? "ok" : "MISSED"
    }')
  echo "$line"
  if [ "$verbose" = 1 ]; then
    awk 'NR == FNR { c[$1] = $3; v[$1] = $4; nv[$1] = $5; next }
      { printf "    thread %-7s %-16s CPU %9.3f ms   voluntary %5d   nonvoluntary %5d\n",
          $1, $2, $3 - c[$1], $4 - v[$1], $5 - nv[$1] }' "$tmp/before" "$tmp/after"
  fi
  case "$line" in *MISSED) failed=1 ;; esac
}

sleep "$settle"
measure idle 1 0.1

tmux send-keys -t bench Space
wait_for "running"
sleep "$settle"
measure countdown 30 1.5

# History is opened with the countdown paused; nothing on it changes by itself, so the
# dashboard should sleep as when idle: the idle budget.
tmux send-keys -t bench Space
wait_for "paused"
tmux send-keys -t bench h
wait_for "history"
sleep "$settle"
measure history 1 0.1

echo "threads at the end: $(threads)"
exit "$failed"
