#!/usr/bin/env python3
"""Differential checks of the "equals <peer>" claims in docs/metrics.md
("Peer metrics"), record by record, each against the rule the peer's own code
applies, written here with the same Python primitives the peer calls
(re.split, str.strip, len, str.encode):

- DataTrove GopherRepetitionFilter, lines and paragraphs
  (dup_line_fraction, dup_line_char_fraction, dup_para_fraction,
  dup_para_char_fraction): lines = re.split(r"\\n+", text), paragraphs =
  re.split(r"\\n{2,}", text.strip()), a set of seen pieces, first occurrence
  not counted, chars = len() / len(text).
- DataTrove GopherRepetitionFilter, n-gram counting given the same words
  (top_{2,3,4}gram_char_fraction, dup_{5..10}gram_char_fraction): on texts
  whose words are unambiguous (ASCII letters separated by spaces), where
  DataTrove's word list and rsq's are the same list.
- Data-Juicer text_length (len(text)) and DataTrove/Dolma byte counts
  (len(text.encode("utf-8"))): reasoning_chars, reasoning_bytes.

Texts: adversarial cases (trailing and leading newlines, white-space-only
lines and paragraphs, CRLF, Unicode white space that str.strip removes),
every string in the shipped samples, and, when --real names a directory that
exists, strings from the real third-party files (../shared/data/real).
"""
import argparse, json, os, random, re, subprocess, sys, tempfile
from texts import texts_from

LINE_SPLIT = re.compile(r"\n+")
PARA_SPLIT = re.compile(r"\n{2,}")


def dup_pieces(pieces):
    seen, dups, chars = set(), 0, 0
    for p in pieces:
        if p in seen:
            dups += 1
            chars += len(p)
        else:
            seen.add(p)
    return dups, chars


def datatrove_lines(text):
    lines = LINE_SPLIT.split(text)
    paras = PARA_SPLIT.split(text.strip())
    ld, lc = dup_pieces(lines)
    pd, pc = dup_pieces(paras)
    n = len(text)
    return {"dup_line_fraction": ld / len(lines), "dup_line_char_fraction": lc / n,
            "dup_para_fraction": pd / len(paras), "dup_para_char_fraction": pc / n}


def datatrove_ngrams(text, words):
    out, n_text = {}, len(text)
    for n in (2, 3, 4):
        grams = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        if not grams:
            out["top_%dgram_char_fraction" % n] = 0.0
            continue
        counts = {}
        for g in grams:  # insertion order = first occurrence, as Counter.most_common breaks ties
            counts[g] = counts.get(g, 0) + 1
        best = max(counts.items(), key=lambda kv: kv[1])
        out["top_%dgram_char_fraction" % n] = len(best[0]) * best[1] / n_text
    for n in range(5, 11):
        seen, rep, i = set(), 0, 0
        while i < len(words) - n + 1:
            g = "".join(words[i:i + n])
            if g in seen:
                rep += len(g)
                i += n
            else:
                seen.add(g)
                i += 1
        out["dup_%dgram_char_fraction" % n] = rep / n_text
    return out


ADVERSARIAL = [
    "a\nb\na\n", "\na\nb\na", "x\n   \ny\n   \n", "   \n   \n   ", "a\n\n\nb\n\na\n\n", "\n\npara\n\npara\n\n",
    "a\r\nb\r\na\r\n", "line\n\n \n\nline", "\u00a0\u3000 padded \u2029\n\npadded\u00a0", "\u2028a\n\na\u2028",
    "same\nsame\nsame", "x\n\n\n\n", "   \n   \nx\n   ", "\n\n\n\nx", "\t\n\t\n", "one line only", "é\né\nże\nże\n",
    "para one\n\npara two\n\n\npara one", "\x1c sep \x1d\n\n\x1e sep \x1f", "\u0085a\n\na\u0085",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--real", default="")
    a = ap.parse_args()

    texts = list(ADVERSARIAL)
    samples = os.path.join(a.root, "data/samples")
    for name in sorted(os.listdir(samples)):
        if name.endswith((".jsonl", ".json")):
            texts += texts_from(os.path.join(samples, name), 400)
    real_used = 0
    if a.real and os.path.isdir(a.real):
        for dirpath, _, files in sorted(os.walk(a.real)):
            for name in sorted(files):
                if name.endswith((".jsonl", ".json")):
                    got = texts_from(os.path.join(dirpath, name), 150)
                    real_used += len(got)
                    texts += got
    # A blank reasoning field is not the trace (rsq falls back to the response
    # field, where tags may be: docs/metrics.md, "Text segments"), so blank
    # texts cannot be fed this way; they are covered by the inline cases of
    # tests/unit/test_text.cc.
    texts = [t for t in texts if t.strip(" \t\r\n") and not any(0xD800 <= ord(c) <= 0xDFFF for c in t)]

    # n-gram texts with unambiguous words: fixed-length ASCII words (so that
    # DataTrove's "".join of an n-gram cannot collide across word boundaries)
    rng = random.Random(11)
    vocab = ["%s%s%s" % (x, y, z) for x in "abc" for y in "def" for z in "gh"]
    ngram_texts = []
    for k in range(300):
        words = [rng.choice(vocab[:2 + k % 16]) for _ in range(rng.randint(1, 120))]
        sep = rng.choice([" ", "  ", "\n", " \n "])
        ngram_texts.append((sep.join(words) + rng.choice(["", "\n", " "]), words))

    failed = checked = 0
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "peers.jsonl")
        with open(p, "w", encoding="utf-8") as f:
            for t in texts + [t for t, _ in ngram_texts]:
                f.write(json.dumps({"question": "q", "reasoning": t, "answer": "a"}) + "\n")
        out = subprocess.run([a.rsq, "annotate", "--metrics-only", "--metrics", "lines,ngrams,verbosity", p],
                             capture_output=True, check=True).stdout.decode()
        rows = [json.loads(line) for line in out.splitlines()]
    if len(rows) != len(texts) + len(ngram_texts):
        print("FAIL: %d rows for %d texts" % (len(rows), len(texts) + len(ngram_texts)))
        return 1

    def compare(peer, i, text, want, got):
        nonlocal failed, checked
        for k, v in want.items():
            checked += 1
            if not isinstance(got.get(k), (int, float)) or abs(got[k] - v) > 1e-12:
                failed += 1
                if failed <= 20:
                    print("FAIL %s %s record %d %r: rsq %r, reference %r" % (peer, k, i + 1, text[:60], got.get(k), v))

    for i, t in enumerate(texts):
        compare("DataTrove GopherRepetitionFilter", i, t, datatrove_lines(t), rows[i])
        compare("len()/encode()", i, t, {"reasoning_chars": len(t), "reasoning_bytes": len(t.encode("utf-8"))}, rows[i])
    for j, (t, words) in enumerate(ngram_texts):
        i = len(texts) + j
        compare("DataTrove GopherRepetitionFilter n-grams", i, t, datatrove_ngrams(t, words), rows[i])
    print("%d texts (%d from --real), %d n-gram texts: %d values checked, %d failed"
          % (len(texts), real_used, len(ngram_texts), checked, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
