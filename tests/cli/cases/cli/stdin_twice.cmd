rsq score - - < data/samples/mixed-layouts.jsonl
