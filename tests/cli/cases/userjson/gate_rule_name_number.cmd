rsq gate data/samples/gsm8k-test-excerpt.jsonl --rules tests/data/userjson/rules-name-number.json
