cat data/samples/*.jsonl > all.jsonl && rsq annotate all.jsonl -q --max-bad-lines 100 --metrics-only > full.jsonl; rsq annotate all.jsonl -q --max-bad-lines 100 --metrics-only --metrics reasoning_words,truncated,ngrams > sub.jsonl; python3 -c "
import json
full=[json.loads(l) for l in open('full.jsonl')]; sub=[json.loads(l) for l in open('sub.jsonl')]
keys=sorted(set(k for r in sub for k in r))
print('columns:', keys)
print('rows', len(sub), '- each equals the full row restricted to its columns:', len(full)==len(sub) and all(s=={k: f[k] for k in s} for f, s in zip(full, sub)))"
