#!/usr/bin/env bash
# The whole test suite under sanitizers: one build with AddressSanitizer +
# UndefinedBehaviorSanitizer (build-asan) and one with ThreadSanitizer
# (build-tsan), each running every ctest test. Any report fails the run:
# UBSan is made fatal, ASan and TSan abort on their first report.
#   bash scripts/sanitize.sh [asan|tsan]...     (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(asan tsan)
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
for k in "${kinds[@]}"; do
  case "$k" in
    asan) san="address;undefined" ;;
    tsan) san="thread" ;;
    *) echo "usage: bash scripts/sanitize.sh [asan|tsan]..." >&2; exit 2 ;;
  esac
  dir="build-$k"
  start=$(date +%s)
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSQ_SANITIZE="$san" \
        -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=undefined" >/dev/null
  cmake --build "$dir" --parallel
  (cd "$dir" && ctest --output-on-failure --parallel "$(nproc)")
  echo "sanitize: $k passed in $(( $(date +%s) - start )) s" >&2
done
