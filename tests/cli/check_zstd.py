#!/usr/bin/env python3
"""The default redundancy (zstd level 3) must match the zstd command-line tool
on the same bytes within a few bytes of frame header: rsq's compressed size,
recovered from the reported ratio, against `zstd -3 --no-check -c` output."""
import argparse, json, os, subprocess, sys, tempfile

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    texts = [json.loads(l)["code"][0] for l in open(os.path.join(a.root, "data/samples/skythought-math500-excerpt.jsonl"), encoding="utf-8")]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as d:
        for i, t in enumerate(texts):
            b = t.encode("utf-8")
            raw = os.path.join(d, "t%d.txt" % i)
            open(raw, "wb").write(b)
            cli = len(subprocess.run(["zstd", "-q", "-3", "--no-check", "-c", raw], capture_output=True, check=True).stdout)
            p = os.path.join(d, "r%d.jsonl" % i)
            open(p, "w", encoding="utf-8").write(json.dumps({"question": "q", "reasoning": t, "answer": "a"}) + "\n")
            m = json.loads(subprocess.run([a.rsq, "score", "-q", "--format", "json", p], capture_output=True, check=True).stdout)
            ratio = m["datasets"][0]["metrics"]["redundancy_ratio"]["min"]
            ours = round((1 - ratio) * len(b))
            if abs(ours - cli) <= 8:
                passed += 1
            else:
                failed += 1
                print("FAIL text %d: rsq %d bytes, zstd CLI %d bytes" % (i, ours, cli))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
