rsq score tests/data/with-scores.jsonl --metric-field redundancy_ratio=/scores/align
