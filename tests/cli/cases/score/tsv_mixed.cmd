rsq score data/samples/mixed-layouts.jsonl --format tsv
