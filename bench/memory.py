#!/usr/bin/env python3
"""Peak memory on adversarial inputs, checked against the documented bound.

docs/design.md ("Memory") states the bound:

    peak RSS <= 64 MiB + (26 x threads + 2) x (the largest record's bytes)

(the factor is what the CJK worst case costs: every character is a word
token, 24 bytes of token plus the n-gram passes' per-token arrays for 3
bytes of text). This script builds the inputs the reliability review used —
one large CJK record, one large ASCII record, 16 M blank lines, 16 M "{}"
lines — runs `rsq score` on each under GNU time, and prints the peak RSS,
the bound and the ratio to the record; it exits 1 if any run exceeds its
bound. Not a timed test: memory only.
Usage: python3 bench/memory.py [--mb 16] [--lines 16000000] [--rsq build/src/rsq]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FACTOR = 26
BASE = 64 << 20


def peak_rss(cmd):
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    if p.returncode not in (0, 3):
        sys.exit(f"{cmd}: exit {p.returncode}: {p.stderr[-300:]}")
    return int(p.stderr.strip().splitlines()[-1]) * 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=16)
    ap.add_argument("--lines", type=int, default=16_000_000)
    ap.add_argument("--rsq", default=os.path.join(ROOT, "build/src/rsq"))
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="rsq-bench-mem-")
    rnd = random.Random(1)
    cases = []
    cjk = os.path.join(tmp, "cjk.jsonl")
    n = a.mb * (1 << 20) // 3
    with open(cjk, "w", encoding="utf-8") as f:
        f.write(json.dumps({"question": "q", "reasoning": "".join(chr(0x4E00 + rnd.randrange(20000)) for _ in range(n)),
                            "answer": "a"}, ensure_ascii=False) + "\n")
    cases.append(("one CJK record", cjk, os.path.getsize(cjk)))
    asc = os.path.join(tmp, "ascii.jsonl")
    words = ["alpha", "beta", "gamma", "delta", "step", "so", "the", "answer", "is", "42", "check", "again"]
    with open(asc, "w") as f:
        out, size = [], 0
        while size < a.mb * (1 << 20):
            w = rnd.choice(words)
            out.append(w)
            size += len(w) + 1
        f.write(json.dumps({"question": "q", "reasoning": " ".join(out), "answer": "a"}) + "\n")
    cases.append(("one ASCII record", asc, os.path.getsize(asc)))
    blank = os.path.join(tmp, "blank.jsonl")
    with open(blank, "w") as f:
        f.write("\n" * a.lines)
    cases.append((f"{a.lines:,} blank lines", blank, 1))
    empty = os.path.join(tmp, "empty.jsonl")
    with open(empty, "w") as f:
        f.write("{}\n" * a.lines)
    cases.append((f'{a.lines:,} "{{}}" lines', empty, 3))
    bad = 0
    print(f"{'input':<24} {'-j':>3} {'peak MiB':>9} {'bound MiB':>10} {'peak / record':>14}")
    for name, path, largest in cases:
        for j in (1, 8):
            rss = peak_rss([a.rsq, "score", path, f"-j{j}", "-q", "--format", "json", "-o", os.devnull,
                            "--max-line-bytes", str(64 << 20)])
            bound = BASE + (FACTOR * j + 2) * largest
            ratio = f"{rss / largest:.1f}x" if largest > 1000 else "-"
            flag = "" if rss <= bound else "  OVER"
            bad += rss > bound
            print(f"{name:<24} {j:>3} {rss / 2**20:>9.1f} {bound / 2**20:>10.1f} {ratio:>14}{flag}")
    for _, path, _ in cases:
        os.remove(path)
    os.rmdir(tmp)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
