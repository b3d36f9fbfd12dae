rsq score data/samples/skythought-math500-excerpt.jsonl --format markdown
