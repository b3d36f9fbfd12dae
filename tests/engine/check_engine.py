#!/usr/bin/env python3
"""Model-backed metrics against a real inference engine (ctest: model_endpoints).

Starts tests/engine/server.mjs (llama.cpp through node-llama-cpp 3.21.1, CPU,
over the MIT stories260K model) on a loopback port and runs rsq against it:
every model-backed metric, the utility's coverage, the answer cache (a rerun
sends no inference request; a run killed with kill -9 resumes and gives the
same bytes), -j1 = -j4, shard merge, and every injected fault (429 +
Retry-After, 500, reset, garbage JSON, wrong-dimension / NaN / zero vectors,
413 splitting, a 400 that stops the run, a server that cannot return prompt
log-probabilities). Exits 77 (ctest: skipped) with the reason when node or
the engine's npm packages are missing: `bash scripts/bootstrap.sh test`
installs them (tests/engine/package-lock.json).
"""
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SKIP = 77


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(SKIP)


class Engine:
    def __init__(self, tmp):
        self.port_file = os.path.join(tmp, "port")
        self.log = open(os.path.join(tmp, "engine.log"), "w")
        self.proc = subprocess.Popen(["node", os.path.join(HERE, "server.mjs"), "--port", "0", "--port-file", self.port_file],
                                     cwd=HERE, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            if os.path.exists(self.port_file) and open(self.port_file).read().strip():
                break
            if self.proc.poll() is not None:
                self.log.flush()
                skip("the engine did not start: " + open(self.log.name).read()[-400:])
            time.sleep(0.1)
        else:
            skip("the engine did not start within 60 s")
        self.url = f"http://127.0.0.1:{open(self.port_file).read().strip()}"

    def call(self, path, body=None):
        req = urllib.request.Request(self.url + path, data=None if body is None else json.dumps(body).encode(), method="GET" if body is None else "POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def stats(self):
        return self.call("/stats")

    def fault(self, **f):
        f.setdefault("after", 1)  # past rsq's endpoint check (its own request)
        self.call("/admin/faults", f)

    def clear(self):
        self.call("/admin/reset", {})

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def main():
    rsq = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/src/rsq")
    if not shutil.which("node"):
        skip("node is not installed (bootstrap.sh test installs Debian's nodejs when missing)")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "node-llama-cpp")):
        skip("tests/engine/node_modules is missing: run `npm ci --ignore-scripts --omit=optional` in tests/engine "
             "(bootstrap.sh test does; it needs the npm registry)")
    tmp = tempfile.mkdtemp(prefix="rsq-engine-")
    eng = Engine(tmp)
    v1 = eng.url + "/v1"
    try:
        run_checks(rsq, eng, v1, tmp)
    finally:
        eng.stop()
    if FAILED:
        print(f"{len(FAILED)} check(s) failed")
        sys.exit(1)
    shutil.rmtree(tmp, ignore_errors=True)
    print("all engine checks passed")


