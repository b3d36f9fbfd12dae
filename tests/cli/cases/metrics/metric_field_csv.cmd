rsq score tests/data/with-scores.jsonl --metric-field semantic_alignment=/scores/align --format csv | grep -E "semantic_alignment|^input"
