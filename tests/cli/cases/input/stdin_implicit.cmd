rsq score --format csv < data/samples/mixed-layouts.jsonl
