rsq score data/samples/gsm8k-test-excerpt.jsonl data/samples/skythought-math500-excerpt.jsonl --format csv
