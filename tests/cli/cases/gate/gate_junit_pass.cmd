rsq gate data/samples/gsm8k-test-excerpt.jsonl --rules tests/data/gate/basic.json --format junit
