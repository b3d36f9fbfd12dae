#!/usr/bin/env python3
"""Instruction counts, the repeatable measure (issue 15): callgrind's
instruction total of `rsq score -j1` against `zstd -3` on the same bytes, for
a 10 MB slice of the benchmark corpus and for one real long-trace file
(SkyThought math500, when ../shared/data/real is there). Wall time on these
machines varies by tens of percent; instruction counts repeat to ~0.1 %.
  python3 bench/instructions.py --rsq build/src/rsq [--corpus bench/out/corpus-1g.jsonl] [--real FILE]"""
import argparse, os, re, subprocess, sys, tempfile

SKY = "../shared/data/real/skythought/Sky-T1-math-correct-5K-27B/math500/test_Sky-T1_-1_seed0_t0.0_s0_e-1.jsonl"


def instructions(argv):
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected\s*:\s*(\d+)", p.stderr) or re.search(r"I\s+refs:\s*([\d,]+)", p.stderr)
    if not m:
        raise SystemExit("no instruction count from callgrind for %s:\n%s" % (argv, p.stderr[-800:]))
    return int(m.group(1).replace(",", ""))


def slice_of(path, mb, out):
    with open(path, "rb") as f:
        data = f.read(mb * 1000 * 1000)
    cut = data.rfind(b"\n") + 1
    with open(out, "wb") as f:
        f.write(data[:cut])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--corpus", default="bench/out/corpus-1g.jsonl")
    ap.add_argument("--real", default=SKY)
    ap.add_argument("--mb", type=int, default=10)
    a = ap.parse_args()
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        files = []
        if os.path.exists(a.corpus):
            files.append(("%d MB corpus slice" % a.mb, slice_of(a.corpus, a.mb, os.path.join(d, "slice.jsonl"))))
        else:
            print("no corpus at %s (python3 bench/gen_corpus.py --mb 1024 -o %s); skipping the slice" % (a.corpus, a.corpus))
        if os.path.exists(a.real):
            files.append(("SkyThought math500 (real, %d KB)" % (os.path.getsize(a.real) // 1000), a.real))
        for label, f in files:
            size = os.path.getsize(f)
            r = instructions([a.rsq, "score", f, "-j1", "-q", "--format", "json"])
            z = instructions(["zstd", "-3", "-T1", "-q", "-c", f])
            rows.append((label, size, r, z))
    print("| input | bytes | rsq instr | rsq instr/byte | zstd -3 instr | zstd instr/byte | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, size, r, z in rows:
        print("| %s | %d | %d | %.1f | %d | %.1f | **%.2f** |" % (label, size, r, r / size, z, z / size, r / z))
    return 0


if __name__ == "__main__":
    sys.exit(main())
