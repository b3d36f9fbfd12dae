#!/usr/bin/env python3
"""Every document a user reads points only at what a clone has (issue 11,
item 5): in README.md and docs/*.md, each relative Markdown link resolves to
a file or folder of the repository, each `docs/NAME.md` mentioned in code
spans exists, and nothing sends the reader to ../shared/docs (a folder of
the development machines, not of the repository). ../shared/data/real may
be named: it is the optional real-data test input, and its tests skip
without it."""
import argparse, os, re, sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
MENTION = re.compile(r"`?(docs/[A-Za-z0-9_.-]+\.md)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    files = ["README.md"] + ["docs/" + f for f in sorted(os.listdir(os.path.join(a.root, "docs"))) if f.endswith(".md")]
    bad = checked = 0
    for f in files:
        text = open(os.path.join(a.root, f), encoding="utf-8").read()
        base = os.path.dirname(os.path.join(a.root, f))
        for n, line in enumerate(text.splitlines(), 1):
            for target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue
                checked += 1
                path = os.path.normpath(os.path.join(base, target.split("#")[0]))
                if not os.path.exists(path):
                    bad += 1
                    print("FAIL %s:%d: link to %s, which the repository does not have" % (f, n, target))
            for m in MENTION.findall(line):
                checked += 1
                if not os.path.exists(os.path.join(a.root, m)):
                    bad += 1
                    print("FAIL %s:%d: mentions %s, which the repository does not have" % (f, n, m))
            if "../shared/docs" in line or "shared/docs/" in line:
                bad += 1
                print("FAIL %s:%d: points at ../shared/docs, which a user does not have" % (f, n))
    print("%d files, %d links and mentions checked, %d broken" % (len(files), checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
