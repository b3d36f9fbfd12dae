#!/usr/bin/env python3
"""Runs rsq over every file of ../shared/data/real (when present; exit 77 =
skipped otherwise, since a user's machine has no shared/ folder) and checks:
every record is accounted for (lines == scored + skipped + rejected), the
record count equals an independent count made here with Python's json
module, the exit code is 0 or the documented 3 for files with nothing
scorable, and the SkyThought and R1-distill traces are found."""
import argparse, json, os, subprocess, sys

# Files where exit 3 is expected, and why (also in docs/real-data.md).
NOTHING_SCORABLE = {
    "gsm8k/example_model_solutions.jsonl": "four model solutions per record, no single trace: use --reasoning /175b_finetuning/solution",
    "thinking-llms-interp/tasks.json": "prompts only (the join table for the base_responses files)",
    "pl-matura-llm_pol_reason_eval/polski_matura_dataset_2025-06-23T13-08-12Z.json": "reference answers and scoring rules, no traces",
    "pl-matura-llm_pol_reason_eval/polski_matura_przyklady_dataset_2025-06-23T13-05-42Z.json": "reference answers, no traces",
}

def independent_count(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    s = text.lstrip("\ufeff").lstrip()
    if s.startswith("["):
        return len(json.loads(s))
    first = s.split("\n", 1)[0].strip()
    if first == "{":
        doc = json.loads(s)
        keys = ["questions", "responses", "records", "data", "examples", "items", "samples", "rows", "conversations", "results"]
        for k in keys:
            if k in doc and isinstance(doc[k], (list, dict)):
                return len(doc[k])
        best = max((v for v in doc.values() if isinstance(v, (list, dict))), key=len, default=None)
        return len(best) if best is not None else 1
    return text.count("\n") + (0 if text.endswith("\n") else 1)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--real", required=True)
    a = ap.parse_args()
    if not os.path.isdir(a.real):
        print("shared real data not present: skipped")
        return 77
    passed = failed = 0
    for dirpath, _, files in sorted(os.walk(a.real)):
        for fn in sorted(files):
            if not (fn.endswith(".json") or fn.endswith(".jsonl")):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, a.real)
            p = subprocess.run([a.rsq, "score", "-q", "--format", "json", path], capture_output=True)
            problems = []
            try:
                d = json.loads(p.stdout)["datasets"][0]
            except Exception as e:
                problems.append("no JSON report (%s)" % e)
                d = None
            if d:
                acc = d["scored"] + sum(d["skipped"].values()) + sum(d["rejected"].values())
                if d["lines"] != acc:
                    problems.append("lines %d != accounted %d" % (d["lines"], acc))
                n = independent_count(path)
                if d["lines"] != n:
                    problems.append("records %d, Python counts %d" % (d["lines"], n))
                want_rc = 3 if rel in NOTHING_SCORABLE else 0
                if p.returncode != want_rc:
                    problems.append("exit %d, expected %d" % (p.returncode, want_rc))
                st = d["trace_states"]
                tagged = st.get("closed", 0) + st.get("open-only", 0)
                if rel.startswith("skythought/Sky-T1") and "short-ckpts" not in rel or \
                        rel.startswith("thinking-llms-interp/responses_") or rel.startswith("thinking-llms-interp/base_responses_deepseek"):
                    if d["scored"] != d["lines"] or tagged == 0:
                        problems.append("reasoning traces not found: %r" % st)
                if "short-ckpts" in rel and d["scored"] != d["lines"]:  # untagged by design (SOURCES.md: 0/0/0 tags)
                    problems.append("not every untagged trace scored: %r" % st)
            if problems:
                failed += 1
                print("FAIL %s: %s" % (rel, "; ".join(problems)))
            else:
                passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
