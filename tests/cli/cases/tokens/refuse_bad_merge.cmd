rsq score data/samples/gsm8k-test-excerpt.jsonl --tokenizer tests/tokenizers/bad/bad_merge.json
