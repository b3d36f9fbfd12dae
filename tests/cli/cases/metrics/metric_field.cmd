rsq score tests/data/with-scores.jsonl --metric-field semantic_alignment=/scores/align --scale 8b --explain -q
