gzip -c data/samples/mixed-layouts.jsonl | rsq score --format csv
