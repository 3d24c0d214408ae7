#!/usr/bin/env bash
# Runs every fuzz target for N seconds each (default 60) with libFuzzer.
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]
#
# Exits non-zero when a target crashes (a panic, an overflow, a timeout or a leak); the
# input is in fuzz/artifacts/<target>/, to be replayed with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -a <target> fuzz/artifacts/<target>/crash-...
# and kept as a regression test in tests/properties.rs.
#
# cargo fuzz needs nightly compiler flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets
# the stable toolchain accept them. The committed seeds in fuzz/seeds/<target>/ are
# copied into the working corpus fuzz/corpus/<target>/ (not committed) before each run.
set -euo pipefail

seconds="${1:-60}"
shift || true
cd "$(dirname "$0")/.."

all_targets=(config journal_line keys)
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=("${all_targets[@]}")
fi

# The cargo-fuzz release that builds on the project's toolchain (rustc 1.95).
CARGO_FUZZ_VERSION=0.13.2
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION" >&2
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

export RUSTC_BOOTSTRAP=1
# -a: debug assertions, so that arithmetic overflow is a crash too. Builds every target.
cargo fuzz build -a

mkdir -p fuzz/logs
failed=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    cp -n fuzz/seeds/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
    log="fuzz/logs/$target.log"
    echo "fuzz: $target for ${seconds}s (log: $log)" >&2
    if cargo fuzz run -a "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
        echo "fuzz: $target ok: ${runs:-no summary}" >&2
    else
        echo "fuzz: $target FAILED; the end of $log:" >&2
        tail -40 "$log" >&2
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz: no crash in ${targets[*]} (${seconds}s each)" >&2
