#!/usr/bin/env bash
# Throughput benchmark: rsq beside two baselines on the same file, in one
# invocation (machines here are noisy: compare the ratios, not the seconds).
#   floor:    zstd -3 -T<cores> over the file (a pass that compresses every byte)
#   baseline: bench/baseline.py, the metric set in plain Python 3, one process per core
#   rsq:      rsq score at -j1 and -j<cores>
# Reports wall time (median of --runs), MB/s, records/s and peak RSS (GNU time).
# Usage: bash bench/run.sh [--mb 1000] [--runs 3] [--py-mb 200] [--no-python] [--before BIN]
# --before BIN also measures another rsq binary (an earlier build) at -j<cores>
# in the same invocation, so a change is judged against its own baseline.
# The corpus (bench/out/corpus-<MB>.jsonl) is generated once by gen_corpus.py.
# The Python baseline runs on the first --py-mb MB only (it is slow); its MB/s
# is what is compared.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=1000 RUNS=3 PYMB=200 PY=1 BEFORE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --py-mb) PYMB="$2"; shift 2 ;;
    --no-python) PY=0; shift ;;
    --before) BEFORE="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--mb N] [--runs N] [--py-mb N] [--no-python] [--before BIN]" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null 2>&1 || sudo apt-get install -y -qq time >/dev/null; }
[ -x build/src/rsq ] || bash scripts/bootstrap.sh build >/dev/null 2>&1 || cmake --build build
CORES=$(nproc)
mkdir -p bench/out
CORPUS=bench/out/corpus-${MB}.jsonl
[ -s "$CORPUS" ] || python3 bench/gen_corpus.py --mb "$MB" -o "$CORPUS"
PYCORPUS=bench/out/corpus-${MB}-first${PYMB}.jsonl
[ -s "$PYCORPUS" ] || head -c $((PYMB * 1000000)) "$CORPUS" | sed '$d' > "$PYCORPUS"
BYTES=$(stat -c %s "$CORPUS"); RECORDS=$(wc -l < "$CORPUS")
PYBYTES=$(stat -c %s "$PYCORPUS"); PYRECORDS=$(wc -l < "$PYCORPUS")
cat /dev/null > bench/out/cache-warm; cat "$CORPUS" > /dev/null  # page cache warm for everyone

measure() {  # label bytes records runs cmd... -> "label wall rss"
  local label=$1 bytes=$2 records=$3 runs=$4; shift 4
  local walls=() rss=0
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > /dev/null
    read -r w m < bench/out/time.txt
    walls+=("$w"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local med; med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  awk -v l="$label" -v w="$med" -v b="$bytes" -v r="$records" -v m="$rss" \
    'BEGIN { printf "| %s | %.2f | %.1f | %.0f | %.1f |\n", l, w, b/1e6/w, r/w, m/1024 }'
  echo "$label $med $bytes" >> bench/out/walls.txt
}

: > bench/out/walls.txt
{
  echo "Corpus: $CORPUS ($((BYTES / 1000000)) MB, $RECORDS records); Python baseline on the first $((PYBYTES / 1000000)) MB ($PYRECORDS records). Cores: $CORES. $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "| command | wall s (median of $RUNS) | MB/s | records/s | peak RSS MB |"
  echo "|---|---:|---:|---:|---:|"
  measure "zstd -3 -T$CORES" "$BYTES" "$RECORDS" "$RUNS" zstd -q -3 -T"$CORES" -c "$CORPUS"
  measure "rsq score -j1" "$BYTES" "$RECORDS" "$RUNS" build/src/rsq score -q -j1 "$CORPUS"
  measure "rsq score -j$CORES" "$BYTES" "$RECORDS" "$RUNS" build/src/rsq score -q -j"$CORES" "$CORPUS"
  [ -z "$BEFORE" ] || measure "before: rsq score -j$CORES" "$BYTES" "$RECORDS" "$RUNS" "$BEFORE" score -q -j"$CORES" "$CORPUS"
  if [ "$PY" = 1 ]; then
    measure "python baseline, 1 process" "$PYBYTES" "$PYRECORDS" 1 python3 bench/baseline.py --procs 1 "$PYCORPUS"
    measure "python baseline, $CORES processes" "$PYBYTES" "$PYRECORDS" 1 python3 bench/baseline.py --procs "$CORES" "$PYCORPUS"
  fi
  measure "rsq filter -j$CORES (kept to /dev/null, rejects + reasons to files)" "$BYTES" "$RECORDS" "$RUNS" \
    build/src/rsq filter -q -j"$CORES" --max-bad-lines 1000000 --where "redundancy_ratio < 0.75 && reasoning_words >= 50 && !truncated" \
    --rejects bench/out/rejects.jsonl --reasons bench/out/reasons.jsonl "$CORPUS"
  measure "rsq subset -j$CORES: --metrics=-ngrams,-alignment" "$BYTES" "$RECORDS" "$RUNS" \
    build/src/rsq score -q -j"$CORES" --metrics=-ngrams,-alignment "$CORPUS"
  measure "rsq subset -j$CORES: --metrics verbosity,redundancy,structure" "$BYTES" "$RECORDS" "$RUNS" \
    build/src/rsq score -q -j"$CORES" --metrics verbosity,redundancy,structure "$CORPUS"
  echo
  # Rows by label (walls.txt: "label... wall bytes").
  awk -v c="$CORES" -v py="$PY" '{n=NF; w=$(n-1); b=$n; $(n)=""; $(n-1)=""; sub(/ +$/, ""); wall[$0]=w; by[$0]=b}
    END {
      zs=wall["zstd -3 -T" c]; r1=wall["rsq score -j1"]; rn=wall["rsq score -j" c]
      fl=wall["rsq filter -j" c " (kept to /dev/null, rejects + reasons to files)"]
      s1=wall["rsq subset -j" c ": --metrics=-ngrams,-alignment"]; s2=wall["rsq subset -j" c ": --metrics verbosity,redundancy,structure"]
      printf "- rsq -j%s wall time / zstd -3 -T%s wall time: %.2fx\n", c, c, rn/zs
      if (("before: rsq score -j" c) in wall) printf "- the --before binary: %.2fx\n", wall["before: rsq score -j" c]/zs
      printf "- the same with --metrics=-ngrams,-alignment: %.2fx; with --metrics verbosity,redundancy,structure: %.2fx\n", s1/zs, s2/zs
      if (py == 1) {
        p1=wall["python baseline, 1 process"]; pn=wall["python baseline, " c " processes"]
        pb1=by["python baseline, 1 process"]; pbn=by["python baseline, " c " processes"]
        printf "- rsq -j%s MB/s / Python %s processes MB/s: %.1fx (target >= 10x)\n", c, c, (by["rsq score -j" c]/rn)/(pbn/pn)
        printf "- rsq -j1 MB/s / Python 1 process MB/s: %.1fx\n", (by["rsq score -j1"]/r1)/(pb1/p1)
      }
      printf "- rsq scaling -j%s / -j1: %.2fx\n", c, r1/rn
      printf "- rsq filter -j%s throughput / rsq score -j%s throughput: %.2f (target >= 0.8)\n", c, c, rn/fl
    }' bench/out/walls.txt
} | tee bench/out/results.md
