rsq score data/samples/mixed-layouts.jsonl --reasoning reasoning
