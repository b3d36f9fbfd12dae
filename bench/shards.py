#!/usr/bin/env python3
"""Shard overhead (issue 14): one `rsq score -j2` process against two
`rsq score --shard I/2 -j1` processes run side by side plus `rsq merge`, on
the same file in one invocation; CPU = user + sys of every process (GNU time
semantics via os.wait4), wall = the single run's, or the slower shard's plus
the merge. Also checks the merged report is byte-identical to the single
run's. Median of --runs.
  python3 bench/shards.py --rsq build/src/rsq --input bench/out/corpus-1g.jsonl --runs 3"""
import argparse, os, statistics, subprocess, sys, tempfile, time


def spawn(argv, out):
    return subprocess.Popen(argv, stdout=open(out, "wb"), stderr=subprocess.DEVNULL), time.time()


def reap(p):
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    single_cpu, single_wall, shard_cpu, shard_wall = [], [], [], []
    with tempfile.TemporaryDirectory() as d:
        for _ in range(a.runs):
            t0 = time.time()
            p, _ = spawn([a.rsq, "score", a.input, "-j2", "--state", "--format", "json", "-q"], d + "/whole.json")
            single_cpu.append(reap(p))
            single_wall.append(time.time() - t0)
            t0 = time.time()
            ps = [spawn([a.rsq, "score", a.input, "--shard", "%d/2" % i, "-j1", "--state", "--format", "json", "-q"],
                        d + "/p%d.json" % i)[0] for i in range(2)]
            cpu = sum(reap(p) for p in ps)
            m, _ = spawn([a.rsq, "merge", d + "/p0.json", d + "/p1.json", "--name", a.input], d + "/merged.json")
            cpu += reap(m)
            shard_wall.append(time.time() - t0)
            shard_cpu.append(cpu)
            same = open(d + "/whole.json", "rb").read() == open(d + "/merged.json", "rb").read()
            if not same:
                print("FAIL: merged report differs from the single run")
                return 1
    mb = os.path.getsize(a.input) / 1e6
    sc, sw, hc, hw = (statistics.median(x) for x in (single_cpu, single_wall, shard_cpu, shard_wall))
    print("input %.0f MB, median of %d runs" % (mb, a.runs))
    print("| path | CPU s (user+sys) | wall s |\n|---|---:|---:|")
    print("| rsq score -j2 | %.2f | %.2f |" % (sc, sw))
    print("| 2 x rsq score --shard I/2 -j1 + rsq merge | %.2f | %.2f |" % (hc, hw))
    print("shard path / single run: CPU %.3f, wall %.3f; merged report byte-identical: yes" % (hc / sc, hw / sw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
