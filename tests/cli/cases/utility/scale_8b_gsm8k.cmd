rsq score data/samples/gsm8k-test-excerpt.jsonl --scale 8b
