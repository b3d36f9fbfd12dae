rsq score --frobnicate data/samples/mixed-layouts.jsonl