def rsq_run(rsq, args, cwd=ROOT, timeout=900):
    p = subprocess.run([rsq] + args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def inference(st):
    return st["embeddings"] + st["completions"] + st["chat"]


def run_checks(rsq, eng, v1, tmp):
    sample = os.path.join(ROOT, "data/samples/gsm8k-test-excerpt.jsonl")
    small = os.path.join(tmp, "small.jsonl")
    with open(sample) as f:
        lines = f.readlines()[:6]
    with open(small, "w") as f:
        f.writelines(lines)
    cache = os.path.join(tmp, "cache.sqlite")
    endpoints = ["--embed", v1, "--lm", v1, "--judge", v1, "--judge-steps", "lines", "--embed-piece-chars", "600"]

    # 1. Perplexity separates coherent text from the same words shuffled.
    story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends."
    words = story.split()
    random.Random(7).shuffle(words)
    pp = os.path.join(tmp, "ppl.jsonl")
    with open(pp, "w") as f:
        f.write(json.dumps({"question": "Tell a story.", "reasoning": story, "answer": "Lily"}) + "\n")
        f.write(json.dumps({"question": "Tell a story.", "reasoning": " ".join(words), "answer": "Lily"}) + "\n")
    code, out, err = rsq_run(rsq, ["annotate", pp, "--metrics-only", "--metrics", "perplexity", "--lm", v1, "--cache", cache, "-j1"])
    check(code == 0, f"annotate --lm exits 0 (got {code}: {err.strip()[-300:]})")
    rows = [json.loads(l) for l in out.splitlines() if l.strip()]
    ppl = [r["perplexity"] if "perplexity" in r else r.get("rsq", {}).get("perplexity") for r in rows]
    check(len(ppl) == 2 and ppl[0] is not None and ppl[1] is not None and ppl[0] < 3 and ppl[1] > 50 * ppl[0],
          f"coherent story perplexity {ppl[0] if ppl else None} is far below the shuffled one {ppl[1] if len(ppl) > 1 else None}")

    # 2. The headline command with every endpoint: all slots but syntactic_depth.
    eng.clear()
    code, out, err = rsq_run(rsq, ["score", small, "--scale", "8b", "--format", "json", "--cache", cache, "-j1"] + endpoints)
    check(code == 0, f"score --scale 8b with endpoints exits 0 (got {code}: {err.strip()[-300:]})")
    rep = json.loads(out) if code == 0 else {"datasets": [{}], "settings": {}}
    d = rep["datasets"][0]
    first = eng.stats()
    check(inference(first) > 0, f"the first run sent inference requests ({inference(first)})")
    for m in ["semantic_alignment", "semantic_answer_alignment", "semantic_flow", "perplexity", "reasoning_nll",
              "factuality", "validity", "coherence", "step_utility", "judge_steps"]:
        mv = d.get("metrics", {}).get(m, {})
        check(mv.get("count", 0) > 0 and "ci95" in mv, f"{m} measured with count and ci95 ({mv.get('count')}, {mv.get('ci95')})")
    u = d.get("utility", {})
    unmeasured = [k for k, c in u.get("contributions", {}).items() if not c["measured"]]
    check(unmeasured == ["syntactic_depth"] and u.get("coverage", 0) >= 0.97,
          f"8b utility covers {u.get('coverage')} of the weight; unmeasured: {unmeasured}")
    check(not any("WARNING" in l or "redundancy range was set with" in l for l in err.splitlines()),
          f"no coverage or compressor warning on stderr: {err.strip()[-200:]}")
    check(rep["settings"].get("models", {}).get("embed_model") == "stories260K", "the report names the embedding model")
    check(rep["settings"].get("compressor") == "zlib:6", "--scale 8b measured redundancy with the profile's zlib:6")
    fm = d.get("metrics", {}).get("factuality", {})
    mci = fm.get("micro_ci95") or [None, None]
    check("micro" in fm and mci[0] is not None and 0 <= mci[0] <= fm["micro"] <= mci[1] <= 100,
          f"judge metrics carry the micro share {fm.get('micro')} inside its Wilson interval {mci}")

    # 3. A second identical run sends no inference request and gives the same bytes.
    code2, out2, _ = rsq_run(rsq, ["score", small, "--scale", "8b", "--format", "json", "--cache", cache, "-j1"] + endpoints)
    again = eng.stats()
    check(code2 == 0 and inference(again) == inference(first), f"cached rerun sent {inference(again) - inference(first)} inference requests")
    check(out2 == out, "cached rerun report is byte-identical")

    # 4. -j4, and without the cache (fresh answers from the engine): same bytes.
    code4, out4, _ = rsq_run(rsq, ["score", small, "--scale", "8b", "--format", "json", "--no-cache", "-j4", "--block-bytes", "400"] + endpoints)
    check(code4 == 0 and out4 == out, "-j4 with 400-byte chunks and --no-cache gives the same bytes as -j1 from the cache")

    # 5. Shards merge to the bytes of one run.
    half = [os.path.join(tmp, f"shard{i}.jsonl") for i in (0, 1)]
    with open(half[0], "w") as f:
        f.writelines(lines[:3])
    with open(half[1], "w") as f:
        f.writelines(lines[3:])
    states = []
    for i, h in enumerate(half):
        o = os.path.join(tmp, f"shard{i}.json")
        c, _, e = rsq_run(rsq, ["score", h, "--state", "--format", "json", "-q", "-o", o, "--cache", cache] + endpoints)
        check(c == 0, f"shard {i} scored ({e.strip()[-200:]})")
        states.append(o)
    c, merged, e = rsq_run(rsq, ["merge"] + states + ["--name", "small", "--format", "json"])
    c1, whole, _ = rsq_run(rsq, ["score", small, "--state", "--format", "json", "--cache", cache] + endpoints)
    strip = lambda t: [{k: v for k, v in x.items() if k != "input"} for x in json.loads(t)["datasets"]] if t else None
    check(c == 0 and c1 == 0 and strip(merged) == strip(whole), f"merged shards equal one run ({e.strip()[-200:]})")

    # 6. kill -9 mid-run, then resume: only the missing answers are asked for.
    big = os.path.join(tmp, "big.jsonl")
    with open(sample) as f:
        all_lines = f.readlines()
    with open(big, "w") as f:
        f.writelines(all_lines)
    kcache = os.path.join(tmp, "kill.sqlite")
    args = ["score", big, "--format", "json", "--embed", v1, "--lm", v1, "--embed-piece-chars", "600", "--model-batch", "4", "-j1", "--block-bytes", "2000"]
    eng.clear()
    p = subprocess.Popen([rsq] + args + ["--cache", kcache], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and inference(eng.stats()) < 15 and p.poll() is None:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    before = inference(eng.stats())
    stored = sqlite3.connect(kcache).execute("select count(*) from answers").fetchone()[0]
    c, resumed, e = rsq_run(rsq, args + ["--cache", kcache])
    resumed_requests = inference(eng.stats()) - before
    eng.clear()
    c2, fresh, _ = rsq_run(rsq, args + ["--cache", os.path.join(tmp, "fresh.sqlite")])
    full = inference(eng.stats())
    check(c == 0 and c2 == 0 and resumed == fresh, f"after kill -9 ({stored} answers kept) the resumed report equals an uninterrupted run")
    check(0 < resumed_requests < full, f"the resumed run sent {resumed_requests} of {full} inference requests")

    # 7. Faults. Each run uses --no-cache so that the request reaches the server.
    base = ["score", small, "--format", "json", "--embed", v1, "--embed-piece-chars", "600", "--no-cache", "-j1", "--metrics", "semantic"]
    _, ref, _ = rsq_run(rsq, base)

    eng.fault(kind="429", retry_after=2, count=1, route="embeddings")
    t0 = time.time()
    c, o, e = rsq_run(rsq, base)
    took = time.time() - t0
    check(c == 0 and o == ref and took >= 2.0, f"429 + Retry-After: 2 honoured (took {took:.2f} s) and the report is unchanged")

    for kind in ["500", "reset", "garbage"]:
        eng.fault(kind=kind, count=2, route="embeddings")
        c, o, e = rsq_run(rsq, base + ["--model-retries", "4"])
        check(c == 0 and o == ref, f"{kind} x2 survived by retrying, report unchanged ({e.strip()[-200:]})")

    # The timeout leaves room for a normal answer on a loaded machine under a
    # sanitizer (1 s did not, once); only the delayed answer passes it.
    eng.fault(kind="slow", delay_ms=8000, count=1, route="embeddings")
    c, o, e = rsq_run(rsq, base + ["--model-timeout", "4", "--model-retries", "3"])
    check(c == 0 and o == ref, f"a slow answer past --model-timeout is retried ({e.strip()[-200:]})")

    for kind in ["wrong_dim", "nan", "zero"]:
        eng.fault(kind=kind, count=1, route="embeddings")
        c, o, e = rsq_run(rsq, base + ["--max-bad-lines", "100"])
        fails = json.loads(o)["datasets"][0].get("model_failures", {}) if c == 0 else {}
        check(c == 0 and fails.get("model-bad-vector", 0) > 0, f"{kind} vectors rejected and counted: {fails}")
        eng.fault(kind=kind, count=1, route="embeddings")
        c, o, e = rsq_run(rsq, base)
        check(c == 3 and "--max-bad-lines" in e, f"{kind}: records whose model metric failed count against --max-bad-lines (exit {c})")

    eng.fault(kind="413", count=1, route="embeddings")
    c, o, e = rsq_run(rsq, base + ["--model-batch", "8"])
    check(c == 0 and o == ref, "413 splits the batch and the report is unchanged")

    eng.fault(kind="400", message="model does not support this input", count=1, route="embeddings")
    c, o, e = rsq_run(rsq, base)
    check(c == 4 and "model does not support this input" in e, f"a 400 stops the run with the server's message (exit {c}: {e.strip()[-200:]})")

    eng.fault(kind="400", message="Only no echo is supported", count=1, route="completions", after=0)
    st0 = eng.stats()
    c, o, e = rsq_run(rsq, ["score", small, "--lm", v1, "--no-cache"])
    check(c == 2 and "Only no echo is supported" in e and "log-probabilities" in e and eng.stats()["completions"] == st0["completions"] + 1,
          f"a server that refuses echo is refused before any record (exit {c}: {e.strip()[-200:]})")

    c, o, e = rsq_run(rsq, ["score", small, "--embed", "http://127.0.0.1:9/v1", "--no-cache"])
    check(c == 4 and "cannot reach" in e, f"an unreachable endpoint is exit 4 before any work (exit {c})")

    c, o, e = rsq_run(rsq, ["score", small, "--metrics", "semantic"])
    check(c == 2 and "--embed" in e, f"a model metric without its endpoint is a usage error naming the flag (exit {c})")

    # 8. The atomizer path: the story model cannot quote the trace verbatim;
    # the failure is counted per record, never a crash.
    eng.clear()
    c, o, e = rsq_run(rsq, ["score", os.path.join(tmp, "shard0.jsonl"), "--format", "json", "--judge", v1, "--no-cache", "--max-bad-lines", "100"])
    fails = json.loads(o)["datasets"][0].get("model_failures", {}) if c == 0 else {}
    check(c == 0 and sum(fails.values()) + json.loads(o)["datasets"][0]["metrics"]["factuality"]["count"] == 3 if c == 0 else False,
          f"atomizer answers that are not verbatim are counted failures: {fails}")

    # 9. Merge and gate refuse reports made with another model.
    other = os.path.join(tmp, "other.json")
    c, _, _ = rsq_run(rsq, ["score", half[0], "--state", "--format", "json", "-q", "-o", other])
    c, _, e = rsq_run(rsq, ["merge", states[0], other])
    check(c != 0 and "embed model" in e, f"merge refuses shards with and without an embedding model ({e.strip()[-200:]})")


if __name__ == "__main__":
    main()
