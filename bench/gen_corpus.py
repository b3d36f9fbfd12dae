#!/usr/bin/env python3
"""Generate a large, realistic reasoning-trace JSONL corpus for rsq's benchmark.

English and Polish word problems with chain-of-thought traces of
2-30 KB (inside <think>...</think> in a chat `messages` layout, or in flat
{question, reasoning, answer} records), including the habits of real traces:
restated equations, "Wait," re-checks, numbered steps, LaTeX, a final
\\boxed{}, and a small share of truncated or looping traces. Sentences come from
word-bigram Markov chains trained on real GSM8K (English, MIT) and Polish legal
QA text when ../shared/data/real is present, so word statistics and
compressibility are realistic; otherwise from templates. Deterministic for a
given --seed. Usage: gen_corpus.py --mb 1000 -o corpus.jsonl
"""
import argparse, json, os, random, sys

EN_OPEN = ["Let me think about this step by step.", "Okay, so I need to figure out", "First, let's understand the problem.",
           "Alright, let's break this down.", "Hmm, let me start by restating what we know."]
EN_STEP = ["So {a} times {b} equals {c}.", "Then we add {a} and {b} to get {c}.", "Wait, let me double-check that: {a} + {b} = {c}.",
           "That means the total is {c}.", "If we subtract {b} from {c} we get {a}.", "Let's denote the unknown by $x$, so $x = {a} \\cdot {b} = {c}$.",
           "Now, consider the ratio $\\frac{{{a}}}{{{b}}}$, which simplifies accordingly.", "Hmm, but is that right? Let me recompute.",
           "The area is therefore {c} square units.", "Alternatively, we could set up the equation ${a}x + {b} = {c}$.",
           "So the probability is $\\frac{{{a}}}{{{c}}}$.", "Step {n}: multiply the result by {b}.", "Therefore, the answer should be {c}."]
PL_OPEN = ["Zastanówmy się nad tym krok po kroku.", "Dobrze, muszę ustalić", "Najpierw zrozummy treść zadania.",
           "W porządku, rozłóżmy to na części.", "Hmm, zacznę od przypomnienia, co wiemy."]
PL_STEP = ["Zatem {a} razy {b} daje {c}.", "Następnie dodajemy {a} i {b}, otrzymując {c}.", "Chwileczkę, sprawdzę to jeszcze raz: {a} + {b} = {c}.",
           "To oznacza, że suma wynosi {c}.", "Jeśli odejmiemy {b} od {c}, otrzymamy {a}.", "Oznaczmy niewiadomą przez $x$, więc $x = {a} \\cdot {b} = {c}$.",
           "Rozważmy teraz stosunek $\\frac{{{a}}}{{{b}}}$, który się upraszcza.", "Hmm, ale czy to na pewno prawda? Przeliczę ponownie.",
           "Pole wynosi więc {c} jednostek kwadratowych.", "Alternatywnie możemy ułożyć równanie ${a}x + {b} = {c}$.",
           "Prawdopodobieństwo wynosi zatem $\\frac{{{a}}}{{{c}}}$.", "Krok {n}: pomnóż wynik przez {b}.", "Zatem odpowiedź powinna wynosić {c}.",
           "Liczba żółwi w ogrodzie zoologicznym jest większa niż liczba źrebiąt."]
EN_Q = ["A farmer has {a} apples and buys {b} more boxes with {c} apples each. How many apples does he have now?",
        "A train travels {a} km in {b} hours. What is its average speed, and how far will it go in {c} hours?",
        "Find all real $x$ such that ${a}x^2 - {b}x + {c} = 0$.", "What is the probability of drawing {a} red balls from a bag of {c} balls, {b} of which are red?"]
PL_Q = ["Rolnik ma {a} jabłek i kupuje {b} skrzynek po {c} jabłek. Ile ma teraz jabłek?",
        "Pociąg pokonuje {a} km w ciągu {b} godzin. Jaka jest jego średnia prędkość i jaką drogę przebędzie w {c} godzin?",
        "Znajdź wszystkie liczby rzeczywiste $x$, dla których ${a}x^2 - {b}x + {c} = 0$.",
        "Jakie jest prawdopodobieństwo wylosowania {a} czerwonych kul z worka z {c} kulami, z których {b} są czerwone?"]

