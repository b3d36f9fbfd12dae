rsq filter tests/data/bad-lines.jsonl --where "reasoning_words > 3" --rejects rej.jsonl --reasons why.jsonl --max-bad-lines 10 && cat why.jsonl && wc -l < rej.jsonl
