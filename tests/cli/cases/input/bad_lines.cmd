rsq score tests/data/bad-lines.jsonl --format csv
