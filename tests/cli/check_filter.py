#!/usr/bin/env python3
"""rsq filter's invariant on real files: the kept and the rejected lines
together are exactly the input lines — none lost, none altered, none
duplicated — each stream keeps input order, and every reject has a reason.
Runs several --where expressions over the shipped samples (GSM8K and
SkyThought excerpts, mixed layouts, a file with broken lines) at -j1 and -j4."""
import argparse, json, os, subprocess, sys, tempfile

CASES = [
    "redundancy_ratio < 0.75 && reasoning_words >= 50 && !truncated",
    "symbolic_fraction > 0.1 || answer_present",
    "!(dup_line_fraction > 0) && question_coverage >= 0.3",
    "reasoning_bytes > 0",
]

def lines_of(data):
    out = data.split(b"\n")
    if out and out[-1] == b"":
        out.pop()
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    files = [os.path.join(a.root, p) for p in ("data/samples/gsm8k-test-excerpt.jsonl",
             "data/samples/skythought-math500-excerpt.jsonl", "data/samples/mixed-layouts.jsonl", "tests/data/bad-lines.jsonl")]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as d:
        for f in files:
            src = lines_of(open(f, "rb").read())
            for where in CASES:
                for j in ("1", "4"):
                    kept_p, rej_p, why_p = (os.path.join(d, x) for x in ("k", "r", "w"))
                    p = subprocess.run([a.rsq, "filter", f, "-q", "-j", j, "--max-bad-lines", "100", "--where", where,
                                        "-o", kept_p, "--rejects", rej_p, "--reasons", why_p], capture_output=True)
                    kept, rej = lines_of(open(kept_p, "rb").read()), lines_of(open(rej_p, "rb").read())
                    why = [json.loads(l) for l in open(why_p)]
                    problems = []
                    if p.returncode != 0:
                        problems.append("exit %d: %s" % (p.returncode, p.stderr.decode()))
                    if sorted(kept + rej) != sorted(src):
                        problems.append("kept + rejected != input lines")
                    # order: both streams are subsequences of the input in order
                    for name, part in (("kept", kept), ("rejected", rej)):
                        it = iter(src)
                        if not all(any(x == y for y in it) for x in part):
                            problems.append(name + " out of input order")
                    if len(why) != len(rej) or any(("failed" not in w and "reason" not in w) for w in why):
                        problems.append("reasons do not match the rejects")
                    if problems:
                        failed += 1
                        print("FAIL %s -j%s %r: %s" % (os.path.basename(f), j, where, "; ".join(problems)))
                    else:
                        passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
