rsq score data/samples/mixed-layouts.jsonl --profile tests/data/bad-profile.json
