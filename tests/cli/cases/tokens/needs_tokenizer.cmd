rsq score data/samples/gsm8k-test-excerpt.jsonl --metrics total_tokens
