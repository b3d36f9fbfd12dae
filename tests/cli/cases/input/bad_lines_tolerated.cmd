rsq score tests/data/bad-lines.jsonl --max-bad-lines 4 --format csv -q
