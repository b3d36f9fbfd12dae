#!/usr/bin/env python3
"""--compressor zlib:6 must give, per record, exactly
1 - len(zlib.compress(text.encode('utf-8'), 6)) / len(text.encode('utf-8'))
as Python computes it (to 1e-9), where text is the reasoning field verbatim.
Records come from the shipped samples (GSM8K, SkyThought, our mixed set), one
file per record so the dataset min is the record's value."""
import argparse, json, os, subprocess, sys, tempfile, zlib

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    texts = []
    for line in open(os.path.join(a.root, "data/samples/gsm8k-test-excerpt.jsonl"), encoding="utf-8"):
        texts.append(json.loads(line)["answer"])
    for line in open(os.path.join(a.root, "data/samples/skythought-math500-excerpt.jsonl"), encoding="utf-8"):
        texts.append(json.loads(line)["code"][0])
    texts += ["  leading and trailing spaces kept \n", "Zażółć gęślą jaźń 我爱你 e\u0301", "x"]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as d:
        for i, t in enumerate(texts):
            p = os.path.join(d, "r%d.jsonl" % i)
            with open(p, "w", encoding="utf-8") as f:
                f.write(json.dumps({"question": "q", "reasoning": t, "answer": "a"}, ensure_ascii=(i % 2 == 0)) + "\n")
            out = subprocess.run([a.rsq, "score", "-q", "--compressor", "zlib:6", "--format", "json", p],
                                 capture_output=True, check=True).stdout
            m = json.loads(out)["datasets"][0]["metrics"]["redundancy_ratio"]
            b = t.encode("utf-8")
            want = 1 - len(zlib.compress(b, 6)) / len(b)
            if m["count"] == 1 and abs(m["min"] - want) <= 1e-9:
                passed += 1
            else:
                failed += 1
                print("FAIL record %d: rsq %r, python %r" % (i, m["min"], want))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
