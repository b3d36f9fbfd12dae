rsq score data/samples/mixed-layouts.jsonl --scale 70b --format markdown
