rsq annotate data/samples/mixed-layouts.jsonl | head -c 1500
