#!/usr/bin/env python3
"""--shard I/N is exact (issue 14): over random JSONL files — records from the
shipped samples, blank and white-space lines, bad JSON, bad UTF-8, CRLF,
a BOM, no final newline, files with fewer records than shards — and
N in {1, 2, 7, 64} plus random N:

- `rsq merge` of the N shard reports (--state) is byte-identical to the
  single-run report;
- the shards' `rsq annotate --metrics-only` outputs concatenated in shard
  order are byte-identical to one run's, and so are `rsq filter`'s kept
  records (per-record "line" values are the file's true line numbers);
- the diagnostics the shards print (file:line:col) are, in order, those of
  one run.
"""
import argparse, json, os, random, re, subprocess, sys, tempfile


def sample_records(root):
    recs = []
    for name in sorted(os.listdir(os.path.join(root, "data/samples"))):
        if name.endswith(".jsonl"):
            with open(os.path.join(root, "data/samples", name), "rb") as f:
                recs += [l.rstrip(b"\r\n") for l in f if l.strip()]
    return recs


def make_file(rng, recs, path):
    lines = []
    for _ in range(rng.choice([0, 1, 3, 10, 40, 120])):
        r = rng.random()
        if r < 0.75:
            lines.append(rng.choice(recs))
        elif r < 0.83:
            lines.append(b"")
        elif r < 0.88:
            lines.append(b"   \t ")
        elif r < 0.93:
            lines.append(b'{"question": "q", "response": "broken')
        elif r < 0.96:
            lines.append(b'{"question": "q", "response": "bad \xff utf-8"}')
        else:
            lines.append(b"[1, 2]")
    eol = [b"\r\n" if rng.random() < 0.3 else b"\n" for _ in lines]
    data = b"".join(l + e for l, e in zip(lines, eol))
    if lines and rng.random() < 0.3:
        data = data[: -len(eol[-1])]  # no final newline
    if rng.random() < 0.2:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


def rsq(a, *args):
    p = subprocess.run([a.rsq] + list(args), capture_output=True)
    if p.returncode not in (0, 1, 3):
        raise SystemExit("rsq %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()[:500]))
    return p


def diag_lines(stderr, name):
    pat = re.compile(re.escape(name) + rb":\d+:\d+: ")
    return [l for l in stderr.splitlines() if pat.match(l)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--files", type=int, default=12)
    a = ap.parse_args()
    rng = random.Random(14)
    recs = sample_records(a.root)
    failed = checked = 0
    with tempfile.TemporaryDirectory() as d:
        for k in range(a.files):
            f = os.path.join(d, "f%02d.jsonl" % k)
            make_file(rng, recs, f)
            whole = rsq(a, "score", f, "--state", "--format", "json", "-q", "--max-bad-lines", "1000000").stdout
            whole_ann = rsq(a, "annotate", f, "--metrics-only", "-q", "--max-bad-lines", "1000000").stdout
            whole_fil = rsq(a, "filter", f, "--where", "reasoning_words >= 20", "-q", "--max-bad-lines", "1000000").stdout
            whole_diag = diag_lines(rsq(a, "score", f, "--format", "json", "--max-diagnostics", "1000000",
                                        "--max-bad-lines", "1000000").stderr, f.encode())
            for n in sorted({1, 2, 7, 64, rng.randint(3, 30)}):
                parts, ann, fil, diags = [], b"", b"", []
                for i in range(n):
                    p = os.path.join(d, "p%d.json" % i)
                    r = rsq(a, "score", f, "--shard", "%d/%d" % (i, n), "--state", "--format", "json", "-o", p,
                            "--max-diagnostics", "1000000", "--max-bad-lines", "1000000")
                    diags += diag_lines(r.stderr, f.encode())
                    parts.append(p)
                    ann += rsq(a, "annotate", f, "--shard", "%d/%d" % (i, n), "--metrics-only", "-q",
                               "--max-bad-lines", "1000000").stdout
                    fil += rsq(a, "filter", f, "--shard", "%d/%d" % (i, n), "--where", "reasoning_words >= 20", "-q",
                               "--max-bad-lines", "1000000").stdout
                merged = rsq(a, "merge", *parts, "--name", f).stdout
                for what, got, want in [("merged report", merged, whole), ("annotate", ann, whole_ann),
                                        ("filter", fil, whole_fil), ("diagnostics", b"\n".join(diags), b"\n".join(whole_diag))]:
                    checked += 1
                    if got != want:
                        failed += 1
                        print("FAIL %s, N=%d: %s differs from one run (%d vs %d bytes)" % (os.path.basename(f), n, what,
                                                                                           len(got), len(want)))
    print("%d files, %d comparisons, %d failed" % (a.files, checked, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
