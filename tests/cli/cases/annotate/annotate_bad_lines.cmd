rsq annotate tests/data/bad-lines.jsonl
