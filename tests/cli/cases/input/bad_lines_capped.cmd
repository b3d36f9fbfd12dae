rsq score tests/data/bad-lines.jsonl --max-diagnostics 1 --format csv
