#!/usr/bin/env python3
"""Tokenizer throughput per core, side by side in one run (issue 13): rsq's
Encoder (tests/tools/tokenize_ids --time), tiktoken 1.0.22 (WASM) and
@lenml/tokenizers 3.7.2 (JavaScript) encode the same texts on one thread,
load time excluded; each figure is the best of --repeat runs (MB/s of UTF-8
input). Also rsq end to end: `rsq score -j1 --metrics tokens` against
`--metrics verbosity` (the scan alone) on a JSONL file, the difference being
what tokenizing costs inside a real run. Needs tests/tokenizers/node_modules
(npm ci there).
  python3 bench/tokenizers.py --probe build/tests/tokenize_ids --rsq build/src/rsq [--real ../shared/data/real]"""
import argparse, json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "cli"))
from texts import strings_of  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NM = os.path.join(ROOT, "tests", "tokenizers", "node_modules")
SKY = "skythought/Sky-T1-math-correct-5K-27B/math500/test_Sky-T1_-1_seed0_t0.0_s0_e-1.jsonl"


def best(cmd, stdin_path, repeat):
    res = None
    for _ in range(repeat):
        with open(stdin_path, "rb") as f:
            out = subprocess.run(cmd, stdin=f, capture_output=True, check=True).stdout.decode().split()
        b, t, s = int(out[0]), int(out[1]), float(out[2])
        if res is None or s < res[2]:
            res = (b, t, s)
    return res


def wall(cmd, repeat):
    t = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        d = time.perf_counter() - t0
        t = d if t is None else min(t, d)
    return t


def peak_rss_mb(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    return int(r.stderr.strip().splitlines()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", required=True)
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--real", default=os.path.join(ROOT, "..", "shared", "data", "real"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(NM, "tiktoken")):
        sys.exit("tests/tokenizers/node_modules is missing: (cd tests/tokenizers && npm ci)")
    jsonl = os.path.join(a.real, SKY)
    if not os.path.exists(jsonl):
        jsonl = os.path.join(ROOT, "data", "samples", "skythought-math500-excerpt.jsonl")
    texts = []
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            strings_of(json.loads(line), texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "texts.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps(t) + "\n")
        mb = sum(len(t.encode()) for t in texts) / 1e6
        print("texts: every string of %s (%d strings, %.1f MB), %d rounds, best of %d" % (os.path.relpath(jsonl, ROOT), len(texts), mb, a.rounds, a.repeat))
        print("%-12s %-28s %9s %9s %8s" % ("tokenizer", "implementation", "MB/s", "tokens", "vs rsq"))
        for name, tik in (("gpt4o", "o200k_base"), ("gpt35turbo", "cl100k_base"), ("llama3_1", None), ("qwen3", None), ("llama2", None), ("gemma3", None)):
            models = os.path.join(NM, "@lenml", "tokenizer-" + name, "models")
            rows = [("rsq", best([a.probe, os.path.join(models, "tokenizer.json"), "--time", str(a.rounds)], path, a.repeat))]
            if tik:
                rows.append(("tiktoken %s (WASM)" % tik, best(["node", os.path.join(HERE, "tokenizers.mjs"), "tiktoken", tik, str(a.rounds)], path, a.repeat)))
            rows.append(("@lenml/tokenizers (JS)", best(["node", os.path.join(HERE, "tokenizers.mjs"), "lenml", models, str(a.rounds)], path, a.repeat)))
            base = rows[0][1][0] / rows[0][1][2]
            for who, (b, t, s) in rows:
                rate = b / s
                print("%-12s %-28s %9.1f %9d %7.2fx" % (name, who, rate / 1e6, t, base / rate))
        q = os.path.join(NM, "@lenml", "tokenizer-qwen3", "models", "tokenizer.json")
        big = os.path.join(tmp, "big.jsonl")
        with open(jsonl, "rb") as f:
            data = f.read()
        with open(big, "wb") as f:
            for _ in range(max(1, int(100e6 // max(1, len(data))))):
                f.write(data)
        size = os.path.getsize(big) / 1e6
        tiny = os.path.join(ROOT, "data", "samples", "gsm8k-test-excerpt.jsonl")
        t_load = wall([a.rsq, "score", tiny, "-j1", "-q", "--metrics", "verbosity,tokens", "--tokenizer", q], a.repeat) - \
            wall([a.rsq, "score", tiny, "-j1", "-q", "--metrics", "verbosity"], a.repeat)
        t_scan = wall([a.rsq, "score", big, "-j1", "-q", "--metrics", "verbosity"], a.repeat)
        t_tok = wall([a.rsq, "score", big, "-j1", "-q", "--metrics", "verbosity,tokens", "--tokenizer", q], a.repeat)
        work = t_tok - t_scan - t_load
        print("rsq score -j1 on %.1f MB: --metrics verbosity %.2f s, + tokens (qwen3) %.2f s, of which loading the "
              "tokenizer.json %.2f s: tokenizing %.2f s = %.1f MB/s of JSONL" % (size, t_scan, t_tok, t_load, work, size / max(1e-9, work)))
        # The vocabulary is shared: a second worker adds its scratch and
        # piece cache, not a second vocabulary.
        if os.path.exists("/usr/bin/time"):
            row = []
            for j in ("1", "2"):
                base = peak_rss_mb([a.rsq, "score", big, "-j" + j, "-q", "--metrics", "verbosity"])
                tok = peak_rss_mb([a.rsq, "score", big, "-j" + j, "-q", "--metrics", "verbosity,tokens", "--tokenizer", q])
                row.append("-j%s %.0f MB without, %.0f MB with (+%.0f)" % (j, base, tok, tok - base))
            print("peak RSS (GNU time), qwen3: " + "; ".join(row))


if __name__ == "__main__":
    main()
