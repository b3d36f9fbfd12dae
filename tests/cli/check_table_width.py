#!/usr/bin/env python3
"""`--format table` fits 80 columns (docs/cli.md, "Output formats"): every
stdout line of the table, for the shipped samples and the test inputs with
every block the table has (ranking and what it rests on, a comparability
warning, skipped/rejected counts, --explain, imported values, flags), is at
most 80 code points, except a line whose only overlong part is an input's
name (paths are never broken). A second run with a deep path checks that
exception is the only one."""
import argparse, os, shutil, subprocess, sys, tempfile

CASES = [
    ["score", "data/samples/gsm8k-test-excerpt.jsonl", "data/samples/mixed-layouts.jsonl",
     "data/samples/skythought-math500-excerpt.jsonl", "--scale", "8b", "--explain"],
    ["score", "data/samples/skythought-math500-excerpt.jsonl", "data/samples/gsm8k-test-excerpt.jsonl", "--scale", "8b",
     "--with-metrics", "tests/data/utility/with-metrics-one-input.json", "--explain"],
    ["score", "tests/data/paper/variants/detailed.jsonl", "tests/data/paper/variants/summarized.jsonl",
     "tests/data/paper/variants/babythink.jsonl", "tests/data/paper/variants/lengthy.jsonl", "--with-metrics",
     "tests/data/paper/imported.json", "--scale", "11b", "--explain"],
    ["score", "tests/data/bad-lines.jsonl", "--scale", "70b", "--explain"],
    ["score", "data/samples/mixed-layouts.jsonl", "--scale", "11b", "--compressor", "zlib:6"],
]


def columns(s):
    return len(s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        deep = os.path.join(d, "a-directory-with-a-rather-long-name", "and-another-one-below-it", "mixed-layouts.jsonl")
        os.makedirs(os.path.dirname(deep))
        shutil.copy(os.path.join(a.root, "data/samples/mixed-layouts.jsonl"), deep)
        cases = CASES + [["score", deep, "data/samples/gsm8k-test-excerpt.jsonl", "--scale", "8b"]]
        for args in cases:
            p = subprocess.run([a.rsq] + args, cwd=a.root, capture_output=True, env=dict(os.environ, NO_COLOR="1"))
            if p.returncode not in (0, 3):
                print("FAIL: rsq %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()[:300]))
                bad += 1
                continue
            inputs = [x for x in args if x.endswith((".jsonl", ".json"))]
            for line in p.stdout.decode().splitlines():
                if columns(line) <= 80:
                    continue
                if any(x in line for x in inputs) and columns(line) - max(len(x) for x in inputs if x in line) <= 80 - 10:
                    continue  # an input's name: kept whole
                bad += 1
                print("FAIL: %d columns in `rsq %s`:\n  %s" % (columns(line), " ".join(args[:3]), line))
    print("%d cases, %d overlong lines" % (len(CASES) + 1, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
