rsq filter data/samples/mixed-layouts.jsonl --where "redundancy < 0.5"
