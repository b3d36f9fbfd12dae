rsq score data/samples/mixed-layouts.jsonl -o /nonexistent-dir/out.json
