rsq gate data/samples/gsm8k-test-excerpt.jsonl --rules tests/tokenizers/gate-rules.json -q
