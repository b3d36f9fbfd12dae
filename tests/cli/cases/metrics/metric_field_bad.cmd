rsq score tests/data/with-scores.jsonl --metric-field semantic_alignment
