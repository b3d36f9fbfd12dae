#!/usr/bin/env python3
"""The Python baseline of bench/run.sh: what a user writes today with the
standard library (json, zlib, re, collections), computing the same metric set
as rsq score per record — question/reasoning/answer extraction for the bench
corpus layouts (chat messages with <think>, flat fields), zlib redundancy,
verbosity (bytes, chars, words, sentences, lines), symbolic fraction,
question/answer coverage, lexical flow, duplicate lines/paragraphs, top 2-4
gram and duplicate 5-10 gram character fractions, tail-loop check — and
dataset means. One process per core (--procs), each parsing its share of the
lines. Prints a JSON summary (records, means)."""
import argparse, collections, json, multiprocessing as mp, re, sys, zlib

WORD = re.compile(r"\w+(?:['’.:]\w+)*")
SENT = re.compile(r"(?<=[.!?])\s+|\n")
SYM = re.compile(r"[^\w\s]")
NONWS = re.compile(r"\S")
STOP = set("a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that these those i we you he she they me us him her them my our your their do does did have has had not no can will would should could may might there here what which who how let s also than into about w z na do nie się to że jest o jak ale co od po dla za są jako tak przez lub czy ten ta te tym tego tej być był była było który która które których oraz już też ze we pod nad przy bo jeśli więc gdy może można jego jej ich go mu sobie".split())

def split(rec):
    if "messages" in rec:
        q = next((m["content"] for m in rec["messages"] if m.get("role") == "user"), "")
        resp = next((m["content"] for m in reversed(rec["messages"]) if m.get("role") == "assistant"), "")
        o, c = resp.find("<think>"), resp.find("</think>")
        if o >= 0 and c > o:
            return q, resp[o + 7:c].strip(), resp[c + 8:].strip(), False
        if o >= 0:
            return q, resp[o + 7:].strip(), "", True
        return q, resp, "", False
    return rec.get("question", ""), rec.get("reasoning", ""), rec.get("answer", ""), False

def vocab(words):
    return {w.casefold() for w in words} - STOP

def metrics(line):
    rec = json.loads(line)
    q, r, a, trunc = split(rec)
    out = {}
    for name, t in (("question", q), ("reasoning", r), ("answer", a)):
        w = WORD.findall(t)
        out[name + "_bytes"] = len(t.encode("utf-8"))
        out[name + "_chars"] = len(t)
        out[name + "_words"] = len(w)
        out[name + "_sentences"] = len([s for s in SENT.split(t) if s.strip()])
        out[name + "_lines"] = len([l for l in t.split("\n") if l.strip()])
    if not r:
        return out
    b = r.encode("utf-8")
    out["redundancy_ratio"] = 1 - len(zlib.compress(b, 6)) / len(b)
    nonws = len(NONWS.findall(r))
    out["symbolic_fraction"] = len(SYM.findall(r)) / nonws if nonws else 0
    rw = WORD.findall(r)
    rv = vocab(rw)
    qv, av = vocab(WORD.findall(q)), vocab(WORD.findall(a))
    if qv:
        out["question_coverage"] = len(qv & rv) / len(qv)
    if av:
        out["answer_coverage"] = len(av & rv) / len(av)
    sents = [vocab(WORD.findall(s)) for s in SENT.split(r) if s.strip()]
    pairs = [len(x & y) / len(x | y) for x, y in zip(sents, sents[1:]) if x | y]
    if pairs:
        out["lexical_flow"] = sum(pairs) / len(pairs)
    n = len(r)
    for label, pieces in (("line", r.split("\n")), ("para", re.split(r"\n{2,}", r))):
        seen, dups, dchars, total = set(), 0, 0, 0
        for p in pieces:
            if not p.strip():
                continue
            total += 1
            if p in seen:
                dups += 1
                dchars += len(p)
            seen.add(p)
        out["dup_%s_fraction" % label] = dups / total if total else 0
        out["dup_%s_char_fraction" % label] = dchars / n
    for k in (2, 3, 4):
        grams = [" ".join(rw[i:i + k]) for i in range(len(rw) - k + 1)]
        if grams:
            g, c = collections.Counter(grams).most_common(1)[0]
            out["top_%dgram_char_fraction" % k] = len(g) * c / n
    for k in range(5, 11):
        seen, rep, i = set(), 0, 0
        while i < len(rw) - k + 1:
            g = "".join(rw[i:i + k])
            if g in seen:
                rep += len(g)
                i += k
            else:
                seen.add(g)
                i += 1
        out["dup_%dgram_char_fraction" % k] = rep / n
    tail = r.rstrip()[-32:]
    out["tail_loop"] = 1.0 if len(tail) == 32 and r.rstrip()[-16384:-1].find(tail) >= 0 else 0.0
    out["truncated"] = 1.0 if trunc else 0.0
    return out

def work(lines):
    sums, counts = collections.defaultdict(float), collections.defaultdict(int)
    for line in lines:
        for k, v in metrics(line).items():
            sums[k] += v
            counts[k] += 1
    return len(lines), dict(sums), dict(counts)

def batches(path, size=2000):
    with open(path, encoding="utf-8") as f:
        batch = []
        for line in f:
            batch.append(line)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--procs", type=int, default=mp.cpu_count())
    a = ap.parse_args()
    sums, counts, records = collections.defaultdict(float), collections.defaultdict(int), 0
    with mp.Pool(a.procs) as pool:
        for n, s, c in pool.imap(work, batches(a.path, 500), chunksize=1):
            records += n
            for k, v in s.items():
                sums[k] += v
            for k, v in c.items():
                counts[k] += v
    print(json.dumps({"records": records, "means": {k: sums[k] / counts[k] for k in sorted(sums)}}))

if __name__ == "__main__":
    main()