def load_chain(paths, key_fields):
    """Word-bigram Markov chain from real text (if the shared data is present)."""
    import glob, os
    chain, starts = {}, []
    for pattern in paths:
        for f in sorted(glob.glob(pattern)):
            with open(f, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        rec = json.loads(line)
                    except Exception:
                        continue
                    for k in key_fields:
                        t = rec.get(k)
                        if not isinstance(t, str):
                            continue
                        for sent in t.replace("\n", " \n ").split(". "):
                            w = sent.split(" ")
                            if len(w) < 3:
                                continue
                            starts.append(w[0])
                            for x, y in zip(w, w[1:]):
                                chain.setdefault(x, []).append(y)
    return chain, starts

def markov_sentence(rng, chain, starts, maxlen=40):
    w = rng.choice(starts)
    out = [w]
    for _ in range(rng.randint(6, maxlen)):
        nxt = chain.get(w)
        if not nxt:
            break
        w = rng.choice(nxt)
        out.append(w)
    return " ".join(out).replace(" \n ", "\n") + "."

CHAINS = {}

def trace(rng, pl, target):
    ch = CHAINS.get("pl" if pl else "en")
    if ch and ch[1]:
        out, size = [], 0
        while size < target:
            k = rng.randint(2, 6)
            p = " ".join(markov_sentence(rng, *ch) for _ in range(k))
            if rng.random() < 0.3:
                a, b = rng.randint(2, 999), rng.randint(2, 99)
                p += " " + rng.choice(PL_STEP if pl else EN_STEP).format(a=a, b=b, c=a * b, n=len(out) + 1)
            if rng.random() < 0.06 and len(out) > 2:
                p = out[-1]  # restated paragraph, as real traces do
            out.append(p)
            size += len(p) + 2
        return "\n\n".join(out)
    return template_trace(rng, pl, target)

def template_trace(rng, pl, target):
    steps, opening = (PL_STEP, PL_OPEN) if pl else (EN_STEP, EN_OPEN)
    out = [rng.choice(opening)]
    size, n = len(out[0]), 1
    while size < target:
        a, b = rng.randint(2, 999), rng.randint(2, 99)
        para = []
        for _ in range(rng.randint(2, 6)):
            s = rng.choice(steps).format(a=a, b=b, c=a * b + rng.randint(0, 3), n=n)
            para.append(s)
            n += 1
        p = " ".join(para)
        if rng.random() < 0.08 and len(out) > 2:
            p = out[-1]  # restated paragraph, as real traces do
        out.append(p)
        size += len(p) + 2
    return "\n\n".join(out)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--real", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../shared/data/real"),
                    help="folder of real data to learn word statistics from (GSM8K, Polish legal QA)")
    a = ap.parse_args()
    rng = random.Random(a.seed)

    real = a.real
    if os.path.isdir(real):
        CHAINS["en"] = load_chain([real + "/gsm8k/train.jsonl", real + "/gsm8k/test_socratic.jsonl"], ["question", "answer"])
        CHAINS["pl"] = load_chain([real + "/pl-legal-qa-llm-bielik-ft-legal/*.jsonl"], ["question", "answer"])
    else:
        print("gen_corpus: %s not found; using templates only (less realistic)" % real, file=sys.stderr)
    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    limit, written, i = int(a.mb * 1e6), 0, 0
    while written < limit:
        pl = rng.random() < 0.5
        q = rng.choice(PL_Q if pl else EN_Q).format(a=rng.randint(2, 99), b=rng.randint(2, 20), c=rng.randint(2, 50))
        target = int(rng.uniform(2000, 30000))
        t = trace(rng, pl, target)
        ans = "\\boxed{%d}" % rng.randint(1, 10000)
        r = rng.random()
        if r < 0.03:  # truncated: never closed
            rec = {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": "<think>\n" + t}]}
        elif r < 0.05:  # ends in a loop
            loop = (" Wait, let me recompute. " if not pl else " Chwileczkę, przeliczę ponownie. ") * 40
            rec = {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": "<think>\n" + t + loop}]}
        elif r < 0.6:
            rec = {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": "<think>\n" + t + "\n</think>\n\n" + ("Odpowiedź: " if pl else "The answer is ") + ans}]}
        else:
            rec = {"id": i, "question": q, "reasoning": t, "answer": ans}
        line = json.dumps(rec, ensure_ascii=rng.random() < 0.3) + "\n"
        out.write(line)
        written += len(line.encode("utf-8"))
        i += 1
    out.close()

if __name__ == "__main__":
    main()
