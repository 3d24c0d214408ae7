#!/usr/bin/env bash
# `rollcoach status` and `rollcoach today --json` timed as whole processes (wall time,
# from exec to exit) on a 10-year journal (7,300 sessions, bench/make_journal.py) and
# the built-in routine. One line per command with the mean; exit 1 when a mean misses
# its budget (times --factor), 2 when the run could not be set up.
#
#   bench/commands.sh                 hyperfine when installed, else a timed loop
#   bench/commands.sh --runs 200 --no-hyperfine
#
# Budgets (BENCHMARKS.md): today --json < 20 ms, status < 10 ms; and, as CPU time
# (user + system) against `rollcoach --version` measured in the same run, the three
# commands taking turns: status at most 1.5 times, today --json at most 3 times.
# Needs python3 for the journal; builds this tree's release binary first (a no-op when it
# is up to date; --binary PATH uses another).
set -euo pipefail

runs=100
factor=1
sessions=7300
use_hyperfine=1
root=$(cd "$(dirname "$0")/.." && pwd)
bin=""

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --factor) factor=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --binary) bin=$2; shift 2 ;;
    --no-hyperfine) use_hyperfine=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "commands.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# The release build of this tree (a no-op when it is up to date), unless --binary names one.
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet) >&2
  bin="${CARGO_TARGET_DIR:-$root/target}/release/rollcoach"
fi
command -v python3 >/dev/null || { echo "commands.sh: python3 is needed for the journal" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rollcoach-commands.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
config="$tmp/config.ron"
data="$tmp/data"
mkdir -p "$data"
"$bin" --config "$config" init >/dev/null
python3 "$root/bench/make_journal.py" --sessions "$sessions" --out "$data/journal.jsonl"

# The journal must read cleanly, or the numbers are not about a 10-year journal.
if ! "$bin" --config "$config" --data-dir "$data" today --json >"$tmp/today.json"; then
  echo "commands.sh: rollcoach today --json failed" >&2
  exit 2
fi
if grep -q 'journal.jsonl line' "$tmp/today.json"; then
  echo "commands.sh: the generated journal has unreadable lines:" >&2
  grep 'journal.jsonl line' "$tmp/today.json" | head -3 >&2
  exit 2
fi

if [ "$use_hyperfine" = 1 ] && ! command -v hyperfine >/dev/null; then
  use_hyperfine=0
fi
how=$([ "$use_hyperfine" = 1 ] && hyperfine --version || echo "a loop of $runs runs, bash \$EPOCHREALTIME")
echo "rollcoach $("$bin" --version | awk '{print $2}'), journal of $sessions sessions ($(($(wc -c <"$data/journal.jsonl") / 1000)) kB), timed with $how"

# mean_ms NAME ARGS...: the mean wall time of the command in ms, on stdout.
mean_ms() {
  local name=$1
  shift
  if [ "$use_hyperfine" = 1 ]; then
    hyperfine --style none --warmup 5 --runs "$runs" -N \
      --export-json "$tmp/$name.json" \
      "$(printf '%q ' "$bin" --config "$config" --data-dir "$data" "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["mean"] * 1e3, r["min"] * 1e3))' \
      "$tmp/$name.json"
  else
    local i t0 t1
    for i in 1 2 3 4 5; do "$bin" --config "$config" --data-dir "$data" "$@" >/dev/null; done
    for ((i = 0; i < runs; i++)); do
      t0=$EPOCHREALTIME
      "$bin" --config "$config" --data-dir "$data" "$@" >/dev/null
      t1=$EPOCHREALTIME
      echo "$t0 $t1"
    done >"$tmp/$name.times"
    awk '{ d = $2 - $1; s += d; if (NR == 1 || d < m) m = d } END { printf "%.3f %.3f\n", s / NR * 1e3, m * 1e3 }' \
      "$tmp/$name.times"
  fi
}

failed=0
# check NAME BUDGET_MS ARGS...
check() {
  local name=$1 budget=$2
  shift 2
  local mean min
  read -r mean min < <(mean_ms "$name" "$@")
  awk -v n="rollcoach $*" -v m="$mean" -v lo="$min" -v b="$budget" -v f="$factor" 'BEGIN {
    printf "%-28s mean %7.3f ms wall (< %g ms; min %.3f)   %s\n", n, m, b * f, lo, (m < b * f) ? "ok" : "MISSED"
    exit (m < b * f) ? 0 : 1
  }' || failed=1
}

check today 20 today --json
check status 10 status

# CPU time against a bare start (`--version`): the three take turns, so that a busy
# moment of the machine weighs on each alike.
python3 - "$runs" "$factor" "$bin" "$config" "$data" <<'PY' || failed=1
import resource, subprocess, sys
runs, factor, bin_, config, data = int(sys.argv[1]), float(sys.argv[2]), *sys.argv[3:]
commands = {
    "version": [bin_, "--version"],
    "status": [bin_, "--config", config, "--data-dir", data, "status"],
    "today --json": [bin_, "--config", config, "--data-dir", data, "today", "--json"],
}
cpu = dict.fromkeys(commands, 0.0)
for i in range(runs + 5):
    for name, argv in commands.items():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i >= 5:
            cpu[name] += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
base = cpu["version"] / runs
print("%-28s mean %7.3f ms CPU" % ("rollcoach --version", base * 1e3))
missed = False
for name, budget in (("status", 1.5), ("today --json", 3.0)):
    mean = cpu[name] / runs
    ratio = mean / base
    ok = ratio < budget * factor
    missed |= not ok
    print("%-28s mean %7.3f ms CPU, %.2f x --version (< %g)   %s"
          % ("rollcoach " + name, mean * 1e3, ratio, budget * factor, "ok" if ok else "MISSED"))
sys.exit(1 if missed else 0)
PY
exit "$failed"
