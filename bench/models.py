#!/usr/bin/env python3
"""rsq's own cost per model request, against the loopback test engine.

Starts tests/engine/server.mjs, then scores N distinct records with
--metrics semantic --no-cache --model-batch 1 (one embedding input per
request) at 1, 4 and 16 requests in flight. The engine serialises model
work and reports the time it spent in the model (busy_ms), so

    overhead per request = (rsq wall time - engine busy time) / requests

is what rsq, libcurl, JSON and loopback HTTP cost, with the model time
subtracted; it includes rsq's start-up and the endpoint check, spread over
the requests. Also reported: requests/s and inputs' tokens/s as seen from
rsq. Every figure comes from one invocation (compare ratios; the machine is
noisy).
Usage: python3 bench/models.py [--records 300] [--rsq build/src/rsq]
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE = os.path.join(ROOT, "tests", "engine")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=300)
    ap.add_argument("--rsq", default=os.path.join(ROOT, "build/src/rsq"))
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(ENGINE, "node_modules", "node-llama-cpp")):
        sys.exit("bench/models.py: run `npm ci --ignore-scripts --omit=optional` in tests/engine first")
    tmp = tempfile.mkdtemp(prefix="rsq-bench-models-")
    data = os.path.join(tmp, "records.jsonl")
    with open(data, "w") as f:
        for i in range(a.records):
            f.write(json.dumps({"question": f"Question {i}: how many apples does Lily have?",
                                "reasoning": f"Lily had {i} apples. She found {i % 7} more. So she has {i + i % 7} apples.",
                                "answer": str(i + i % 7)}) + "\n")
    port_file = os.path.join(tmp, "port")
    eng = subprocess.Popen(["node", "server.mjs", "--port", "0", "--port-file", port_file], cwd=ENGINE,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            time.sleep(0.1)
        url = f"http://127.0.0.1:{open(port_file).read().strip()}"
        stats = lambda: json.loads(urllib.request.urlopen(url + "/stats").read())
        print(f"{a.records} records, --metrics semantic (question, reasoning, answer, sentences), --model-batch 1, --no-cache")
        print(f"{'in flight':>9} {'requests':>8} {'wall s':>7} {'model s':>7} {'req/s':>7} {'overhead ms/req':>15}")
        for conc in (1, 4, 16):
            s0 = stats()
            t0 = time.perf_counter()
            p = subprocess.run([a.rsq, "score", data, "--metrics", "semantic", "--embed", url + "/v1", "--no-cache",
                                "--model-batch", "1", "--model-concurrency", str(conc), "-j2", "--format", "json", "-q"],
                               capture_output=True, text=True)
            wall = time.perf_counter() - t0
            s1 = stats()
            if p.returncode != 0:
                sys.exit(p.stderr)
            req = s1["embeddings"] - s0["embeddings"]
            busy = (s1["busy_ms"] - s0["busy_ms"]) / 1000
            print(f"{conc:>9} {req:>8} {wall:>7.2f} {busy:>7.2f} {req / wall:>7.1f} {1000 * (wall - busy) / req:>15.3f}")
    finally:
        eng.send_signal(signal.SIGTERM)
        eng.wait()


if __name__ == "__main__":
    main()
