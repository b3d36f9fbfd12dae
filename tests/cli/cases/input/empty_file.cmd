rsq score tests/data/empty.jsonl --format csv
