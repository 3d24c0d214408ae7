#!/usr/bin/env bash
# docs/screenshot.sh [OUT.png]: the picture at the top of the README, made from a real
# run. The release binary on the built-in routine in a private 100x30 tmux pane: the
# evening opened, the check-in answered, the Roll step running; the pane is turned into
# HTML with its colours (aha) and photographed by a headless chromium.
#
# Needs tmux, aha and chromium (apt-get install -y tmux aha chromium fonts-dejavu-core).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/dashboard.png}
for tool in tmux aha chromium; do
  command -v "$tool" >/dev/null || { echo "screenshot.sh: $tool is missing" >&2; exit 2; }
done
(cd "$root" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/release/rollcoach"

tmp=$(mktemp -d)
export TMUX_TMPDIR=$tmp
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
tmux -f /dev/null new-session -d -s shot -x 100 -y 30 \
  "env NO_COLOR= HOME=$tmp XDG_CONFIG_HOME=$tmp/config $bin --config $root/config/default.ron --data-dir $tmp/data"

# Waits until the pane shows $1 (5 s at most).
wait_for() {
  for _ in $(seq 50); do
    tmux capture-pane -p -t shot | grep -qF "$1" && return 0
    sleep 0.1
  done
  echo "screenshot.sh: the pane never showed \"$1\"" >&2
  tmux capture-pane -p -t shot >&2
  exit 1
}
keys() { tmux send-keys -t shot "$@"; }

wait_for "steps"
# The evening, whichever routine is due now.
tmux capture-pane -p -t shot | head -1 | grep -qF "evening" || keys Tab
wait_for "evening"
keys Space
wait_for "before rolling tonight"
keys n
wait_for "running"
# Past cleansing and soaking the roller, to the Roll step, running.
keys Enter; sleep 0.3; keys Enter; sleep 0.3
wait_for "horizontal"
keys Space
wait_for "running"
sleep 4.2

cols=100; rows=30
tmux capture-pane -p -e -t shot | aha --black --no-header > "$tmp/body.html"
{ echo '<html><head><meta charset="utf-8"><style>body{margin:0;background:#000;color:#ddd}'
  echo 'pre{font-family:"DejaVu Sans Mono",monospace;font-size:16px;line-height:19px;margin:6px}</style></head><body><pre>'
  cat "$tmp/body.html"; echo '</pre></body></html>'; } > "$tmp/page.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=$((cols * 10 + 20)),$((rows * 19 + 20)) --screenshot="$out" \
  "file://$tmp/page.html" >/dev/null 2>&1
echo "$out"
