rsq score --format xml data/samples/mixed-layouts.jsonl
