rsq score data/samples/mixed-layouts.jsonl --format json -q -o a.json && rsq merge a.json
