rsq score data/samples/gsm8k-test-excerpt.jsonl -q --profile tests/data/userjson/profile-description-object.json
