#!/usr/bin/env bash
# A real countdown in tmux, long enough for drift to show: after MINUTES (default 10)
# the time left on screen and the one `rollcoach status` reports must both be within
# one second of the wall clock. Not part of `cargo test` (it takes the whole time).
#
#   bench/long_countdown.sh [--minutes N]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes N]" >&2; exit 2 ;;
  esac
done
bin="${CARGO_TARGET_DIR:-target}/release/rollcoach"
cargo build --release --quiet
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }

work=$(mktemp -d)
export TMUX_TMPDIR=$work
trap 'tmux kill-server 2>/dev/null || true; sleep 0.3; rm -rf "$work"' EXIT
total=$(( minutes * 60 + 60 ))   # the step outlasts the measurement by a minute
cat > "$work/config.ron" <<RON
(notify: (desktop: false), routines: [(name: "long", steps: [
    (name: "Countdown", kind: Wait, duration: "${total}s"),
])])
RON
tmux -f /dev/null new-session -d -x 100 -y 30 \
  "$bin --config $work/config.ron --data-dir $work/data"
for _ in $(seq 50); do tmux capture-pane -p | grep -q "starts the step" && break; sleep 0.1; done
tmux send-keys Space
start=$(date +%s.%N)
sleep $(( minutes * 60 ))

# The big digits are hard to read back; the session gauge says "session M:SS left".
screen=$(tmux capture-pane -p)
now=$(date +%s.%N)
shown=$(grep -o 'session [0-9:]* left' <<<"$screen" | head -1 | awk '{print $2}')
status=$("$bin" --config "$work/config.ron" --data-dir "$work/data" status --format json)
reported=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["left_secs"])' "$status")
to_secs() { awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$1"; }
expected=$(python3 -c "import math; print(math.ceil($total - ($now - $start)))")
shown_secs=$(to_secs "$shown")
printf 'after %d min: wall clock says %s s left, screen %s s, status %s s\n' \
  "$minutes" "$expected" "$shown_secs" "$reported"
ok=0
for got in "$shown_secs" "$reported"; do
  diff=$(( got > expected ? got - expected : expected - got ))
  [ "$diff" -le 1 ] || ok=1
done
[ $ok = 0 ] && echo "within one second" || echo "DRIFT: more than one second off" >&2
exit $ok
