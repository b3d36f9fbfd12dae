rsq score tests/data/crlf-bom.jsonl --format csv
