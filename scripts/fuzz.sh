#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz/*.cc) as libFuzzer binaries with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang) and runs each for a
# bounded time on its corpus. A crash or violated invariant fails the run and
# leaves the input in build-fuzz/artifacts/; copy it into the target's corpus
# folder so ctest replays it from then on.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, all targets)
# With RSQ_FUZZ_RUNS=N each target instead runs N inputs from a fixed seed:
# repeatable, which is what CI uses (a time-bounded run is not).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(reader expr loaders)
CXX="${CXX_FUZZ:-clang++}"
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
out=build-fuzz
mkdir -p "$out/artifacts" "$out/obj"
# The generated headers (version, embedded profiles) come from the normal build.
[ -f build/generated/rsq/version.h ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target rsq_core >/dev/null
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -DJSON_DIAGNOSTICS=1 -Iinclude -Isrc/core -Ibuild/generated)
libs=(-lsimdjson -lzstd -lz -licuuc -licui18n -licudata)
objs=()
# The newest header: an object older than it is rebuilt too (a changed
# struct with stale objects made a false global-buffer-overflow once).
newest=$(find include src/core build/generated -name '*.h' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
for f in $(find src/core -name '*.cc' | sort); do
  o="$out/obj/$(echo "$f" | tr / _).o"
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$newest" -nt "$o" ]; then "$CXX" "${flags[@]}" -c "$f" -o "$o"; fi
  objs+=("$o")
done
status=0
for t in "${targets[@]}"; do
  bin="$out/fuzz_$t"
  "$CXX" "${flags[@]}" -fsanitize=fuzzer "tests/fuzz/fuzz_$t.cc" "${objs[@]}" "${libs[@]}" -o "$bin"
  work="$out/corpus-$t"
  mkdir -p "$work"
  if [ -n "${RSQ_FUZZ_RUNS:-}" ]; then echo "fuzz: $t, $RSQ_FUZZ_RUNS runs" >&2; else echo "fuzz: $t for ${secs}s" >&2; fi
  if [ -n "${RSQ_FUZZ_RUNS:-}" ]; then bound=(-runs="$RSQ_FUZZ_RUNS" -seed=1); rm -rf "$work"; mkdir -p "$work"; else bound=(-max_total_time="$secs"); fi
  if ! UBSAN_OPTIONS=print_stacktrace=1 "$bin" "$work" "tests/fuzz/corpus/$t" "${bound[@]}" -max_len=65536 \
       -timeout=20 -rss_limit_mb=4096 -artifact_prefix="$out/artifacts/$t-" -print_final_stats=1 2> "$out/$t.log"; then
    echo "fuzz: $t FAILED (see $out/$t.log and $out/artifacts/)" >&2
    tail -30 "$out/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$out/$t.log" | tail -3 >&2
  fi
done
exit $status
