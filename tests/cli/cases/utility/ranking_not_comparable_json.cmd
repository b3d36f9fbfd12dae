rsq score data/samples/skythought-math500-excerpt.jsonl data/samples/gsm8k-test-excerpt.jsonl --scale 8b --with-metrics tests/data/utility/with-metrics-one-input.json --format json -q
