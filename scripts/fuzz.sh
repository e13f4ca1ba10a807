#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz (with AddressSanitizer) and runs each for a bounded time:
#   scripts/fuzz.sh [seconds-per-target] [target…]      targets: profiles pairs npy index model (default: all)
# Each run starts from the seeds in Tests/Fuzz/Corpus/<target>/ and grows a working corpus in
# Tests/Fuzz/.build/corpus/<target>/ (kept between runs, not committed). An input that crashes, leaks, hangs
# or runs out of memory is written to Tests/Fuzz/Corpus/<target>/ (crash-…, leak-…, timeout-…, oom-…) and the
# script exits 1 after the remaining targets have run. Logs: Tests/Fuzz/.build/logs/<target>.log.
set -uo pipefail
cd "$(dirname "$0")/../Tests/Fuzz"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(profiles pairs npy index model)

nice -n 10 swift build -c release -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol" | tail -3
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: the build failed" >&2; exit 2; }
bin=$(swift build -c release -Xswiftc -sanitize=fuzzer,address --show-bin-path)

# The largest input worth mutating per target: the seeds' size and some room.
max_len() { case $1 in index) echo 600000 ;; model) echo 80000 ;; *) echo 8192 ;; esac; }

failed=()
mkdir -p .build/logs
for target in "${targets[@]}"; do
  case $target in profiles) exe=FuzzProfiles ;; pairs) exe=FuzzPairs ;; npy) exe=FuzzNPY ;; index) exe=FuzzIndex ;; model) exe=FuzzModel ;;
    *) echo "fuzz: unknown target '$target' (profiles, pairs, npy, index, model)" >&2; exit 64 ;; esac
  mkdir -p ".build/corpus/$target"
  log=".build/logs/$target.log"
  echo "fuzz: $target for ${seconds}s (log: Tests/Fuzz/$log)"
  # Swift's own crash backtracer waits for a debugger-like unwinding: libFuzzer's report is enough.
  SWIFT_BACKTRACE=enable=no nice -n 10 "$bin/$exe" ".build/corpus/$target" "Corpus/$target" \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="Corpus/$target/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)|^==[0-9]+==ERROR|^SUMMARY|Fatal error|artifact_prefix" "$log" | sed "s/^/  $target: /"
  if [ $status -ne 0 ]; then failed+=("$target"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}: see the logs, and the new crash-/leak-/timeout-/oom- files in Tests/Fuzz/Corpus/" >&2
  exit 1
fi
echo "fuzz: no findings"
