rsq score tests/data/with-scores.jsonl --judge-sample 1.5
